import { italianDate, todayInRome } from "~/lib/dates";
import { queueOutcomeMail } from "./outcome-mail.server";
import type { Sql, TransactionSql } from "postgres";
import { getSql } from "~db/client";
import { isUuid } from "~db/uuid";
import { PRACTICE_MACHINE_VERSION, type PracticeState } from "~workflows/practice.machine";
import { practiceSnapshotText } from "~workflows/practice-snapshot";
import { copyIn, copyOut, CopySpool, CopyWriter } from "./copy-stream.server";
import { HistorySegments } from "./history-segments.server";
import { copyText } from "./copy-text";
import { ErrorList, quoted, uploadError, type UploadError } from "./errors";
import { PracticeIndex, STORED_PRACTICE_COLUMNS, type Verdict } from "./practice-index";
import { CopyTextRows } from "./copy-rows";
import { centsToDecimal, SUBMISSION_ID_RE, type Detail, type Header, type MeasureInfo, type ValidationContext } from "./records";
import { scanUpload, type ScanResult } from "./scan";
import { describeFailure, failUpload, IngestTimeout, ingestTimeLimitMs, MAX_ATTEMPTS } from "./failure.server";
import { readChunks } from "./storage.server";

/** Phase timings, printed when INGEST_TIMINGS is set (used by the benchmark). */
export function stopwatch() {
  let last = performance.now();
  const marks: string[] = [];
  return {
    mark(name: string) {
      const now = performance.now();
      marks.push(`${name}=${Math.round(now - last)}ms`);
      last = now;
    },
    /** A step's time measured elsewhere, reported alongside. */
    add(name: string, ms: number) {
      marks.push(`(${name}=${Math.round(ms)}ms)`);
    },
    report() {
      if (process.env.INGEST_TIMINGS) process.stderr.write(`ingest timings: ${marks.join(" ")}\n`);
    },
  };
}

async function measuresFor(sql: Sql, gestoreId: string) {
  const rows = await sql<{ code: string; id: string; is_open: boolean; accredited: boolean }[]>`
    select m.code, m.id, m.is_open,
      exists (select 1 from measure_gestori mg where mg.measure_id = m.id and mg.gestore_id = ${gestoreId}) as accredited
    from measures m`;
  return new Map<string, MeasureInfo>(rows.map((r) => [r.code, { id: r.id, open: r.is_open, accredited: r.accredited }]));
}

// Reference data changes only with a migration, which restarts the worker: read it once.
let comuni: Promise<Set<string>> | undefined;
function comuniSet(sql: Sql) {
  comuni ??= sql<{ code: string }[]>`select code from comuni`.then(
    (rows) => new Set(rows.map((r) => r.code)),
    (e) => {
      comuni = undefined;
      throw e;
    },
  );
  return comuni;
}

export type Outcome = { status: "accepted" | "rejected" | "failed"; created: number; transitioned: number; updated: number; unchanged: number };

const PRACTICE_COLUMNS = `gestore_id, code, measure_id, beneficiary_fiscal_code, beneficiary_name, comune_code, submitted_on, state, state_date,
  amount_requested, amount_approved, amount_disbursed, notes, snapshot, machine_version, last_upload_id, first_state, first_state_date, first_upload_id`;

function practiceRow(d: Detail, gestoreId: string, uploadId: string) {
  const approved = d.approvedCents === null ? "\\N" : centsToDecimal(d.approvedCents);
  const disbursed = d.disbursedCents === null ? "\\N" : centsToDecimal(d.disbursedCents);
  const snapshot = practiceSnapshotText(d.state, { stateDate: d.stateDate });
  return `${gestoreId}\t${d.code}\t${d.measureId}\t${d.beneficiaryFiscalCode}\t${copyText(d.beneficiaryName)}\t${d.comuneCode}\t${d.submittedOn}\t${d.state}\t${d.stateDate}\t${centsToDecimal(d.requestedCents)}\t${approved}\t${disbursed}\t${copyText(d.notes)}\t${snapshot}\t${PRACTICE_MACHINE_VERSION}\t${uploadId}\t${d.state}\t${d.stateDate}\t${uploadId}\n`;
}

function historyRow(v: Extract<Verdict, { practiceId: number }>, d: Detail, uploadId: string) {
  return `${v.practiceId}\t${v.kind}\t${v.from}\t${d.state}\t${d.stateDate}\t${uploadId}\t${v.changes === null ? "\\N" : copyText(v.changes)}\n`;
}

