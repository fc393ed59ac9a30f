import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { isGestoreRole, OutOfScopeError, type Viewer } from "../scope";
import { PRACTICE_STATE_VALUES, ROLLUP_ALL_ID } from "../schema";
import { sheetLevel } from "../visibility";
import { filterOptions } from "./filter-options";
import { isSmall, SMALL_CELL, withheldCells } from "./small-cells";

/**
 * The monitoring dashboard's figures, cut to what the viewer may see (docs/decisions/0021, 0022).
 * They are read from the summary `monitoring_rollup`, kept exact in the transaction of every write
 * to the practices (docs/decisions/0027), when it can answer the filter; otherwise (a municipality,
 * a period not aligned to weeks or months) they are computed on the raw tables. Both give the same
 * numbers.
 */

export type PracticeStateValue = (typeof PRACTICE_STATE_VALUES)[number];

export type MonitoringFilter = {
  measure?: string;
  /** A gestore's fiscal code, or "tutti" (a gestore user's way to ask for every gestore). */
  gestore?: string;
  region?: string;
  province?: string;
  comune?: string;
  /** A social district (ATS): practices whose municipality belonged to it on their submission day. */
  ats?: string;
  /** Period: practices submitted in it (stock figures, times) and moves dated in it (flows, matrix). */
  from?: string;
  to?: string;
};

/**
 * Visibility levels of the SIUSS sheet. "territorio": a territorial user (issue 19) in its own
 * territory — on the dashboard aggregates with small cells withheld, as "aggregato".
 */
export type VisibilityLevel = "totale" | "proprio_ente" | "territorio" | "aggregato";

/** The levels whose figures are cut by small-cell suppression (docs/decisions/0021, 0080). */
export const withholdsSmallCells = (level: VisibilityLevel) => level === "aggregato" || level === "territorio";



export type MonitoringScope = {
  level: VisibilityLevel;
  /** The gestore the figures are confined to (null: every gestore). */
  gestoreId: string | null;
  gestoreCf: string | null;
  /** Unknown gestore asked for: the figures are empty rather than unfiltered. */
  nothing: boolean;
};

/**
 * Decides what a viewer sees for a filter. Officials see everything individually; a gestore user
 * sees its own gestore individually (the default) and other gestori or all of them only in
 * aggregate; an osservatore sees only aggregates; anyone else nothing.
 */
export async function monitoringScope(db: DbOrTx, viewer: Viewer, filter: MonitoringFilter): Promise<MonitoringScope> {
  const asked = filter.gestore === "tutti" ? null : (filter.gestore ?? null);
  let gestoreCf = asked;
  if (isGestoreRole(viewer.role) && filter.gestore === undefined) {
    if (!viewer.gestoreId) throw new Error("gestore user without gestore");
    const [own] = await db.execute<{ fiscal_code: string }>(sql`select fiscal_code from gestori where id = ${viewer.gestoreId}`);
    gestoreCf = own!.fiscal_code;
  }
  let gestoreId: string | null = null;
  if (gestoreCf) {
    const [g] = await db.execute<{ id: string }>(sql`select id from gestori where fiscal_code = ${gestoreCf}`);
    if (!g) return { level: await levelFor(db, viewer, null), gestoreId: null, gestoreCf, nothing: true };
    gestoreId = g.id;
  }
  return { level: await levelFor(db, viewer, gestoreId), gestoreId, gestoreCf, nothing: false };
}

/** The dashboard's level, from the practice-data column of the visibility sheet (db/visibility.ts). */
async function levelFor(db: DbOrTx, viewer: Viewer, gestoreId: string | null): Promise<VisibilityLevel> {
  const level = await sheetLevel(db, viewer, "pratiche");
  if (level === "totale") return "totale";
  if (level === "proprio_ente") return gestoreId !== null && gestoreId === viewer.gestoreId ? "proprio_ente" : "aggregato";
  if (level === "aggregata") return "aggregato";
  if (level === "territorio_anonima") return "territorio";
  // "nessuna", or no actor type at all: refused like a widening (an audited 403 at the routes).
  throw new OutOfScopeError("monitoring");
}

export type Stat = { count: number | null; median: number | null; p90: number | null };
/**
 * The figures of a row withheld by small-cell suppression (their value is then null). A null
 * amount *not* listed here is one no practice has.
 */
export type Withheld = ("count" | "requested" | "approved" | "disbursed" | "approvalRate")[];
export type StateRow = { state: PracticeStateValue; count: number | null; requested: string | null; approved: string | null; disbursed: string | null; withheld: Withheld };
export type FlowRow = { week: string; created: number | null; approved: number | null; rejected: number | null; disbursed: number | null };
export type MatrixCell = { from: PracticeStateValue; to: PracticeStateValue; count: number | null };
export type ComparisonRow = {
  measure: string;
  measureName: string;
  gestori: number;
  own: { count: number | null; requested: string | null; approved: string | null; disbursed: string | null; approvalRate: number | null; withheld: Withheld };
  average: { count: string | null; requested: string | null; approved: string | null; disbursed: string | null; approvalRate: number | null; withheld: Withheld };
};

