import crypto from "node:crypto";
import { audit, type AuditActor } from "~/audit/audit.server";
import { log } from "~/lib/logger.server";
import { shownValue } from "~/lib/text-safety";
import { getSql } from "~db/client";
import { queueOutcomeMail } from "./outcome-mail.server";

/**
 * An ingestion that broke (a database error, a bug, a killed connection, the time limit) ends
 * as `failed`, "errore interno", with nothing of it applied (docs/decisions/0046). The uploader
 * sees a support reference; administrators see the same reference with the cause.
 */

/** Times an upload may be started before it is failed: a file that kills its worker each time. */
export const MAX_ATTEMPTS = 3;

/**
 * The time an ingestion may take: two minutes, plus ten seconds per MB (a million-record file of
 * 150 MB, about a minute of work on the reference machine, gets 27 minutes).
 */
export function ingestTimeLimitMs(sizeBytes: number) {
  const base = Number(process.env.INGEST_TIME_LIMIT_BASE_MS ?? 120_000);
  const perMb = Number(process.env.INGEST_TIME_LIMIT_PER_MB_MS ?? 10_000);
  return base + Math.ceil(sizeBytes / (1024 * 1024)) * perMb;
}

/** The time limit ran out. */
export class IngestTimeout extends Error {
  constructor(limitMs: number) {
    super(`time limit of ${Math.round(limitMs / 1000)} s exceeded`);
    this.name = "IngestTimeout";
  }
}

/** A short code the uploader quotes to support and administrators search for. */
export function supportReference() {
  return `E-${crypto.randomBytes(4).toString("hex").toUpperCase()}`;
}

/**
 * What went wrong, for administrators and the log: the error's kind, SQLSTATE and message, never
 * PostgreSQL's DETAIL or CONTEXT (they quote the row, i.e. personal data).
 */
export function describeFailure(e: unknown) {
  if (!(e instanceof Error)) return shownValue(String(e), 300);
  const code = (e as { code?: unknown }).code;
  return shownValue(`${e.name}${typeof code === "string" ? ` ${code}` : ""}: ${e.message}`, 300);
}

/**
 * Marks a still-processing upload failed. Returns the reference, or null when the upload had
 * ended meanwhile (another worker, an administrator). Throws when the database cannot be
 * reached: the job is then retried, which is what a passing outage wants.
 */
export async function failUpload(
  uploadId: string,
  cause: string,
  who: { actor?: AuditActor | null; ip?: string | null; system?: string } = { system: "ingest" },
) {
  const reference = supportReference();
  // The uploader's outcome mail (issue 18) is queued with the failure, or not at all.
  const row = await getSql().begin(async (tx) => {
    const [failed] = await tx<{ gestore_id: string }[]>`
      update uploads set status = 'failed', completed_at = now(), failure_ref = ${reference}, failure_cause = ${cause},
        created = 0, transitioned = 0, updated = 0, unchanged = 0
      where id = ${uploadId} and status = 'processing' returning gestore_id`;
    if (failed) await queueOutcomeMail(tx, uploadId);
    return failed;
  });
  if (!row) return null;
  log.error("upload failed", { uploadId, reference, cause });
  await audit(null, who, { action: "upload.fail", objectType: "upload", objectId: uploadId, gestoreId: row.gestore_id, details: { reference, cause } });
  return reference;
}
