import { sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import type { Viewer } from "../scope";
import { monitoringScope, practiceWhere, SMALL_CELL, type MonitoringFilter, type MonitoringScope, type PracticeStateValue } from "./monitoring";

/**
 * The process map's figures (docs/decisions/0056): for the practices submitted in the filter's
 * period (the dashboard's cohort), how many passed through each state, how many made each move
 * with the median days spent in the state they left, and their most frequent whole path. Counts
 * are of practices, so each number equals the practice list it links to. Read on the raw tables.
 */
export type ProcessNode = { state: PracticeStateValue; practices: number | null; started: number | null };
export type ProcessEdge = { from: PracticeStateValue; to: PracticeStateValue; practices: number | null; medianDays: number | null };
export type ProcessMapFigures = {
  scope: MonitoringScope;
  individual: boolean;
  cohort: number | null;
  nodes: ProcessNode[];
  edges: ProcessEdge[];
  /** The most frequent sequence of states, when at least SMALL_CELL practices (in aggregate views) follow it. */
  topPath: { states: PracticeStateValue[]; practices: number } | null;
};

type Row = { from_state: PracticeStateValue | null; to_state: PracticeStateValue | null; is_edge: boolean; practices: number; starts: number; median: number | null; path: string | null };

/**
 * One pass over the cohort's arrivals (first report, then each move, with the days since the
 * previous arrival), materialised once and read twice: per state and per move, and per whole path.
 */
export async function processMapFigures(db: DbOrTx, viewer: Viewer, filter: MonitoringFilter): Promise<ProcessMapFigures> {
  const scope = await monitoringScope(db, viewer, filter);
  const aggregate = scope.level === "aggregato";
  const cnt = (n: number) => (!aggregate || n >= SMALL_CELL ? n : null);
  const cohort = practiceWhere(scope, filter, { period: true });
  const rows = await db.execute<Row>(sql`
    with c as (select p.id, p.first_state, p.first_state_date from practices p where ${cohort}),
    s as materialized (
      select a.pid, a.seq, a.from_state, a.to_state, a.d - lag(a.d) over (partition by a.pid order by a.seq) as days from (
        select c.id as pid, 0::bigint as seq, null::practice_state as from_state, c.first_state as to_state, c.first_state_date as d from c
        union all
        select h.practice_id, h.id, h.from_state, h.to_state, h.state_date from practice_history h
        join c on c.id = h.practice_id where h.kind = 'transition'
      ) a
    ),
    moves as (
      select from_state::text as from_state, to_state::text as to_state, grouping(from_state) = 0 as is_edge,
        count(distinct pid)::int as practices, count(*) filter (where from_state is null)::int as starts,
        percentile_cont(0.5) within group (order by days)::float8 as median, null::text as path
      from s group by grouping sets ((from_state, to_state), (to_state))
    ),
    top_path as (
      select null::text, null::text, false, count(*)::int, 0, null::float8, path
      from (select string_agg(to_state::text, '>' order by seq) as path from s group by pid) x
      group by path order by count(*) desc, path limit 1
    )
    select * from moves union all select * from top_path`);
  const states = rows.filter((r) => r.path === null && !r.is_edge);
  const nodes = states.map((r): ProcessNode => ({ state: r.to_state!, practices: cnt(r.practices), started: r.starts === 0 ? 0 : cnt(r.starts) }));
  const edges = rows
    .filter((r) => r.is_edge && r.from_state !== null)
    .map((r): ProcessEdge => {
      const practices = cnt(r.practices);
      return { from: r.from_state!, to: r.to_state!, practices, medianDays: practices === null || r.median === null ? null : Number(r.median) };
    });
  const top = rows.find((r) => r.path !== null);
  // Every practice has exactly one first report: the cohort is the sum of the starts.
  const total = states.reduce((n, r) => n + r.starts, 0);
  return {
    scope,
    individual: !aggregate,
    cohort: cnt(total),
    nodes,
    edges,
    topPath: top && cnt(top.practices) !== null ? { states: top.path!.split(">") as PracticeStateValue[], practices: top.practices } : null,
  };
}

/**
 * What the map is drawn from, as one cheap value: the newest practice and the newest move (both
 * ids only grow; index-only reads). Any write the map could show changes it.
 */
export async function processDataVersion(db: DbOrTx): Promise<string> {
  const [row] = await db.execute<{ v: string }>(sql`
    select (select coalesce(max(id), 0) from practices)::text || ':' || (select coalesce(max(id), 0) from practice_history)::text as v`);
  return row!.v;
}