/**
 * The gestore's stored practices, read into a compact index. Read with `COPY … TO STDOUT` and
 * parsed as bytes straight into the index's arena (docs/decisions/0077): PostgreSQL writes rows
 * while the worker parses the previous ones, and no row object or string is made per practice.
 */
async function loadPracticeIndex(tx: TransactionSql, gestoreId: string, timings: ReturnType<typeof stopwatch>) {
  const [{ n }] = await tx<{ n: number }[]>`select count(*)::int as n from practices where gestore_id = ${gestoreId}`;
  timings.mark("count");
  const index = new PracticeIndex(n);
  // COPY takes no parameters: the id is checked to be a uuid before it is written into the statement.
  if (!isUuid(gestoreId)) throw new Error("gestore id is not a uuid");
  const rows = new CopyTextRows((bytes, start, end) => index.addKnownRow(bytes, start, end));
  // Dates as YYYY-MM-DD, whatever the server's default (the order of day and month is kept).
  await tx`set local datestyle = 'ISO'`;
  await copyOut(tx, `copy (select ${STORED_PRACTICE_COLUMNS} from practices where gestore_id = '${gestoreId}') to stdout`, (chunk) => rows.push(chunk));
  rows.end();
  if (rows.rows !== index.known) throw new Error(`read ${rows.rows} stored practices, indexed ${index.known}`);
  return index;
}

/** The file has errors: nothing of it may stay. */
class Rejected extends Error {
  constructor(readonly scan: ScanResult) {
    super("rejected");
  }
}

/** A new code may be repeated in the file; a pass that remembers every code will tell. */
class MaybeRepeated extends Error {}

const NOTHING_APPLIED: Counts = { created: 0, transitioned: 0, updated: 0, unchanged: 0 };

/** The upload was ended by someone else (an administrator) while this worker still ran. */
class Abandoned extends Error {}
/** The upload is marked failed already; the transaction only has to roll back. */
class AlreadyFailed extends Error {}

const setPhase = (uploadId: string, phase: "index" | "reading" | "applying") =>
  void getSql()`update uploads set phase = ${phase} where id = ${uploadId} and status = 'processing'`.catch(() => {});

/**
 * Validates and applies one stored upload in one transaction: all or nothing. Safe to run again
 * after a crash (a finished upload is left alone; an unfinished one left no trace).
 *
 * One pass over the file: each record is checked and judged in memory against the gestore's
 * practices (docs/decisions/0010), and what it changes streams to PostgreSQL meanwhile. New
 * practices are copied into `practices`; moves and field changes into `practice_history`, from
 * which the practices are then updated in one statement. The COPY into the table that will get
 * most rows runs live; the other's rows wait in a spool file.
 *
 * Whatever breaks inside (docs/decisions/0046) rolls the transaction back, which frees the
 * gestore's lock, and ends the upload `failed` with a support reference; the time limit,
 * proportional to the size, ends the transaction's connection if need be.
 */
export async function ingestUpload(uploadId: string, opts: { today?: string } = {}): Promise<Outcome | null> {
  const sql = getSql();
  const [upload] = await sql<{ id: string; gestore_id: string; status: string; fiscal_code: string; size_bytes: number }[]>`
    select u.id, u.gestore_id, u.status, u.size_bytes, g.fiscal_code from uploads u join gestori g on g.id = u.gestore_id where u.id = ${uploadId}`;
  if (!upload || upload.status !== "processing") return null;
  const limitMs = ingestTimeLimitMs(Number(upload.size_bytes));
  const deadline = Date.now() + limitMs;
  let backend: number | null = null;
  // Past the limit the transaction's own connection is ended: a statement stuck in PostgreSQL
  // fails at once, and the reader stops at its next progress mark.
  const timer = setTimeout(() => {
    if (backend !== null) void sql`select pg_terminate_backend(${backend})`.catch(() => {});
  }, limitMs);
  timer.unref();
  try {
    return await ingestLocked(upload, { ...opts, deadline, limitMs, onBackend: (pid) => (backend = pid) });
  } catch (e) {
    if (e instanceof Abandoned) return null;
    // Failed before the transaction (reading the reference data), or already marked inside it.
    if (!(e instanceof AlreadyFailed)) {
      const cause = Date.now() >= deadline ? describeFailure(new IngestTimeout(limitMs)) : describeFailure(e);
      if (!(await failUpload(uploadId, cause))) return null;
    }
    return { status: "failed", ...NOTHING_APPLIED };
  } finally {
    clearTimeout(timer);
  }
}

