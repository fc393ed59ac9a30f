import { and, asc, desc, eq, gt, gte, ilike, lt, lte, ne, or, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { stockCount } from "./monitoring";
import { OutOfScopeError, type Viewer } from "../scope";
import { individualGestoreScope } from "../visibility";
import { comuni, gestori, measures, practiceHistory, practices, uploads, users, type PRACTICE_STATE_VALUES } from "../schema";

export type PracticeFilter = {
  q?: string;
  measure?: string;
  state?: (typeof PRACTICE_STATE_VALUES)[number];
  gestore?: string;
  from?: string;
  to?: string;
  // From the monitoring dashboard's links (docs/decisions/0021):
  region?: string;
  province?: string;
  comune?: string;
  submittedFrom?: string;
  submittedTo?: string;
  /** Practices that reached this state (first report or move)… */
  event?: (typeof PRACTICE_STATE_VALUES)[number];
  /** …by a move from this state (alone: practices that left it)… */
  eventFrom?: (typeof PRACTICE_STATE_VALUES)[number];
  /** …dated in this range. */
  eventSince?: string;
  eventUntil?: string;
  /** Over their state limits on this day (the same condition as app/timeliness/digest.server.ts). */
  overLimitOn?: string;
};

export const PAGE_SIZE = 50;

/** `confined`: the gestore the viewer is confined to (individualGestoreScope), null for every gestore. */
function conditions(confined: string | null, f: PracticeFilter): SQL | undefined {
  const q = f.q?.trim();
  const like = q ? `%${q.replace(/[%_\\]/g, "\\$&")}%` : null;
  return and(
    confined ? eq(practices.gestoreId, confined) : f.gestore ? eq(gestori.fiscalCode, f.gestore) : undefined,
    like ? or(ilike(practices.code, like), ilike(practices.beneficiaryName, like), eq(practices.beneficiaryFiscalCode, q!.toUpperCase())) : undefined,
    f.measure ? eq(measures.code, f.measure) : undefined,
    f.state ? eq(practices.state, f.state) : undefined,
    f.from ? gte(practices.stateDate, f.from) : undefined,
    f.to ? lte(practices.stateDate, f.to) : undefined,
    f.region ? sql`${practices.comuneCode} in (select code from comuni where region_code = ${f.region})` : undefined,
    f.province ? sql`${practices.comuneCode} in (select code from comuni where province_code = ${f.province})` : undefined,
    f.comune ? eq(practices.comuneCode, f.comune) : undefined,
    f.submittedFrom ? gte(practices.submittedOn, f.submittedFrom) : undefined,
    f.submittedTo ? lte(practices.submittedOn, f.submittedTo) : undefined,
    f.event || f.eventFrom ? reached(f) : undefined,
    f.overLimitOn ? overLimit(f.overLimitOn) : undefined,
  );
}

/** Over the limit of its state on `day`: issue 5's rule (overLimitCounts, overLimitPractices). */
function overLimit(day: string): SQL {
  return sql`exists (select 1 from measures m where m.id = ${practices.measureId}
    and ((${practices.state} = 'IN_ISTRUTTORIA' and m.max_days_istruttoria is not null and ${day}::date - ${practices.stateDate} > m.max_days_istruttoria)
      or (${practices.state} = 'SOSPESA' and m.max_days_sospesa is not null and ${day}::date - ${practices.stateDate} > m.max_days_sospesa)))`;
}

/** The practice reached a state (as the monitoring's flows and matrix count it). */
function reached(f: PracticeFilter): SQL {
  const moved = and(
    sql`h.practice_id = ${practices.id} and h.kind = 'transition'`,
    f.event ? sql`h.to_state = ${f.event}` : undefined,
    f.eventFrom ? sql`h.from_state = ${f.eventFrom}` : undefined,
    f.eventSince ? sql`h.state_date >= ${f.eventSince}::date` : undefined,
    f.eventUntil ? sql`h.state_date <= ${f.eventUntil}::date` : undefined,
  )!;
  const viaHistory = sql`exists (select 1 from practice_history h where ${moved})`;
  if (f.eventFrom || !f.event) return viaHistory;
  const firstReport = and(
    eq(practices.firstState, f.event),
    f.eventSince ? gte(practices.firstStateDate, f.eventSince) : undefined,
    f.eventUntil ? lte(practices.firstStateDate, f.eventUntil) : undefined,
  )!;
  return or(viaHistory, firstReport)!;
}

/**
 * Where a page of the list starts: after (`dir: "after"`) or before the practice with this id.
 * The list is in order of first report, newest first (id descending): a cursor is one position of
 * the primary key (or of `practices_gestore_id_idx` for a gestore), so any page costs what the
 * first one does (docs/decisions/0036).
 */
export type ListCursor = { dir: "after" | "before"; id: number };

/** The cursor of a URL (`dopo` / `prima`); null when absent or not an id. */
export function parseListCursor(dir: "after" | "before", text: string | null | undefined): ListCursor | null {
  if (!text || !/^\d{1,15}$/.test(text)) return null;
  return { dir, id: Number(text) };
}

/** A page of the practices the viewer may see, filtered on the server, from a keyset cursor. */
export async function listPractices(db: DbOrTx, viewer: Viewer, filter: PracticeFilter, cursor: ListCursor | null = null) {
  const before = cursor?.dir === "before";
  const position = cursor ? (before ? gt(practices.id, cursor.id) : lt(practices.id, cursor.id)) : undefined;
  const confined = await individualGestoreScope(db, viewer, "identita", "practice");
  const rows = await db
    .select({
      id: practices.id,
      code: practices.code,
      beneficiaryName: practices.beneficiaryName,
      state: practices.state,
      stateDate: practices.stateDate,
      amountRequested: practices.amountRequested,
      measureCode: measures.code,
      gestoreName: gestori.name,
    })
    .from(practices)
    .innerJoin(measures, eq(measures.id, practices.measureId))
    .innerJoin(gestori, eq(gestori.id, practices.gestoreId))
    .where(and(conditions(confined, filter), position))
    .orderBy(before ? asc(practices.id) : desc(practices.id))
    .limit(PAGE_SIZE + 1);
  const more = rows.length > PAGE_SIZE;
  const page = rows.slice(0, PAGE_SIZE);
  if (before) page.reverse();
  const first = page[0];
  const last = page[page.length - 1];
  return {
    rows: page,
    // Read backwards, a full page before the cursor means more before it; read forwards, the cursor's own page is behind.
    prev: first && (before ? more : cursor !== null) ? String(first.id) : null,
    next: last && (before || more) ? String(last.id) : null,
  };
}

export type PracticeTotal = { n: number; estimated: boolean };

const EXACT_UP_TO = 1000;

/**
 * How many practices the list's filter selects, cheaply: exact from the monitoring summary when
 * it can answer (state, measure, gestore, region, province: docs/decisions/0027), exact by
 * counting when there are at most 1,000, otherwise the planner's estimate (shown as "circa").
 */
export async function countPractices(db: DbOrTx, viewer: Viewer, filter: PracticeFilter): Promise<PracticeTotal> {
  const confined = await individualGestoreScope(db, viewer, "identita", "practice");
  const summary = await countFromSummary(db, confined, filter);
  if (summary !== null) return { n: summary, estimated: false };
  const where = conditions(confined, filter);
  const matching = () =>
    db
      .select({ one: sql`1` })
      .from(practices)
      .innerJoin(measures, eq(measures.id, practices.measureId))
      .innerJoin(gestori, eq(gestori.id, practices.gestoreId))
      .where(where);
  const capped = matching().limit(EXACT_UP_TO + 1);
  const [{ n }] = (await db.execute<{ n: number }>(sql`select count(*)::int as n from (${capped}) c`)) as unknown as [{ n: number }];
  if (n <= EXACT_UP_TO) return { n, estimated: false };
  const uncapped = matching();
  const [plan] = (await db.execute<{ "QUERY PLAN": [{ Plan: { "Plan Rows": number } }] }>(sql`explain (format json) ${uncapped}`)) as unknown as [
    { "QUERY PLAN": [{ Plan: { "Plan Rows": number } }] },
  ];
  return { n: Math.max(EXACT_UP_TO + 1, Math.round(plan!["QUERY PLAN"][0].Plan["Plan Rows"])), estimated: true };
}

const SUMMARY_FILTERS = new Set(["state", "measure", "gestore", "region", "province"]);

async function countFromSummary(db: DbOrTx, confined: string | null, f: PracticeFilter): Promise<number | null> {
  const named = Object.entries(f).filter(([, v]) => v !== undefined && v !== "");
  if (named.some(([k]) => !SUMMARY_FILTERS.has(k))) return null;
  let gestoreId = confined;
  if (!gestoreId && f.gestore) {
    const [g] = await db.select({ id: gestori.id }).from(gestori).where(eq(gestori.fiscalCode, f.gestore));
    if (!g) return 0;
    gestoreId = g.id;
  }
  return stockCount(db, { gestoreId, measure: f.measure, region: f.region, province: f.province, state: f.state });
}

/** One practice with its timeline; another gestore's practice is refused. */
export async function getPracticeDetail(db: DbOrTx, viewer: Viewer, idParam: string) {
  if (!/^\d{1,15}$/.test(idParam)) return null;
  const id = Number(idParam);
  const [row] = await db
    .select({ practice: practices, measureCode: measures.code, measureName: measures.name, gestoreName: gestori.name, gestoreFiscalCode: gestori.fiscalCode, comuneName: comuni.name, provinceAbbr: comuni.provinceAbbr })
    .from(practices)
    .innerJoin(measures, eq(measures.id, practices.measureId))
    .innerJoin(gestori, eq(gestori.id, practices.gestoreId))
    .leftJoin(comuni, eq(comuni.code, practices.comuneCode))
    .where(eq(practices.id, id));
  if (!row) return null;
  const confined = await individualGestoreScope(db, viewer, "identita", "practice");
  if (confined && confined !== row.practice.gestoreId) throw new OutOfScopeError("practice");
  const history = await db
    .select({
      id: practiceHistory.id,
      kind: practiceHistory.kind,
      fromState: practiceHistory.fromState,
      toState: practiceHistory.toState,
      stateDate: practiceHistory.stateDate,
      recordedAt: practiceHistory.recordedAt,
      uploadId: practiceHistory.uploadId,
      submissionId: uploads.submissionId,
      changes: practiceHistory.changes,
      userName: users.name,
      userSurname: users.surname,
    })
    .from(practiceHistory)
    .leftJoin(uploads, eq(uploads.id, practiceHistory.uploadId))
    .leftJoin(users, eq(users.id, practiceHistory.userId))
    // Rows of kind "created" predate migration 0005: the first report now lives on the practice.
    .where(and(eq(practiceHistory.practiceId, id), ne(practiceHistory.kind, "created")))
    .orderBy(asc(practiceHistory.id));
  const p = row.practice;
  const [firstUpload] = p.firstUploadId
    ? await db.select({ submissionId: uploads.submissionId }).from(uploads).where(eq(uploads.id, p.firstUploadId))
    : [];
  const firstReport = {
    id: 0,
    kind: "created" as const,
    fromState: null,
    toState: p.firstState,
    stateDate: p.firstStateDate,
    recordedAt: p.createdAt,
    uploadId: p.firstUploadId,
    submissionId: firstUpload?.submissionId ?? null,
    changes: null,
    userName: null,
    userSurname: null,
  };
  return { ...row, history: [firstReport, ...history] };
}

/**
 * One batch of a gestore's practices for its export (docs/decisions/0104), by id after `afterId`:
 * the state the platform holds, without the beneficiary's data.
 */
export async function practicesExportBatch(db: DbOrTx, gestoreId: string, afterId: number, limit: number) {
  return db
    .select({
      id: practices.id,
      code: practices.code,
      measure: measures.code,
      comune: practices.comuneCode,
      submittedOn: practices.submittedOn,
      state: practices.state,
      stateDate: practices.stateDate,
      requested: practices.amountRequested,
      approved: practices.amountApproved,
      disbursed: practices.amountDisbursed,
      updatedAt: practices.updatedAt,
    })
    .from(practices)
    .innerJoin(measures, eq(measures.id, practices.measureId))
    .where(and(eq(practices.gestoreId, gestoreId), gt(practices.id, afterId)))
    .orderBy(asc(practices.id))
    .limit(limit);
}
