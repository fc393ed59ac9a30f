import { getSql, type DbOrTx } from "~db/client";
import {
  filterMeasureId,
  gestoreLastFiles,
  monitoringScope,
  overLimitFromRollup,
  practiceFigures,
  withholdsSmallCells,
  type MonitoringFilter,
  type MonitoringScope,
  type PracticeFigures,
} from "~db/queries/monitoring";
import { atsFigures, type AtsFigures } from "~db/queries/ats-figures";
import { worklistChangeToken } from "~db/queries/backoffice";
import { isSmall } from "~db/queries/small-cells";
import { isGestoreRole, type Viewer } from "~db/scope";
import { assessObligations } from "~/timeliness/obligations.server";

export type TimelinessRow = {
  gestoreCf: string;
  gestoreName: string;
  lastReferenceDate: string | null;
  lastAcceptedOn: string | null;
  daysSince: number | null;
  /** Issue 5's obligations (app/timeliness/assess.ts), over the gestore's measures of the filter. */
  obligations: number;
  /** Days late of the oldest period still owed, the worst over the measures (0: none owed late). */
  daysLate: number | null;
  /** Periods past their due date, and those fulfilled by the due date. */
  periodsDue: number;
  periodsOnTime: number;
  onTimeShare: number | null;
  /** Practices over their state limits today (issue 5's overLimitCounts); null when withheld (< 5). */
  overLimit: number | null;
};
/** `ats`: the ATS of the Region in view and the comparison of an ATS with its Region's average (ADR 107). */
export type MonitoringFigures = PracticeFigures & { timeliness: TimelinessRow[]; ats: AtsFigures | null };

/**
 * Every figure of the dashboard for what the viewer may see. `opts.source: "raw"` computes them
 * on the raw tables even when the summary could answer (tests compare the two; the benchmark's
 * reference).
 */
export async function monitoringFigures(
  db: DbOrTx,
  viewer: Viewer,
  filter: MonitoringFilter,
  opts: { today: string; source?: "auto" | "raw" },
): Promise<MonitoringFigures> {
  const scope = await monitoringScope(db, viewer, filter);
  // Read once for both kept parts of this request.
  const token = worklistChangeToken(db);
  const [figures, timeliness, ats] = await Promise.all([
    practiceFigures(db, viewer, filter, { ...opts, scope }),
    cachedTimelinessRows(token, db, viewer, scope, filter, opts.today),
    // A gestore's own view has no ATS level: the comparison of gestori is its comparison.
    scope.gestoreId ? Promise.resolve(null) : opts.source === "raw" ? atsFigures(db, scope, filter) : cachedAtsFigures(token, db, scope, filter),
  ]);
  return { ...figures, timeliness, ats };
}

/** The longest a value kept per change is served at all (the change token's one race, docs/decisions/0058). */
const KEPT_MAX_AGE_MS = 60_000;
const KEPT_MAX = 100;
type Kept<T> = Map<string, { token: string; at: number; value: Promise<T> }>;

/**
 * A dashboard part computed at most once per change of the tables behind the worklist's change
 * token (practices, uploads, measures, gestori…: docs/decisions/0058, 0073), per `key` (everything
 * the computation reads of the viewer and the filter), for at most a minute.
 */
async function keptPerChange<T>(changeToken: Promise<string>, kept: Kept<T>, key: string, compute: () => Promise<T>): Promise<T> {
  const token = await changeToken;
  const hit = kept.get(key);
  if (hit && hit.token === token && Date.now() - hit.at < KEPT_MAX_AGE_MS) return hit.value;
  const entry = { token, at: Date.now(), value: compute() };
  entry.value.catch(() => kept.get(key) === entry && kept.delete(key));
  kept.delete(key);
  if (kept.size >= KEPT_MAX) kept.delete(kept.keys().next().value!);
  kept.set(key, entry);
  return entry.value;
}

const timelinessKept: Kept<TimelinessRow[]> = new Map();

/** The timeliness rows (every gestore's files and obligations: a third of the dashboard's database work), kept per change. */
function cachedTimelinessRows(token: Promise<string>, db: DbOrTx, viewer: Viewer, scope: MonitoringScope, f: MonitoringFilter, today: string): Promise<TimelinessRow[]> {
  // Everything timelinessRows reads of the viewer, the scope and the filter.
  const key = JSON.stringify([today, isGestoreRole(viewer.role) ? viewer.gestoreId : null, scope.level, scope.gestoreId, scope.nothing, f.measure ?? null]);
  return keptPerChange(token, timelinessKept, key, () => timelinessRows(db, viewer, scope, f, today));
}

const atsKept: Kept<AtsFigures | null> = new Map();

/**
 * The breakdown by ATS of a region (ADR 107), kept per change: it reads the region's practices
 * raw with each one's ATS at its submission (1.7 s at a million practices, the dashboard's slowest
 * view). A new ATS list shows within the minute (the ATS tables carry no change trigger).
 */
function cachedAtsFigures(token: Promise<string>, db: DbOrTx, scope: MonitoringScope, f: MonitoringFilter): Promise<AtsFigures | null> {
  const key = JSON.stringify([scope.level, scope.gestoreId, scope.nothing, f.region ?? null, f.ats ?? null, f.comune ?? null, f.province ?? null, f.measure ?? null, f.from ?? null, f.to ?? null]);
  return keptPerChange(token, atsKept, key, () => atsFigures(db, scope, f));
}

/**
 * Timeliness per gestore: its last accepted file and the days since; its obligations as issue 5
 * assesses them (days late, share of periods on time); its practices over their state limits.
 */
async function timelinessRows(db: DbOrTx, viewer: Viewer, scope: MonitoringScope, f: MonitoringFilter, today: string): Promise<TimelinessRow[]> {
  const rows = await gestoreLastFiles(db, viewer, scope, f, today);
  if (!rows.length) return [];
  // Issue 5's own functions: obligations assessed by assess(), over-limit counts by overLimitCounts.
  const one = isGestoreRole(viewer.role) ? viewer.gestoreId! : scope.gestoreId;
  const measureId = await filterMeasureId(db, f);
  const [states, over] = await Promise.all([assessObligations(getSql(), today, { gestoreId: one, measureId }), overLimitFromRollup(db, today, one, measureId)]);
  const aggregate = withholdsSmallCells(scope.level);
  return rows.map((r) => {
    const mine = states.filter((s) => s.gestoreCf === r.cf);
    const periods = mine.flatMap((s) => s.assessment.periods).filter((p) => p.status !== "pending");
    const onTime = periods.filter((p) => p.status === "fulfilled").length;
    const overLimit = over.get(r.id) ?? 0;
    return {
      gestoreCf: r.cf,
      gestoreName: r.name,
      lastReferenceDate: r.lastRef,
      lastAcceptedOn: r.lastOn,
      daysSince: r.daysSince,
      obligations: mine.length,
      daysLate: mine.length ? Math.max(0, ...mine.map((s) => s.assessment.oldestLate?.daysLate ?? 0)) : null,
      periodsDue: periods.length,
      periodsOnTime: onTime,
      onTimeShare: periods.length ? onTime / periods.length : null,
      overLimit: aggregate && isSmall(overLimit) ? null : overLimit,
    };
  });
}