/** What the record rules compare against: the gestore, today in Rome, the measures and the comuni. */
export async function validationContext(gestoreId: string, gestoreFiscalCode: string, today?: string): Promise<ValidationContext> {
  const sql = getSql();
  return { gestoreFiscalCode, today: today ?? todayInRome(), measures: await measuresFor(sql, gestoreId), comuni: await comuniSet(sql) };
}

async function ingestLocked(
  upload: { id: string; gestore_id: string; fiscal_code: string; size_bytes: number },
  opts: { today?: string; deadline: number; limitMs: number; onBackend: (pid: number) => void },
): Promise<Outcome | null> {
  const sql = getSql();
  const ctx = await validationContext(upload.gestore_id, upload.fiscal_code, opts.today);
  const timings = stopwatch();
  return sql.begin(async (tx): Promise<Outcome | null> => {
    try {
      return await ingestInTransaction(tx, upload, ctx, { ...opts, read: () => readChunks(upload.id) }, timings);
    } catch (e) {
      // Marked failed from another connection while this one still holds the gestore's lock: a
      // second worker waiting for the lock finds the upload ended, not a file to try again.
      if (!(e instanceof Abandoned)) await failUpload(upload.id, Date.now() >= opts.deadline ? describeFailure(new IngestTimeout(opts.limitMs)) : describeFailure(e));
      throw e instanceof Abandoned ? e : new AlreadyFailed();
    }
  });
}

/**
 * How one pass reads the file and whether its effects may stay. A dry run (docs/decisions/0102)
 * runs this same function inside a transaction that is always rolled back: nothing is recorded
 * outside it (attempts, phase, progress) and no outcome mail is queued.
 */
export type PassOptions = {
  deadline: number;
  limitMs: number;
  onBackend: (pid: number) => void;
  read: () => AsyncIterable<Uint8Array>;
  dryRun?: boolean;
};

