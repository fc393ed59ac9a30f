import type PgBoss from "pg-boss";
import { auditClosedFailureCounts } from "~/audit/audit.server";
import { SAML_REQUEST_TTL_MS } from "~/auth/saml-requests.server";
import type { Database } from "~db/client";
import { purgeStaleAuthState } from "~db/queries/maintenance";
import { ensureQueue, MAINTENANCE_QUEUE } from "./queues";

/**
 * Registers the periodic clean-up of expired sessions, unanswered sign-in requests and old
 * rate-limit windows, and the hourly totals of anonymous failures in the audit log.
 */
export async function registerMaintenance(boss: PgBoss, db: Database, opts: { idleMs: number }) {
  await ensureQueue(boss, MAINTENANCE_QUEUE);
  await boss.schedule(MAINTENANCE_QUEUE, "*/15 * * * *", {}, { tz: "Europe/Rome" });
  await boss.work(MAINTENANCE_QUEUE, async () => {
    await purgeStaleAuthState(db, { idleMs: opts.idleMs, samlRequestTtlMs: SAML_REQUEST_TTL_MS });
    await auditClosedFailureCounts(db);
  });
}
