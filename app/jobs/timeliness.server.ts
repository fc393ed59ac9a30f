import type PgBoss from "pg-boss";
import { runWeeklyDigest } from "~/timeliness/digest.server";
import { runReminders } from "~/timeliness/reminders.server";
import { DIGEST_QUEUE, ensureQueue, REMINDERS_QUEUE } from "./queues";

/**
 * The timeliness jobs, scheduled in Rome time: reminders and escalations every morning, the
 * digest of practices over their state limits every Monday. The clock is read here, at the
 * job's edge, and passed in; the runs are idempotent (docs/decisions/0016).
 */
export async function registerTimeliness(boss: PgBoss) {
  await ensureQueue(boss, REMINDERS_QUEUE);
  await ensureQueue(boss, DIGEST_QUEUE);
  await boss.schedule(REMINDERS_QUEUE, "0 7 * * *", {}, { tz: "Europe/Rome" });
  await boss.schedule(DIGEST_QUEUE, "30 7 * * 1", {}, { tz: "Europe/Rome" });
  await boss.work(REMINDERS_QUEUE, async () => {
    await runReminders({ now: new Date() });
  });
  await boss.work(DIGEST_QUEUE, async () => {
    await runWeeklyDigest({ now: new Date() });
  });
}
