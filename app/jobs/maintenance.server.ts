import type PgBoss from "pg-boss";
import type { Database } from "~db/client";
import { purgeStaleAuthState } from "~db/queries/maintenance";
import { ensureQueue, MAINTENANCE_QUEUE } from "./queues";


/** Registers the periodic clean-up of expired sessions and unanswered sign-in requests. */
export async function registerMaintenance(boss: PgBoss, db: Database, opts: { idleMs: number }) {
  await ensureQueue(boss, MAINTENANCE_QUEUE);
  await boss.schedule(MAINTENANCE_QUEUE, "*/15 * * * *", {}, { tz: "Europe/Rome" });
  await boss.work(MAINTENANCE_QUEUE, async () => {
    await purgeStaleAuthState(db, { idleMs: opts.idleMs });
  });
}