/** Every figure of the dashboard but the timeliness per gestore (app/monitoring/figures.server.ts adds it). */
export type PracticeFigures = {
  scope: MonitoringScope;
  /** The day the figures are about (over-limit practices and lateness depend on it). */
  today: string;
  /** Individual data may be listed (numbers link to the practices behind them). */
  individual: boolean;
  byState: StateRow[];
  totals: { count: number | null; requested: string | null; approved: string | null; disbursed: string | null; approvalRate: number | null; withheld: Withheld };
  flow: FlowRow[];
  durations: (Stat & { state: PracticeStateValue })[];
  toDecision: Stat;
  toDisbursement: Stat;
  matrix: MatrixCell[];
  comparison: ComparisonRow[] | null;
};

/** States counted as approved and as rejected in the approval rate. */
export const APPROVED_STATES = ["DELIBERATA", "EROGATA", "REVOCATA"] as const;
export const REJECTED_STATES = ["NON_AMMESSA"] as const;

const FLOW_STATES = { DELIBERATA: "approved", NON_AMMESSA: "rejected", EROGATA: "disbursed" } as const;

/** The practice conditions of a filter, on alias p; `period` adds the submission period. */
export function practiceWhere(scope: MonitoringScope, f: MonitoringFilter, opts: { period: boolean; gestore?: boolean }): SQL {
  const c: SQL[] = [sql`true`];
  if (scope.nothing) c.push(sql`false`);
  if (scope.gestoreId && opts.gestore !== false) c.push(sql`p.gestore_id = ${scope.gestoreId}`);
  if (f.measure) c.push(sql`p.measure_id = (select id from measures where code = ${f.measure})`);
  if (f.comune) c.push(sql`p.comune_code = ${f.comune}`);
  if (f.province) c.push(sql`p.comune_code in (select code from comuni where province_code = ${f.province})`);
  if (f.region) c.push(sql`p.comune_code in (select code from comuni where region_code = ${f.region})`);
  if (f.ats) c.push(sql`ats_of(p.comune_code, p.submitted_on) = ${f.ats}`);
  if (opts.period && f.from) c.push(sql`p.submitted_on >= ${f.from}::date`);
  if (opts.period && f.to) c.push(sql`p.submitted_on <= ${f.to}::date`);
  return sql.join(c, sql` and `);
}