export async function ingestInTransaction(
  tx: TransactionSql,
  upload: { id: string; gestore_id: string; fiscal_code: string; size_bytes: number },
  ctx: ValidationContext,
  opts: PassOptions,
  timings: ReturnType<typeof stopwatch> = stopwatch(),
): Promise<Outcome | null> {
  const sql = getSql();
  const uploadId = upload.id;
  const gestoreId = upload.gestore_id;
  const [me] = await tx<{ pid: number; started: Date }[]>`
    select pid, backend_start as started from pg_stat_activity where pid = pg_backend_pid()`;
  opts.onBackend(me!.pid);
  // One file of a gestore at a time; other gestori's files run alongside.
  await tx`select pg_advisory_xact_lock(hashtext(${"upload:" + gestoreId}))`;
  // Another worker may have finished this upload while we waited for the lock.
  const [still] = await tx`select 1 from uploads where id = ${uploadId} and status = 'processing'`;
  if (!still) return null;
  if (!opts.dryRun) {
    // Counted outside the transaction, so that a worker killed mid-file still counts its attempt.
    const [{ attempts }] = await sql<{ attempts: number }[]>`
      update uploads set attempts = attempts + 1, started_at = now(), lines_read = 0, phase = 'index',
        worker_pid = ${me!.pid}, worker_backend_start = ${me!.started}
      where id = ${uploadId} returning attempts`;
    if (attempts > MAX_ATTEMPTS) throw new Error(`interrupted ${MAX_ATTEMPTS} times (the worker stopped during each attempt)`);
  }
  const phase = (p: Parameters<typeof setPhase>[1]) => !opts.dryRun && setPhase(uploadId, p);
  await tx`set local work_mem = '256MB'`;
  timings.mark("lock");
  const index = await loadPracticeIndex(tx, gestoreId, timings);
  timings.mark("index");
  phase("reading");

  const progress = (lines: number) => {
    if (Date.now() >= opts.deadline) throw new IngestTimeout(opts.limitMs);
    if (!opts.dryRun) void sql`update uploads set lines_read = ${lines} where id = ${uploadId}`.catch(() => {});
  };
  const job: Pass = { tx, uploadId, gestoreId, ctx, index, progress, timings, read: opts.read, phase };
  let result: { scan: ScanResult; counts: Counts };
  try {
    result = await applyPass(job, { exact: false, expectedCodes: Math.ceil(Number(upload.size_bytes) / 40) });
  } catch (e) {
    // Whatever was written went with the savepoint.
    if (e instanceof Rejected) result = { scan: e.scan, counts: NOTHING_APPLIED };
    else if (e instanceof MaybeRepeated) {
      timings.mark("first pass");
      try {
        result = await applyPass(job, { exact: true });
      } catch (e2) {
        if (!(e2 instanceof Rejected)) throw e2;
        result = { scan: e2.scan, counts: NOTHING_APPLIED };
      }
    } else throw e;
  }
  timings.mark("apply");
  timings.report();
  const { scan, counts } = result;
  const { header, errors, details, lines } = scan;
  // Stored only when well formed: the rest of a broken header may not even be storable text.
  const submissionId = header?.submissionId && SUBMISSION_ID_RE.test(header.submissionId) ? header.submissionId : null;
  if (errors.count > 0) {
    const [done] = await tx`update uploads set status = 'rejected', completed_at = now(), records = ${details}, lines_read = ${lines},
      submission_id = ${submissionId}, reference_date = ${header?.referenceDate ?? null},
      error_count = ${errors.count}, errors = ${JSON.stringify(errors.listed)}::jsonb where id = ${uploadId} and status = 'processing' returning 1`;
    if (!done) throw new Abandoned();
    if (!opts.dryRun) await queueOutcomeMail(tx, uploadId);
    return { status: "rejected", created: 0, transitioned: 0, updated: 0, unchanged: 0 };
  }
  const [done] = await tx`update uploads set status = 'accepted', completed_at = now(), records = ${details}, lines_read = ${lines},
    submission_id = ${submissionId}, reference_date = ${header!.referenceDate},
    created = ${counts.created}, transitioned = ${counts.transitioned}, updated = ${counts.updated}, unchanged = ${counts.unchanged},
    error_count = 0, errors = '[]'::jsonb where id = ${uploadId} and status = 'processing' returning 1`;
  if (!done) throw new Abandoned();
  if (!opts.dryRun) await queueOutcomeMail(tx, uploadId);
  return { status: "accepted", ...counts };
}

type Counts = { created: number; transitioned: number; updated: number; unchanged: number };
type Pass = {
  tx: TransactionSql;
  uploadId: string;
  gestoreId: string;
  ctx: ValidationContext;
  index: PracticeIndex;
  progress: (lines: number) => void;
  timings: ReturnType<typeof stopwatch>;
  read: () => AsyncIterable<Uint8Array>;
  phase: (p: "applying") => void;
};

/**
 * Reads and applies the file in one go, inside a savepoint: throws `Rejected` when the file
 * cannot be accepted, or `MaybeRepeated` when only an exact pass can say.
 */
