import { z } from "zod";
import type { SignedIn } from "~/auth/guards.server";
import type { FormResult } from "~/components/form-fields";
import { formValues, runForm } from "~/lib/form-action.server";
import { parseFields } from "~/lib/errors";
import { clientIp } from "~/lib/request.server";
import { getSql } from "~db/client";
import { failUpload, ingestTimeLimitMs } from "./failure.server";

/**
 * The administrators' watchdog (docs/decisions/0046): uploads waiting or processing longer than
 * expected, per gestore, with their age and the phase reached; the failed ones with their
 * support reference and cause; and the one action, marking a stuck upload failed.
 */

/** A file waits for a worker a few seconds; five minutes means no worker is draining its gestore. */
export const WAITING_EXPECTED_MS = 5 * 60_000;

/** Processing is expected to take at most a quarter of the time limit (which then ends it). */
export const processingExpectedMs = (sizeBytes: number) => Math.round(ingestTimeLimitMs(sizeBytes) / 4);

export const PHASE_LABELS: Record<string, string> = {
  waiting: "in attesa di un elaboratore",
  index: "lettura delle pratiche dell'ente",
  reading: "lettura del file",
  applying: "scrittura delle pratiche",
};

type Row = {
  id: string; gestore_name: string; gestore_cf: string; file_name: string; size_bytes: number; received_at: string | Date;
  started_at: string | Date | null; phase: string; lines_read: number; attempts: number; status: string;
  failure_ref: string | null; failure_cause: string | null; completed_at: string | Date | null;
};

export async function watchdogData(now = new Date()) {
  const sql = getSql();
  const processing = await sql<Row[]>`
    select u.id, g.name as gestore_name, g.fiscal_code as gestore_cf, u.file_name, u.size_bytes, u.received_at, u.started_at,
      u.phase, u.lines_read, u.attempts, u.status, u.failure_ref, u.failure_cause, u.completed_at
    from uploads u join gestori g on g.id = u.gestore_id
    where u.status = 'processing' order by g.name, u.received_at`;
  const overdue = processing
    .map((r) => {
      const ageMs = now.getTime() - new Date(r.received_at).getTime();
      const started = r.started_at && r.phase !== "waiting";
      const runningMs = started ? now.getTime() - new Date(r.started_at!).getTime() : 0;
      const expectedMs = started ? processingExpectedMs(Number(r.size_bytes)) : WAITING_EXPECTED_MS;
      return { ...row(r), ageMinutes: Math.floor(ageMs / 60_000), expectedMinutes: Math.ceil(expectedMs / 60_000), late: (started ? runningMs : ageMs) > expectedMs };
    })
    .filter((r) => r.late);
  const failed = await sql<Row[]>`
    select u.id, g.name as gestore_name, g.fiscal_code as gestore_cf, u.file_name, u.size_bytes, u.received_at, u.started_at,
      u.phase, u.lines_read, u.attempts, u.status, u.failure_ref, u.failure_cause, u.completed_at
    from uploads u join gestori g on g.id = u.gestore_id
    where u.status = 'failed' and u.completed_at > ${now.toISOString()}::timestamptz - interval '30 days' order by u.completed_at desc limit 100`;
  return { overdue, failed: failed.map(row), processingCount: processing.length };
}

function row(r: Row) {
  return {
    id: r.id, gestoreName: r.gestore_name, gestoreCf: r.gestore_cf, fileName: r.file_name, sizeBytes: Number(r.size_bytes),
    receivedAt: new Date(r.received_at).toISOString(), completedAt: r.completed_at ? new Date(r.completed_at).toISOString() : null,
    phase: PHASE_LABELS[r.phase] ?? r.phase, linesRead: r.lines_read, attempts: r.attempts,
    failureRef: r.failure_ref, failureCause: r.failure_cause,
  };
}

const failForm = z.object({ intent: z.literal("fail", { message: "Operazione non riconosciuta" }), id: z.uuid({ message: "Caricamento non indicato" }) });

/**
 * Marks a stuck upload failed (audited with the administrator), and ends the database session
 * of a worker still holding it, so that the gestore's next file is processed at once.
 */
export async function handleWatchdogAction(request: Request, signedIn: SignedIn, form: FormData): Promise<FormResult> {
  const values = formValues(form);
  return runForm(values, async () => {
    const { id } = parseFields(failForm, values);
    const who = { actor: signedIn.actor, ip: clientIp(request) };
    const sql = getSql();
    const [held] = await sql<{ worker_pid: number | null; worker_backend_start: string | null }[]>`
      select worker_pid, worker_backend_start from uploads where id = ${id}`;
    const reference = await failUpload(id, "segnato come non riuscito da un amministratore (elaborazione bloccata)", who);
    if (!reference) return "Il caricamento non era più in elaborazione: nessuna modifica.";
    // Only that very session: a pid alone may have been reused by another connection since.
    if (held?.worker_pid && held.worker_backend_start)
      await sql`select pg_terminate_backend(pid) from pg_stat_activity where pid = ${held.worker_pid} and backend_start = ${held.worker_backend_start}`;
    return `Caricamento segnato come non riuscito (codice ${reference}). L'ente può inviare di nuovo il file.`;
  });
}