export function dateIn(column: SQL, f: MonitoringFilter): SQL {
  const c: SQL[] = [sql`true`];
  if (f.from) c.push(sql`${column} >= ${f.from}::date`);
  if (f.to) c.push(sql`${column} <= ${f.to}::date`);
  return sql.join(c, sql` and `);
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/**
 * `opts.source: "raw"` computes every figure on the raw tables even when the summary could answer
 * (tests compare the two; the benchmark's reference).
 */
export async function practiceFigures(
  db: DbOrTx,
  viewer: Viewer,
  filter: MonitoringFilter,
  opts: { today: string; source?: "auto" | "raw"; scope?: MonitoringScope },
): Promise<PracticeFigures> {
  const scope = opts.scope ?? (await monitoringScope(db, viewer, filter));
  const aggregate = withholdsSmallCells(scope.level);
  /** Primary small-cell suppression: a count of 1 to SMALL_CELL - 1, and what it would reveal, is withheld. */
  const keep = (n: number) => !aggregate || !isSmall(n);
  const cnt = (n: number) => (keep(n) ? n : null);
  const cohort = practiceWhere(scope, filter, { period: true });
  const base = practiceWhere(scope, filter, { period: false });
  // Without a condition on the practices, moves are counted from the history alone (no join).
  const everyPractice = !scope.nothing && !scope.gestoreId && !filter.measure && !filter.region && !filter.province && !filter.comune && !filter.ats;
  const movesOf = everyPractice ? sql`practice_history h` : sql`practice_history h join (select p.id from practices p where ${base}) b on b.id = h.practice_id`;

  const summary = scope.nothing || opts.source === "raw" ? null : rollupWhere(scope, filter);
  const [[stateRows, flowRows, matrixRows, timeRows], comparison] = await Promise.all([
    Promise.all(summary ? rollupQueries(db, summary) : rawQueries(db, cohort, base, movesOf, filter)),
    scope.gestoreId ? (summary ? comparisonFromRollup(db, scope, filter, aggregate) : comparisonRows(db, scope, filter, aggregate)) : Promise.resolve(null),
  ]);

  // An empty grouping set sums to null on the summary.
  const stateFigures = stateRows.map((r) => ({ ...r, n: r.n ?? 0, approved_n: r.approved_n ?? 0, disbursed_n: r.disbursed_n ?? 0 }));
  const rows = stateFigures.filter((r) => r.state !== null);
  const total = stateFigures.find((r) => r.state === null) ?? { state: null, n: 0, requested: null, approved: null, disbursed: null, approved_n: 0, disbursed_n: 0 };
  // Each column of the table adds up to the total row: primary and secondary suppression per column.
  const column = (contributors: (r: StateQueryRow) => number) => {
    const hide = aggregate && isSmall(contributors(total));
    return { hide, cells: aggregate ? withheldCells(rows.map(contributors), !hide) : rows.map(() => false) };
  };
  const counts = column((r) => r.n);
  const approvedAmounts = column((r) => r.approved_n);
  const disbursedAmounts = column((r) => r.disbursed_n);
  const byState: StateRow[] = rows.map((r, i) => {
    const withheld: Withheld = [];
    if (counts.cells[i]) withheld.push("count", "requested");
    if (counts.cells[i] || approvedAmounts.cells[i]) withheld.push("approved");
    if (counts.cells[i] || disbursedAmounts.cells[i]) withheld.push("disbursed");
    return {
      state: r.state!,
      count: counts.cells[i] ? null : r.n,
      requested: withheld.includes("requested") ? null : r.requested,
      approved: withheld.includes("approved") ? null : r.approved,
      disbursed: withheld.includes("disbursed") ? null : r.disbursed,
      withheld,
    };
  });
  byState.sort((a, b) => PRACTICE_STATE_VALUES.indexOf(a.state) - PRACTICE_STATE_VALUES.indexOf(b.state));
  const countIn = (states: readonly string[]) => rows.filter((r) => states.includes(r.state!)).reduce((s, r) => s + r.n, 0);
  const approvedCount = countIn(APPROVED_STATES);
  const rejectedCount = countIn(REJECTED_STATES);
  const decidedCount = approvedCount + rejectedCount;
  const totalsWithheld: Withheld = [];
  if (counts.hide) totalsWithheld.push("count", "requested");
  if (counts.hide || approvedAmounts.hide) totalsWithheld.push("approved");
  if (counts.hide || disbursedAmounts.hide) totalsWithheld.push("disbursed");
  // The rate and the counts of the decided states shown give each other away: with one of them
  // withheld, so is the rate; and a rate over fewer than SMALL_CELL approved or rejected is small.
  const decidedHidden = byState.some((r) => r.count === null && [...APPROVED_STATES, ...REJECTED_STATES].includes(r.state as never));
  if (aggregate && decidedCount > 0 && (approvedCount < SMALL_CELL || rejectedCount < SMALL_CELL || decidedHidden)) totalsWithheld.push("approvalRate");
  const shownTotal = <T,>(field: Withheld[number], value: T) => (totalsWithheld.includes(field) ? null : value);
  const totals = {
    count: shownTotal("count", total.n),
    requested: shownTotal("requested", total.requested ?? "0.00"),
    approved: shownTotal("approved", total.approved),
    disbursed: shownTotal("disbursed", total.disbursed),
    approvalRate: shownTotal("approvalRate", decidedCount > 0 ? approvedCount / decidedCount : null),
    withheld: totalsWithheld,
  };

  const weeks = new Map<string, { week: string; created: number; approved: number; rejected: number; disbursed: number }>();
  for (const r of flowRows) {
    const row = weeks.get(r.week) ?? { week: r.week, created: 0, approved: 0, rejected: 0, disbursed: 0 };
    const key = r.kind === "created" ? "created" : FLOW_STATES[r.kind as keyof typeof FLOW_STATES];
    row[key] += r.n;
    weeks.set(r.week, row);
  }
  const weekList = [...weeks.values()];
  // The weeks' new practices add up to the total of the cohort (both: submitted in the period).
  const createdHidden = aggregate ? withheldCells(weekList.map((w) => w.created), totals.count !== null) : weekList.map(() => false);
  const flow = weekList.map((w, i) => ({
    week: w.week,
    created: createdHidden[i] ? null : w.created,
    approved: cnt(w.approved),
    rejected: cnt(w.rejected),
    disbursed: cnt(w.disbursed),
  }));

  const matrix = matrixRows
    .map((r) => ({ from: r.from_state, to: r.to_state, count: cnt(r.n) }))
    .sort((a, b) => PRACTICE_STATE_VALUES.indexOf(a.from) - PRACTICE_STATE_VALUES.indexOf(b.from) || PRACTICE_STATE_VALUES.indexOf(a.to) - PRACTICE_STATE_VALUES.indexOf(b.to));

  const stat = (r: { n: number; median: number | null; p90: number | null } | undefined): Stat =>
    !r || r.n === 0 ? { count: 0, median: null, p90: null } : keep(r.n) ? { count: r.n, median: num(r.median), p90: num(r.p90) } : { count: null, median: null, p90: null };
  const durations = timeRows
    .filter((r) => r.kind === "stay")
    .map((r) => ({ state: r.state!, ...stat(r) }))
    .sort((a, b) => PRACTICE_STATE_VALUES.indexOf(a.state) - PRACTICE_STATE_VALUES.indexOf(b.state));

  return {
    scope,
    today: opts.today,
    individual: !aggregate,
    byState,
    totals,
    flow,
    durations,
    toDecision: stat(timeRows.find((r) => r.kind === "decision")),
    toDisbursement: stat(timeRows.find((r) => r.kind === "disbursement")),
    matrix,
    comparison,
  };
}

/** approved_n, disbursed_n: how many practices have the amount (contribute to the sum). */
type StateQueryRow = { state: PracticeStateValue | null; n: number; requested: string | null; approved: string | null; disbursed: string | null; approved_n: number; disbursed_n: number };
type FlowQueryRow = { week: string; kind: string; n: number };
type MatrixQueryRow = { from_state: PracticeStateValue; to_state: PracticeStateValue; n: number };
type TimeQueryRow = { kind: string; state: PracticeStateValue | null; n: number; median: number | null; p90: number | null };
type FigureQueries = readonly [Promise<StateQueryRow[]>, Promise<FlowQueryRow[]>, Promise<MatrixQueryRow[]>, Promise<TimeQueryRow[]>];

/** A period the summary's buckets cut exactly: whole calendar months (from a 1st, to a month's end). */
export function periodAligned(f: Pick<MonitoringFilter, "from" | "to">): boolean {
  const dayAfter = (iso: string) => new Date(Date.parse(`${iso}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return (!f.from || f.from.endsWith("-01")) && (!f.to || dayAfter(f.to).endsWith("-01"));
}

/**
 * The conditions on `monitoring_rollup r` that answer a filter, at the coarsest level that has
 * every dimension the filter names; null when only the raw tables can (a municipality, a period
 * not of whole months, a gestore or a measure together with a region or province).
 */
function rollupWhere(scope: MonitoringScope, f: MonitoringFilter): SQL | null {
  const geo = Boolean(f.region || f.province);
  if (f.comune || f.ats || !periodAligned(f) || ((scope.gestoreId || f.measure) && geo)) return null;
  const measure = f.measure ? sql`r.measure_id = (select id from measures where code = ${f.measure})` : null;
  const c: SQL[] = [];
  if (scope.gestoreId) c.push(sql`r.lvl = 4 and r.gestore_id = ${scope.gestoreId}`);
  else if (measure) c.push(sql`r.lvl = 1 and r.gestore_id = ${ROLLUP_ALL_ID}`);
  else if (f.province) c.push(sql`r.lvl = 3 and r.gestore_id = ${ROLLUP_ALL_ID} and r.measure_id = ${ROLLUP_ALL_ID}`);
  else if (f.region) c.push(sql`r.lvl = 2 and r.gestore_id = ${ROLLUP_ALL_ID} and r.measure_id = ${ROLLUP_ALL_ID} and r.province_code = ''`);
  else c.push(sql`r.lvl = 0 and r.gestore_id = ${ROLLUP_ALL_ID} and r.measure_id = ${ROLLUP_ALL_ID}`);
  if (measure) c.push(measure);
  if (f.region) c.push(sql`r.region_code = ${f.region}`);
  // The province's region, so the read stays one range of the primary key.
  else if (f.province) c.push(sql`r.region_code = (select region_code from comuni where province_code = ${f.province} limit 1)`);
  else c.push(sql`r.region_code = ''`);
  if (f.province) c.push(sql`r.province_code = ${f.province}`);
  else c.push(sql`r.province_code = ''`);
  if (f.from) c.push(sql`r.bucket >= ${f.from}::date`);
  if (f.to) c.push(sql`r.bucket <= ${f.to}::date`);
  return sql.join(c, sql` and `);
}

/**
 * How many practices there are now with these attributes, from the summary's stock (the practice
 * list's total); null when the summary cannot answer the combination (see rollupWhere).
 */
export async function stockCount(
  db: DbOrTx,
  f: { gestoreId: string | null; measure?: string; region?: string; province?: string; state?: PracticeStateValue },
): Promise<number | null> {
  const scope: MonitoringScope = { level: "totale", gestoreId: f.gestoreId, gestoreCf: null, nothing: false };
  const where = rollupWhere(scope, { measure: f.measure, region: f.region, province: f.province });
  if (!where) return null;
  const [row] = await db.execute<{ n: number }>(sql`
    select coalesce(sum(n), 0)::int as n from monitoring_rollup r
    where ${where} and r.fact = 'stock' and ${f.state ? sql`r.a = ${f.state}` : sql`true`}`);
  return row!.n;
}

/** percentile_cont over a histogram of integer days (sorted by days), as PostgreSQL computes it. */
export function histogramPercentile(hist: readonly (readonly [days: number, n: number])[], p: number): number | null {
  const total = hist.reduce((s, [, n]) => s + n, 0);
  if (total === 0) return null;
  const pos = p * (total - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const at = (k: number) => {
    let seen = 0;
    for (const [days, n] of hist) {
      seen += n;
      if (k < seen) return days;
    }
    return hist[hist.length - 1]![0];
  };
  const first = at(lo);
  const second = at(hi);
  return hi === lo ? first : first + (second - first) * (pos - lo);
}

/** The same rows as rawQueries, read from the summary. */
function rollupQueries(db: DbOrTx, where: SQL): FigureQueries {
  const times = db
    .execute<{ fact: string; a: string; days: number; n: number }>(sql`
      select fact, a, days, sum(n)::int as n from monitoring_rollup r
      where ${where} and r.fact in ('stay', 'decision', 'disbursement')
      group by 1, 2, 3 having sum(n) <> 0 order by 1, 2, 3`)
    .then((rows) => {
      const groups = new Map<string, { kind: string; state: PracticeStateValue | null; hist: [number, number][] }>();
      for (const kind of ["decision", "disbursement"]) groups.set(`${kind}:`, { kind, state: null, hist: [] });
      for (const r of rows) {
        const key = `${r.fact === "stay" ? "stay" : r.fact}:${r.fact === "stay" ? r.a : ""}`;
        const g = groups.get(key) ?? { kind: r.fact, state: r.fact === "stay" ? (r.a as PracticeStateValue) : null, hist: [] };
        g.hist.push([r.days, r.n]);
        groups.set(key, g);
      }
      return [...groups.values()].map(
        (g): TimeQueryRow => ({
          kind: g.kind,
          state: g.state,
          n: g.hist.reduce((s, [, n]) => s + n, 0),
          median: histogramPercentile(g.hist, 0.5),
          p90: histogramPercentile(g.hist, 0.9),
        }),
      );
    });
  return [
    db.execute<StateQueryRow>(sql`
      select case when grouping(a) = 1 then null else a end as state, sum(n)::int as n,
        case when sum(n) <> 0 then sum(requested)::text end as requested,
        case when sum(approved_n) > 0 then sum(approved)::text end as approved,
        case when sum(disbursed_n) > 0 then sum(disbursed)::text end as disbursed,
        sum(approved_n)::int as approved_n, sum(disbursed_n)::int as disbursed_n
      from monitoring_rollup r where ${where} and r.fact = 'stock'
      group by grouping sets ((a), ()) having sum(n) <> 0 or grouping(a) = 1`),
    db.execute<FlowQueryRow>(sql`
      select date_trunc('week', bucket)::date::text as week, case when fact = 'created' then 'created' else a end as kind, sum(n)::int as n
      from monitoring_rollup r where ${where} and r.fact in ('created', 'arrival')
      group by 1, 2 having sum(n) <> 0 order by 1`),
    db.execute<MatrixQueryRow>(sql`
      select a as from_state, b as to_state, sum(n)::int as n from monitoring_rollup r
      where ${where} and r.fact = 'move' group by 1, 2 having sum(n) <> 0`),
    times,
  ] as const;
}

/** The figures on the raw tables (a municipality, or a period the summary's buckets cannot cut). */
function rawQueries(db: DbOrTx, cohort: SQL, base: SQL, movesOf: SQL, filter: MonitoringFilter): FigureQueries {
  return [
    db.execute<StateQueryRow>(sql`
      select state::text as state, count(*)::int as n, sum(amount_requested)::text as requested,
        sum(amount_approved)::text as approved, sum(amount_disbursed)::text as disbursed,
        count(amount_approved)::int as approved_n, count(amount_disbursed)::int as disbursed_n
      from practices p where ${cohort}
      group by grouping sets ((state), ())`),
    db.execute<FlowQueryRow>(sql`
      with base as (select p.id, p.submitted_on, p.first_state, p.first_state_date from practices p where ${base}),
      ev as (
        select submitted_on as d, 'created' as kind from base where ${dateIn(sql`submitted_on`, filter)}
        union all
        select first_state_date, first_state::text from base
          where first_state in ('DELIBERATA', 'NON_AMMESSA', 'EROGATA') and ${dateIn(sql`first_state_date`, filter)}
        union all
        select h.state_date, h.to_state::text from ${movesOf}
          where h.kind = 'transition' and h.to_state in ('DELIBERATA', 'NON_AMMESSA', 'EROGATA') and ${dateIn(sql`h.state_date`, filter)}
      )
      select date_trunc('week', d)::date::text as week, kind, count(*)::int as n from ev group by 1, 2 order by 1`),
    db.execute<MatrixQueryRow>(sql`
      select h.from_state::text as from_state, h.to_state::text as to_state, count(*)::int as n
      from ${movesOf}
      where h.kind = 'transition' and ${dateIn(sql`h.state_date`, filter)}
      group by 1, 2`),
    db.execute<TimeQueryRow>(sql`
      with c as (select p.id, p.submitted_on, p.first_state, p.first_state_date from practices p where ${cohort}),
      arrivals as (
        select c.id as pid, 0::bigint as seq, null::practice_state as from_state, c.first_state as to_state, c.first_state_date as d, c.submitted_on from c
        union all
        select h.practice_id, h.id, h.from_state, h.to_state, h.state_date, c.submitted_on
          from practice_history h join c on c.id = h.practice_id where h.kind = 'transition'
      ),
      stays as (select from_state, d - lag(d) over (partition by pid order by seq) as days from arrivals),
      decided as (select min(d) - min(submitted_on) as days from arrivals where to_state in ('DELIBERATA', 'NON_AMMESSA') group by pid),
      disbursed as (select min(d) - min(submitted_on) as days from arrivals where to_state = 'EROGATA' group by pid)
      select 'stay' as kind, from_state::text as state, count(*)::int as n,
        percentile_cont(0.5) within group (order by days)::float8 as median, percentile_cont(0.9) within group (order by days)::float8 as p90
        from stays where from_state is not null group by from_state
      union all
      select 'decision', null, count(*)::int, percentile_cont(0.5) within group (order by days)::float8, percentile_cont(0.9) within group (order by days)::float8 from decided
      union all
      select 'disbursement', null, count(*)::int, percentile_cont(0.5) within group (order by days)::float8, percentile_cont(0.9) within group (order by days)::float8 from disbursed`),
  ] as const;
}

export type GestoreLastFile = { id: string; cf: string; name: string; lastRef: string | null; lastOn: string | null; daysSince: number | null };

/**
 * The gestori of the timeliness table with their last accepted file and the days since; the
 * obligations' assessment is added in app/monitoring/figures.server.ts. A gestore user sees only
 * its own gestore; officials and osservatori every gestore of the filter.
 */
export async function gestoreLastFiles(db: DbOrTx, viewer: Viewer, scope: MonitoringScope, f: MonitoringFilter, today: string): Promise<GestoreLastFile[]> {
  if (scope.nothing) return [];
  const c: SQL[] = [sql`g.active`];
  if (isGestoreRole(viewer.role)) c.push(sql`g.id = ${viewer.gestoreId}`);
  else if (scope.gestoreId) c.push(sql`g.id = ${scope.gestoreId}`);
  if (f.measure) c.push(sql`exists (select 1 from measure_gestori mg join measures m on m.id = mg.measure_id where mg.gestore_id = g.id and m.code = ${f.measure})`);
  const rows = await db.execute<{ id: string; cf: string; name: string; last_ref: string | null; last_on: string | null; days: number | null }>(sql`
    select g.id, g.fiscal_code as cf, g.name, last.reference_date::text as last_ref, last.accepted_on::text as last_on,
      (${today}::date - last.accepted_on)::int as days
    from gestori g
    left join lateral (
      select u.reference_date, (u.completed_at at time zone 'Europe/Rome')::date as accepted_on from uploads u
      where u.gestore_id = g.id and u.status = 'accepted' order by u.completed_at desc limit 1
    ) last on true
    where ${sql.join(c, sql` and `)}
    order by g.name`);
  return rows.map((r) => ({ id: r.id, cf: r.cf, name: r.name, lastRef: r.last_ref, lastOn: r.last_on, daysSince: r.days }));
}

/** The measure of the filter's code, ROLLUP_ALL_ID when no measure has it; null without a measure filter. */
export async function filterMeasureId(db: DbOrTx, f: MonitoringFilter): Promise<string | null> {
  if (!f.measure) return null;
  const [measure] = await db.execute<{ id: string }>(sql`select id from measures where code = ${f.measure}`);
  return measure?.id ?? ROLLUP_ALL_ID;
}

/**
 * Practices over their state limits on `today`, per gestore: issue 5's rule (overLimitCounts in
 * app/timeliness/digest.server.ts: more days in IN_ISTRUTTORIA / SOSPESA since the state's date
 * than the measure allows), on the summary's level 5 (waiting practices by state and day) rather
 * than a scan of every practice. Tests check both agree.
 */
export async function overLimitFromRollup(db: DbOrTx, today: string, gestoreId: string | null, measureId: string | null): Promise<Map<string, number>> {
  const rows = await db.execute<{ gestore_id: string; n: number }>(sql`
    select r.gestore_id, sum(r.n)::int as n
    from monitoring_rollup r join measures m on m.id = r.measure_id
    where r.lvl = 5 and r.fact = 'waiting'
      and ${gestoreId ? sql`r.gestore_id = ${gestoreId}` : sql`true`}
      and ${measureId ? sql`r.measure_id = ${measureId}` : sql`true`}
      and ((r.a = 'IN_ISTRUTTORIA' and m.max_days_istruttoria is not null and ${today}::date - (date '2000-01-01' + r.days) > m.max_days_istruttoria)
        or (r.a = 'SOSPESA' and m.max_days_sospesa is not null and ${today}::date - (date '2000-01-01' + r.days) > m.max_days_sospesa))
    group by r.gestore_id having sum(r.n) <> 0`);
  return new Map(rows.map((r) => [r.gestore_id, r.n]));
}

/**
 * A gestore's figures per measure against the average of all gestori accredited for that measure
 * (the same filters apply, except the gestore). For an aggregate viewer the average is withheld
 * when the other gestori's practices are fewer than SMALL_CELL.
 */
async function comparisonRows(db: DbOrTx, scope: MonitoringScope, f: MonitoringFilter, aggregate: boolean): Promise<ComparisonRow[]> {
  const where = practiceWhere(scope, f, { period: true, gestore: false });
  const approved = sql`p.state in ('DELIBERATA', 'EROGATA', 'REVOCATA')`;
  const decided = sql`p.state in ('DELIBERATA', 'EROGATA', 'REVOCATA', 'NON_AMMESSA')`;
  const own = sql`p.gestore_id = ${scope.gestoreId}`;
  const rows = await db.execute<ComparisonQueryRow>(sql`
    with ms as (
      select m.id, m.code, m.name, (select count(*)::int from measure_gestori x where x.measure_id = m.id) as gestori
      from measures m join measure_gestori mg on mg.measure_id = m.id and mg.gestore_id = ${scope.gestoreId}
      where ${f.measure ? sql`m.code = ${f.measure}` : sql`true`}
    )
    select ms.code, ms.name, ms.gestori,
      count(p.id) filter (where ${own})::int as own_n,
      coalesce(sum(p.amount_requested) filter (where ${own}), 0)::text as own_req,
      coalesce(sum(p.amount_approved) filter (where ${own}), 0)::text as own_appr,
      coalesce(sum(p.amount_disbursed) filter (where ${own}), 0)::text as own_disb,
      count(p.amount_approved) filter (where ${own})::int as own_appr_n,
      count(p.amount_disbursed) filter (where ${own})::int as own_disb_n,
      count(p.amount_approved)::int as all_appr_n,
      count(p.amount_disbursed)::int as all_disb_n,
      count(p.id) filter (where ${own} and ${approved})::int as own_ok,
      count(p.id) filter (where ${own} and ${decided})::int as own_dec,
      count(p.id)::int as all_n,
      round(count(p.id)::numeric / ms.gestori, 1)::text as avg_n,
      round(coalesce(sum(p.amount_requested), 0) / ms.gestori, 2)::text as avg_req,
      round(coalesce(sum(p.amount_approved), 0) / ms.gestori, 2)::text as avg_appr,
      round(coalesce(sum(p.amount_disbursed), 0) / ms.gestori, 2)::text as avg_disb,
      count(p.id) filter (where ${approved})::int as all_ok,
      count(p.id) filter (where ${decided})::int as all_dec
    from ms left join practices p on p.measure_id = ms.id and ${where}
    group by ms.code, ms.name, ms.gestori
    order by ms.code`);
  return comparisonFrom(rows, aggregate);
}

type ComparisonQueryRow = {
  code: string; name: string; gestori: number; own_n: number; own_req: string; own_appr: string; own_disb: string; own_ok: number; own_dec: number;
  all_n: number; avg_n: string; avg_req: string; avg_appr: string; avg_disb: string; all_ok: number; all_dec: number;
  own_appr_n: number; own_disb_n: number; all_appr_n: number; all_disb_n: number;
};

/**
 * For an aggregate viewer: the gestore's own figure is withheld when 1 to SMALL_CELL - 1 of its
 * practices contribute to it; the average (every gestore's sum over their number) when the *other*
 * gestori's contributors are under SMALL_CELL, since average × gestori − own would give them.
 * A rate is withheld when its approved or rejected practices are under SMALL_CELL.
 */
function comparisonFrom(rows: readonly ComparisonQueryRow[], aggregate: boolean): ComparisonRow[] {
  return rows.map((r) => {
    const own: Withheld = [];
    const average: Withheld = [];
    if (aggregate) {
      if (isSmall(r.own_n)) own.push("count", "requested", "approved", "disbursed", "approvalRate");
      if (isSmall(r.own_appr_n)) own.push("approved");
      if (isSmall(r.own_disb_n)) own.push("disbursed");
      if (r.own_dec > 0 && (r.own_ok < SMALL_CELL || r.own_dec - r.own_ok < SMALL_CELL)) own.push("approvalRate");
      const othersOk = r.all_ok - r.own_ok;
      const othersRejected = r.all_dec - r.all_ok - (r.own_dec - r.own_ok);
      if (r.all_n - r.own_n < SMALL_CELL) average.push("count", "requested", "approved", "disbursed", "approvalRate");
      if (r.all_appr_n - r.own_appr_n < SMALL_CELL) average.push("approved");
      if (r.all_disb_n - r.own_disb_n < SMALL_CELL) average.push("disbursed");
      if (r.all_dec > 0 && (othersOk < SMALL_CELL || othersRejected < SMALL_CELL)) average.push("approvalRate");
    }
    /** One column's figures, each null when withheld. */
    const cut = <C,>(withheld: Withheld, v: { count: C; requested: string; approved: string; disbursed: string; approvalRate: number | null }) => {
      const shown = <T,>(field: Withheld[number], value: T) => (withheld.includes(field) ? null : value);
      return {
        count: shown("count", v.count),
        requested: shown("requested", v.requested),
        approved: shown("approved", v.approved),
        disbursed: shown("disbursed", v.disbursed),
        approvalRate: shown("approvalRate", v.approvalRate),
        withheld: [...new Set(withheld)],
      };
    };
    return {
      measure: r.code,
      measureName: r.name,
      gestori: r.gestori,
      own: cut(own, { count: r.own_n, requested: r.own_req, approved: r.own_appr, disbursed: r.own_disb, approvalRate: r.own_dec ? r.own_ok / r.own_dec : null }),
      average: cut(average, { count: r.avg_n, requested: r.avg_req, approved: r.avg_appr, disbursed: r.avg_disb, approvalRate: r.all_dec ? r.all_ok / r.all_dec : null }),
    };
  });
}

/** comparisonRows from the summary: the gestore's own cells and those of every gestore of each measure. */
async function comparisonFromRollup(db: DbOrTx, scope: MonitoringScope, f: MonitoringFilter, aggregate: boolean): Promise<ComparisonRow[]> {
  // Only without a region or province (see rollupWhere): both levels have every practice of a measure.
  const c: SQL[] = [sql`r.fact = 'stock'`, sql`r.measure_id in (select id from ms)`];
  if (f.from) c.push(sql`r.bucket >= ${f.from}::date`);
  if (f.to) c.push(sql`r.bucket <= ${f.to}::date`);
  const common = sql.join(c, sql` and `);
  const every = sql`r.lvl = 1 and r.gestore_id = ${ROLLUP_ALL_ID} and r.region_code = '' and r.province_code = ''`;
  const sums = (level: SQL) => sql`
    select r.measure_id, sum(r.n) as n,
      case when sum(r.n) <> 0 then sum(r.requested) end as req,
      case when sum(r.approved_n) > 0 then sum(r.approved) end as appr,
      case when sum(r.disbursed_n) > 0 then sum(r.disbursed) end as disb,
      sum(r.approved_n) as appr_n, sum(r.disbursed_n) as disb_n,
      coalesce(sum(r.n) filter (where r.a in ('DELIBERATA', 'EROGATA', 'REVOCATA')), 0) as ok,
      coalesce(sum(r.n) filter (where r.a in ('DELIBERATA', 'EROGATA', 'REVOCATA', 'NON_AMMESSA')), 0) as dec
    from monitoring_rollup r where ${level} and ${common} group by r.measure_id`;
  const rows = await db.execute<ComparisonQueryRow>(sql`
    with ms as (
      select m.id, m.code, m.name, (select count(*)::int from measure_gestori x where x.measure_id = m.id) as gestori
      from measures m join measure_gestori mg on mg.measure_id = m.id and mg.gestore_id = ${scope.gestoreId}
      where ${f.measure ? sql`m.code = ${f.measure}` : sql`true`}
    ),
    own as (${sums(sql`r.lvl = 4 and r.gestore_id = ${scope.gestoreId} and r.region_code = '' and r.province_code = ''`)}),
    every as (${sums(every)})
    select ms.code, ms.name, ms.gestori,
      coalesce(o.n, 0)::int as own_n, coalesce(o.req, 0)::text as own_req, coalesce(o.appr, 0)::text as own_appr, coalesce(o.disb, 0)::text as own_disb,
      coalesce(o.ok, 0)::int as own_ok, coalesce(o.dec, 0)::int as own_dec,
      coalesce(o.appr_n, 0)::int as own_appr_n, coalesce(o.disb_n, 0)::int as own_disb_n,
      coalesce(e.appr_n, 0)::int as all_appr_n, coalesce(e.disb_n, 0)::int as all_disb_n,
      coalesce(e.n, 0)::int as all_n,
      round(coalesce(e.n, 0)::numeric / ms.gestori, 1)::text as avg_n,
      round(coalesce(e.req, 0) / ms.gestori, 2)::text as avg_req,
      round(coalesce(e.appr, 0) / ms.gestori, 2)::text as avg_appr,
      round(coalesce(e.disb, 0) / ms.gestori, 2)::text as avg_disb,
      coalesce(e.ok, 0)::int as all_ok, coalesce(e.dec, 0)::int as all_dec
    from ms left join own o on o.measure_id = ms.id left join every e on e.measure_id = ms.id
    order by ms.code`);
  return comparisonFrom(rows, aggregate);
}

type Geography = { regions: { code: string; name: string }[]; provinces: { code: string; name: string; region: string }[] };
// Reference data changes only with a migration, which restarts the server: read it once.
let geography: Promise<Geography> | undefined;

async function readGeography(db: DbOrTx): Promise<Geography> {
  const provinces = await db.execute<{ code: string; name: string; abbr: string; region_code: string; region_name: string }>(sql`
    select distinct province_code as code, province_name as name, province_abbr as abbr, region_code, region_name
    from comuni order by region_name, province_name`);
  const regions = new Map<string, string>();
  for (const p of provinces) regions.set(p.region_code, p.region_name);
  return {
    regions: [...regions].map(([code, name]) => ({ code, name })).sort((a, b) => a.name.localeCompare(b.name, "it")),
    provinces: provinces.map((p) => ({ code: p.code, name: `${p.name} (${p.abbr})`, region: p.region_code })),
  };
}

/** What the filters offer: measures, gestori, regions and provinces (names only, no practice data). */
export async function monitoringOptions(db: DbOrTx) {
  geography ??= readGeography(db).catch((e) => {
    geography = undefined;
    throw e;
  });
  const [{ measures, gestori }, geo] = await Promise.all([filterOptions(db), geography]);
  return { measures, gestori: gestori.map((g) => ({ cf: g.fiscalCode, name: g.name })), ...geo };
}
