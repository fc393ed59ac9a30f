import type { Sql, TransactionSql } from "postgres";
import { getSql } from "~db/client";
import { PRACTICE_MACHINE_VERSION } from "~workflows/practice.machine";
import { reachablePairs } from "~workflows/practice-graph";
import { ErrorList, uploadError, type UploadErrorCode } from "./errors";
import { centsToDecimal, type Detail, type MeasureInfo } from "./records";
import { scanUpload } from "./scan";
import { readChunks } from "./storage.server";

/** Phase timings, printed when INGEST_TIMINGS is set (used by the benchmark). */
function stopwatch() {
  let last = performance.now();
  const marks: string[] = [];
  return {
    mark(name: string) {
      const now = performance.now();
      marks.push(`${name}=${Math.round(now - last)}ms`);
      last = now;
    },
    report() {
      if (process.env.INGEST_TIMINGS) process.stderr.write(`ingest timings: ${marks.join(" ")}\n`);
    },
  };
}

export function todayInRome(now = new Date()) {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Rome" }).format(now);
}

const NEEDS_ESCAPE = /[\\\t\n\r]/;

/** COPY text format. Only free text can hold its special characters; other fields are checked. */
function copyText(v: string) {
  return NEEDS_ESCAPE.test(v) ? v.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r") : v;
}

function copyRow(d: Detail | { line: number; code: string; clean: false }) {
  if ("clean" in d) return `${d.line}\t${copyText(d.code)}${"\t\\N".repeat(11)}\tf\n`;
  const approved = d.approvedCents === null ? "\\N" : centsToDecimal(d.approvedCents);
  const disbursed = d.disbursedCents === null ? "\\N" : centsToDecimal(d.disbursedCents);
  return `${d.line}\t${d.code}\t${d.measureId}\t${d.beneficiaryFiscalCode}\t${copyText(d.beneficiaryName)}\t${d.comuneCode}\t${d.submittedOn}\t${d.state}\t${d.stateDate}\t${centsToDecimal(d.requestedCents)}\t${approved}\t${disbursed}\t${copyText(d.notes)}\tt\n`;
}