async function applyPass({ tx, uploadId, gestoreId, ctx, index, progress, timings, read, phase }: Pass, mode: Parameters<PracticeIndex["startPass"]>[0]) {
  index.startPass(mode);
  let maybeRepeated = false;
  const counts: Counts = { created: 0, transitioned: 0, updated: 0, unchanged: 0 };
  return tx.savepoint(async (sp) => {
    const history = await HistorySegments.start(sp, uploadId);
    const [{ lastPractice }] = await sp<{ lastPractice: string }[]>`select coalesce(max(id), 0)::text as "lastPractice" from practices`;
    const copyPractices = async () => new CopyWriter(await copyIn(sp, `copy practices (${PRACTICE_COLUMNS}) from stdin`));
    // A first file creates every practice, copied as it is read; no record of it can match a
    // stored practice, so no history segment ever needs the connection meanwhile. Later files
    // mostly move known practices: their new practices wait in a spool file.
    const firstFile = index.known === 0;
    const live = firstFile ? await copyPractices() : null;
    const spool = new CopySpool();
    const practicesOut = live ?? spool.writer;
    const errors = new ErrorList();
    const judged: UploadError[] = [];
    let scan: ScanResult;
    try {
      scan = await scanUpload(
        read(),
        ctx,
        (d) => {
          const v = index.judge(d, judged);
          if (judged.length) for (const e of judged.splice(0)) errors.add(e);
          if (v.kind === "maybe-repeated") maybeRepeated = true;
          // Once the file has an error it is rejected: read on for its errors, write nothing.
          if (errors.count > 0 || maybeRepeated || "clean" in d) return;
          if (v.kind === "new") {
            counts.created += 1;
            return practicesOut.write(practiceRow(d, gestoreId, uploadId));
          }
          if (v.kind === "unchanged") counts.unchanged += 1;
          else if (v.kind === "transition" || v.kind === "update") {
            counts[v.kind === "transition" ? "transitioned" : "updated"] += 1;
            return history.write(historyRow(v, d, uploadId));
          }
        },
        progress,
        errors,
      );
      phase("applying");
      await live?.end();
      if (errors.count === 0 && !maybeRepeated) await history.end();
      else await history.abandon();
      if (spool.writer.rows > 0 && errors.count === 0 && !maybeRepeated) await spool.drainInto(await copyIn(sp, `copy practices (${PRACTICE_COLUMNS}) from stdin`));
      // The new practices join the monitoring summary in one statement (docs/decisions/0034).
      if (counts.created > 0 && errors.count === 0 && !maybeRepeated) {
        const t = performance.now();
        await sp`select monitoring_apply_new(${uploadId}, ${lastPractice})`;
        timings.add("summary of new practices", performance.now() - t);
      }
      for (const [step, ms] of Object.entries(history.spent)) if (ms > 0) timings.add(`history ${step}`, ms);
    } catch (e) {
      // The live COPY must end before the savepoint can be rolled back on its connection.
      live?.abort(e instanceof Error ? e : new Error(String(e)));
      throw e;
    } finally {
      await spool.discard();
    }
    // Without a repeat among them, the errors found are all the file's errors.
    if (maybeRepeated) throw new MaybeRepeated();
    await addSubmissionErrors(sp, gestoreId, scan.header, errors);
    if (errors.count > 0) throw new Rejected(scan);
    return { scan, counts };
  });
}

/** The header rules that look at the gestore's earlier accepted files. */
async function addSubmissionErrors(sp: TransactionSql, gestoreId: string, header: Header | null, errors: ErrorList) {
  if (header?.referenceDate) {
    const [last] = await sp<{ reference_date: string | null }[]>`
      select max(reference_date)::text as reference_date from uploads where gestore_id = ${gestoreId} and status = 'accepted'`;
    if (last?.reference_date && header.referenceDate < last.reference_date)
      errors.add(uploadError(1, "data_riferimento", "STALE_FILE", `l'ultimo file accettato è riferito al ${italianDate(last.reference_date)}`));
  }
  // A malformed id is already an error, and may not even be storable text (a NUL byte).
  if (header?.submissionId && SUBMISSION_ID_RE.test(header.submissionId)) {
    const [dup] = await sp`select 1 from uploads where gestore_id = ${gestoreId} and status = 'accepted' and submission_id = ${header.submissionId}`;
    if (dup) errors.add(uploadError(1, "id_invio", "DUPLICATE_SUBMISSION", quoted(header.submissionId)));
  }
}

/** Applies a gestore's waiting uploads one at a time, oldest first, until none is left. */
export async function ingestPendingUploads(gestoreId: string, opts: { today?: string } = {}) {
  const sql = getSql();
  for (;;) {
    const [next] = await sql<{ id: string }[]>`
      select id from uploads where gestore_id = ${gestoreId} and status = 'processing' order by received_at, id limit 1`;
    if (!next) return;
    await ingestUpload(next.id, opts);
  }
}

/**
 * Gestori with uploads waiting that no worker is applying now: their lock (taken by ingestUpload)
 * is free, e.g. because the worker that held it was killed mid-file.
 */
export async function gestoriWithAbandonedUploads() {
  const abandoned: string[] = [];
  for (const gestoreId of await gestoriWithPendingUploads()) {
    const free = await getSql().begin(async (tx) => {
      const [r] = await tx<{ free: boolean }[]>`select pg_try_advisory_xact_lock(hashtext(${"upload:" + gestoreId})) as free`;
      return r!.free;
    });
    if (free) abandoned.push(gestoreId);
  }
  return abandoned;
}

/** Gestori with uploads still waiting, e.g. after a worker was killed mid-file. */
export async function gestoriWithPendingUploads() {
  const rows = await getSql()<{ gestore_id: string }[]>`select distinct gestore_id from uploads where status = 'processing'`;
  return rows.map((r) => r.gestore_id);
}
