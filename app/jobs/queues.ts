import type PgBoss from "pg-boss";
import { getSql } from "~db/client";

/** Queue names and their retry policy, shared by the web (senders) and the worker (app/jobs/*.server.ts). */
export const INGEST_QUEUE = "uploads.ingest";
export const INGEST_SWEEP_QUEUE = "uploads.ingest-sweep";
export const MAINTENANCE_QUEUE = "maintenance.purge-auth-state";
export const MAIL_QUEUE = "mail.deliver";
export const REMINDERS_QUEUE = "timeliness.reminders";
export const DIGEST_QUEUE = "timeliness.digest";
export const ACCESS_EXPIRY_QUEUE = "enablement.expire-accesses";
export const ACCESS_REMINDER_QUEUE = "enablement.expiry-reminders";
export const RECEIPT_QUEUE = "applications.receipt";
export const CLICK_DAY_COMPLETE_QUEUE = "applications.click-day-complete";
export const SFTP_EXPORT_QUEUE = "sftp.export";

const QUEUE_OPTIONS: Record<string, Omit<PgBoss.Queue, "name">> = {
  // A failing upload ends `failed` inside the job (docs/decisions/0046): only an outage fails the
  // job itself, and is retried. Expiry outlasts the time limit of a 200 MB file (35 min).
  [INGEST_QUEUE]: { retryLimit: 10, retryDelay: 5, retryBackoff: true, expireInSeconds: 45 * 60 },
  [INGEST_SWEEP_QUEUE]: { expireInSeconds: 60 },
  [MAINTENANCE_QUEUE]: {},
  // About six hours of attempts (backoff doubles from one minute) before a message is marked failed.
  [MAIL_QUEUE]: { retryLimit: 8, retryDelay: 60, retryBackoff: true, expireInSeconds: 5 * 60 },
  // A failed run is simply run again: reminders already recorded are not sent twice.
  [REMINDERS_QUEUE]: { retryLimit: 5, retryDelay: 300, retryBackoff: true, expireInSeconds: 30 * 60 },
  [DIGEST_QUEUE]: { retryLimit: 5, retryDelay: 300, retryBackoff: true, expireInSeconds: 30 * 60 },
  // Both are idempotent (the machine refuses a second EXPIRE, reminders carry a dedupe key).
  [ACCESS_EXPIRY_QUEUE]: { retryLimit: 3, retryDelay: 300, expireInSeconds: 15 * 60 },
  [ACCESS_REMINDER_QUEUE]: { retryLimit: 3, retryDelay: 300, expireInSeconds: 15 * 60 },
  // Idempotent: an application that already has its receipt is left alone.
  [RECEIPT_QUEUE]: { retryLimit: 5, retryDelay: 30, retryBackoff: true, expireInSeconds: 5 * 60 },
  // Idempotent: a run completes only the acknowledged sends not yet completed (ADR 64); a minute's sweep follows any lost.
  [CLICK_DAY_COMPLETE_QUEUE]: { retryLimit: 10, retryDelay: 5, retryBackoff: true, expireInSeconds: 15 * 60 },
  // A failed run is run again; a second file at most, which the account reads like the first.
  [SFTP_EXPORT_QUEUE]: { retryLimit: 3, retryDelay: 60, expireInSeconds: 15 * 60 },
};

const ensured = new WeakMap<PgBoss, Set<string>>();

/** Creates a queue with its policy once per process; later calls cost nothing. */
export async function ensureQueue(boss: PgBoss, name: string) {
  const done = ensured.get(boss) ?? new Set<string>();
  ensured.set(boss, done);
  if (done.has(name)) return;
  if (!(await boss.getQueue(name))) {
    // pg-boss 10 inserts the queue row and creates its partition in one statement: two processes
    // doing it at once deadlock (40P01), and the loser died at start. One at a time, then.
    const conn = await getSql().reserve();
    try {
      await conn`select pg_advisory_lock(hashtext('pgboss.create_queue'))`;
      if (!(await boss.getQueue(name))) await boss.createQueue(name, { name, ...QUEUE_OPTIONS[name] });
    } finally {
      await conn`select pg_advisory_unlock(hashtext('pgboss.create_queue'))`.catch(() => {});
      conn.release();
    }
  }
  done.add(name);
}