/** The allowed (from, to) pairs, as SQL values derived from the machine definition. */
function reachableValues(sql: Sql | TransactionSql) {
  const pairs = reachablePairs();
  return sql.unsafe(pairs.map(([f, t]) => `('${f}'::practice_state, '${t}'::practice_state)`).join(", "));
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

type Outcome = { status: "accepted" | "rejected"; created: number; transitioned: number; updated: number; unchanged: number };

/**
 * Validates and applies one stored upload in one transaction: all or nothing. Safe to run again
 * after a crash (a finished upload is left alone; an unfinished one left no trace).
 */
export async function ingestUpload(uploadId: string, opts: { today?: string } = {}): Promise<Outcome | null> {
  const sql = getSql();
  const [upload] = await sql<{ id: string; gestore_id: string; status: string; fiscal_code: string }[]>`
    select u.id, u.gestore_id, u.status, g.fiscal_code from uploads u join gestori g on g.id = u.gestore_id where u.id = ${uploadId}`;
  if (!upload || upload.status !== "processing") return null;
  const ctx = {
    gestoreFiscalCode: upload.fiscal_code,
    today: opts.today ?? todayInRome(),
    measures: await measuresFor(sql, upload.gestore_id),
    comuni: await comuniSet(sql),
  };
  await sql`update uploads set started_at = now(), lines_read = 0 where id = ${uploadId}`;

  const timings = stopwatch();
  return sql.begin(async (tx): Promise<Outcome | null> => {
    // One file of a gestore at a time; other gestori's files run alongside.
    await tx`select pg_advisory_xact_lock(hashtext(${"upload:" + upload.gestore_id}))`;
    // Another worker may have finished this upload while we waited for the lock.
    const [still] = await tx`select 1 from uploads where id = ${uploadId} and status = 'processing'`;
    if (!still) return null;
    // Million-row joins and sorts would otherwise spill to disk in 4 MB pieces.
    await tx`set local work_mem = '256MB'`;
    await tx`create temp table stage (
      line int, code text, measure_id uuid, cf text, name text, comune text, submitted_on date,
      state practice_state, state_date date, requested numeric(15,2), approved numeric(15,2), disbursed numeric(15,2), notes text,
      clean boolean
    ) on commit drop`;
    const copy = await tx`copy stage from stdin`.writable();
    const copyDone = new Promise<void>((resolve, reject) => {
      copy.on("finish", resolve);
      copy.on("error", reject);
    });
    // Rows are batched: one CopyData message per row would cost more than the parsing.
    let batch = "";
    const flushBatch = () => {
      const ok = copy.write(batch);
      batch = "";
      if (!ok) return new Promise<void>((r) => copy.once("drain", () => r()));
    };
    const write = (d: Parameters<typeof copyRow>[0]) => {
      batch += copyRow(d);
      if (batch.length >= 256 * 1024) return flushBatch();
    };
    const scan = await scanUpload(readChunks(uploadId), ctx, write, (lines) => {
      void sql`update uploads set lines_read = ${lines} where id = ${uploadId}`.catch(() => {});
    });
    if (batch) await flushBatch();
    copy.end();
    await copyDone;
    timings.mark("scan+copy");
    const errors = scan.errors;
    const header = scan.header;

    if (header?.referenceDate) {
      const [last] = await tx<{ reference_date: string | null }[]>`
        select max(reference_date)::text as reference_date from uploads where gestore_id = ${upload.gestore_id} and status = 'accepted'`;
      if (last?.reference_date && header.referenceDate < last.reference_date)
        errors.add(uploadError(1, "data_riferimento", "STALE_FILE", `l'ultimo file accettato è riferito al ${last.reference_date.split("-").reverse().join("/")}`));
    }
    if (header?.submissionId) {
      const [dup] = await tx`select 1 from uploads where gestore_id = ${upload.gestore_id} and status = 'accepted' and submission_id = ${header.submissionId}`;
      if (dup) errors.add(uploadError(1, "id_invio", "DUPLICATE_SUBMISSION", `«${header.submissionId}»`));
    }

    await tx`create temp table c on commit drop as
      select s.*, p.id as practice_id, p.state as prev_state, p.state_date as prev_state_date,
        p.measure_id as prev_measure_id, p.beneficiary_fiscal_code as prev_cf, p.beneficiary_name as prev_name,
        p.comune_code as prev_comune, p.submitted_on as prev_submitted_on, p.amount_requested as prev_requested,
        p.amount_approved as prev_approved, p.amount_disbursed as prev_disbursed, p.notes as prev_notes
      from stage s left join practices p on p.gestore_id = ${upload.gestore_id} and p.code = s.code and s.clean`;
    timings.mark("classify");
    await addSqlErrors(tx, errors);
    timings.mark("checks");

    const base = { records: scan.details, lines: scan.lines, header };
    if (errors.count > 0) {
      await tx`update uploads set status = 'rejected', completed_at = now(), records = ${base.records}, lines_read = ${base.lines},
        submission_id = ${header?.submissionId?.slice(0, 50) || null}, reference_date = ${header?.referenceDate ?? null},
        error_count = ${errors.count}, errors = ${JSON.stringify(errors.listed)}::jsonb where id = ${uploadId}`;
      return { status: "rejected", created: 0, transitioned: 0, updated: 0, unchanged: 0 };
    }
    const counts = await applyStaged(tx, upload.gestore_id, uploadId);
    timings.mark("apply");
    timings.report();
    await tx`update uploads set status = 'accepted', completed_at = now(), records = ${base.records}, lines_read = ${base.lines},
      submission_id = ${header!.submissionId}, reference_date = ${header!.referenceDate},
      created = ${counts.created}, transitioned = ${counts.transitioned}, updated = ${counts.updated}, unchanged = ${counts.unchanged},
      error_count = 0, errors = '[]'::jsonb where id = ${uploadId}`;
    return { status: "accepted", ...counts };
  });
}

/** Database rules, checked set-wise on the staged rows. */
async function addSqlErrors(tx: TransactionSql, errors: ErrorList) {
  type Row = { line: number; field: string; code: UploadErrorCode; detail: string };
  const rows = await tx<Row[]>`
    select line, 'codice_pratica' as field, 'DUPLICATE_PRACTICE' as code, 'già presente alla riga ' || first_line as detail
      from (select line, code, first_value(line) over (partition by code order by line) as first_line,
                   row_number() over (partition by code order by line) as rn from c) d where rn > 1
    union all
    select line, 'codice_misura', 'IMMUTABLE_FIELD', 'la misura della pratica non può cambiare'
      from c where practice_id is not null and measure_id <> prev_measure_id
    union all
    select line, 'cf_beneficiario', 'IMMUTABLE_FIELD', 'il beneficiario della pratica non può cambiare'
      from c where practice_id is not null and cf <> prev_cf
    union all
    select line, 'stato', 'TRANSITION_NOT_ALLOWED', 'da ' || prev_state || ' a ' || state
      from c where practice_id is not null and state <> prev_state
        and (prev_state, state) not in (values ${reachableValues(tx)})
    union all
    select line, 'data_stato', 'DATE_ORDER', 'precede la data dell''ultimo passaggio registrato (' || to_char(prev_state_date, 'DD/MM/YYYY') || ')'
      from c where practice_id is not null and state_date < prev_state_date
    order by line
    limit 20000`;
  for (const r of rows) errors.add(uploadError(r.line, r.field, r.code, r.detail));
}

async function applyStaged(tx: TransactionSql, gestoreId: string, uploadId: string) {
  const snapshot = (state: string, date: string) =>
    `jsonb_build_object('value', ${state}, 'context', jsonb_build_object('stateDate', ${date}::text))`;
  const [created] = await tx<{ n: number }[]>`
    with ins as (
      insert into practices (gestore_id, code, measure_id, beneficiary_fiscal_code, beneficiary_name, comune_code, submitted_on,
        state, state_date, amount_requested, amount_approved, amount_disbursed, notes, snapshot, machine_version, last_upload_id)
      select ${gestoreId}, code, measure_id, cf, name, comune, submitted_on, state, state_date, requested, approved, disbursed, notes,
        ${tx.unsafe(snapshot("state", "state_date"))}, ${PRACTICE_MACHINE_VERSION}, ${uploadId}
      from c where clean and practice_id is null
      returning id, state, state_date
    ), hist as (
      insert into practice_history (practice_id, kind, from_state, to_state, state_date, upload_id)
      select id, 'created', null, state, state_date, ${uploadId} from ins
      returning 1
    )
    select count(*)::int as n from hist`;
  await tx`create temp table changed on commit drop as
    select practice_id, line, state, prev_state, state_date, name, comune, submitted_on, requested, approved, disbursed, notes,
      jsonb_strip_nulls(jsonb_build_object(
        'data_stato', case when state_date <> prev_state_date then jsonb_build_array(prev_state_date, state_date) end,
        'denominazione', case when name <> prev_name then jsonb_build_array(prev_name, name) end,
        'comune_istat', case when comune <> prev_comune then jsonb_build_array(prev_comune, comune) end,
        'data_presentazione', case when submitted_on <> prev_submitted_on then jsonb_build_array(prev_submitted_on, submitted_on) end,
        'importo_richiesto', case when requested <> prev_requested then jsonb_build_array(prev_requested, requested) end,
        'importo_deliberato', case when approved is distinct from prev_approved then jsonb_build_array(prev_approved, approved) end,
        'importo_erogato', case when disbursed is distinct from prev_disbursed then jsonb_build_array(prev_disbursed, disbursed) end,
        'note', case when notes <> prev_notes then jsonb_build_array(prev_notes, notes) end
      )) as changes
    from c where practice_id is not null`;
  await tx`
    update practices p set state = ch.state, state_date = ch.state_date, beneficiary_name = ch.name, comune_code = ch.comune,
      submitted_on = ch.submitted_on, amount_requested = ch.requested, amount_approved = ch.approved,
      amount_disbursed = ch.disbursed, notes = ch.notes, snapshot = ${tx.unsafe(snapshot("ch.state", "ch.state_date"))},
      machine_version = ${PRACTICE_MACHINE_VERSION}, last_upload_id = ${uploadId}, updated_at = now()
    from changed ch where p.id = ch.practice_id and (ch.state <> ch.prev_state or ch.changes <> '{}'::jsonb)`;
  const [counts] = await tx<{ transitioned: number; updated: number; unchanged: number }[]>`
    with hist as (
      insert into practice_history (practice_id, kind, from_state, to_state, state_date, upload_id, changes)
      select practice_id, (case when state <> prev_state then 'transition' else 'update' end)::practice_history_kind,
        prev_state, state, state_date, ${uploadId}, nullif(changes, '{}'::jsonb)
      from changed where state <> prev_state or changes <> '{}'::jsonb
      returning kind
    )
    select (select count(*)::int from hist where kind = 'transition') as transitioned,
           (select count(*)::int from hist where kind = 'update') as updated,
           (select count(*)::int from changed) - (select count(*)::int from hist) as unchanged`;
  return { created: created!.n, ...counts! };
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

/** Gestori with uploads still waiting, e.g. after a worker was killed mid-file. */
export async function gestoriWithPendingUploads() {
  const rows = await getSql()<{ gestore_id: string }[]>`select distinct gestore_id from uploads where status = 'processing'`;
  return rows.map((r) => r.gestore_id);
}
