import { sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import type { Viewer } from "../scope";
import { monitoringScope, practiceWhere, withholdsSmallCells, type MonitoringFilter, type MonitoringScope, type PracticeStateValue } from "./monitoring";
import { isSmall, withheldCells } from "./small-cells";

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

type Row = { from_state: PracticeStateValue | null; to_state: PracticeStateValue; is_edge: boolean; practices: number; starts: number; median: number | null };

/**
 * Two queries on the pool at once over the cohort's arrivals (first report, then each move):
 * per state and per move, and per whole path. (One query reading a materialised CTE twice
 * measured twice as slow: it loses the parallelism and spills; ADR 56.)
 */
export async function processMapFigures(db: DbOrTx, viewer: Viewer, filter: MonitoringFilter): Promise<ProcessMapFigures> {
  const scope = await monitoringScope(db, viewer, filter);
  const aggregate = withholdsSmallCells(scope.level);
  const cnt = (n: number) => (!aggregate || !isSmall(n) ? n : null);
  const cohort = practiceWhere(scope, filter, { period: true });
  const arrivals = sql`
    c as (select p.id, p.first_state, p.first_state_date from practices p where ${cohort}),
    arrivals as (
      select c.id as pid, 0::bigint as seq, null::practice_state as from_state, c.first_state as to_state, c.first_state_date as d from c
      union all
      select h.practice_id, h.id, h.from_state, h.to_state, h.state_date from practice_history h
      join c on c.id = h.practice_id where h.kind = 'transition'
    )`;
  const [rows, paths] = await Promise.all([
    db.execute<Row>(sql`
      with ${arrivals},
      seq as (select a.*, a.d - lag(a.d) over (partition by a.pid order by a.seq) as days from arrivals a)
      select from_state::text as from_state, to_state::text as to_state, grouping(from_state) = 0 as is_edge,
        count(distinct pid)::int as practices, count(*) filter (where from_state is null)::int as starts,
        percentile_cont(0.5) within group (order by days)::float8 as median
      from seq group by grouping sets ((from_state, to_state), (to_state))`),
    db.execute<{ path: string; n: number }>(sql`
      with ${arrivals}
      select path, count(*)::int as n from (select string_agg(to_state::text, '>' order by seq) as path from arrivals group by pid) x
      group by path order by n desc, path limit 1`),
  ]);
  const states = rows.filter((r) => !r.is_edge);
  // Every practice has exactly one first report: the cohort is the sum of the starts, and is shown.
  const total = states.reduce((n, r) => n + r.starts, 0);
  const startsHidden = aggregate ? withheldCells(states.map((r) => r.starts), cnt(total) !== null) : states.map(() => false);
  const nodes = states.map((r, i): ProcessNode => ({ state: r.to_state, practices: cnt(r.practices), started: startsHidden[i] ? null : r.starts }));
  const edges = rows
    .filter((r) => r.is_edge && r.from_state !== null)
    .map((r): ProcessEdge => {
      const practices = cnt(r.practices);
      return { from: r.from_state!, to: r.to_state, practices, medianDays: practices === null || r.median === null ? null : Number(r.median) };
    });
  const top = paths[0];
  return {
    scope,
    individual: !aggregate,
    cohort: cnt(total),
    nodes,
    edges,
    topPath: top && cnt(top.n) !== null ? { states: top.path.split(">") as PracticeStateValue[], practices: top.n } : null,
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
