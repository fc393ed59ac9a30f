import type PgBoss from "pg-boss";
import { expireAccesses, sendExpiryReminders } from "~/enablement/enablement.server";
import { ACCESS_EXPIRY_QUEUE, ACCESS_REMINDER_QUEUE, ensureQueue } from "./queues";

/**
 * Scheduled (Europe/Rome) access lifecycle jobs: every hour accesses past their term expire
 * (their sessions and tokens end); every morning the requesters of accesses expiring within
 * 30 and 7 days are reminded (once per access, expiry and step).
 */
export async function registerEnablement(boss: PgBoss) {
  await ensureQueue(boss, ACCESS_EXPIRY_QUEUE);
  await ensureQueue(boss, ACCESS_REMINDER_QUEUE);
  await boss.schedule(ACCESS_EXPIRY_QUEUE, "5 * * * *", {}, { tz: "Europe/Rome" });
  await boss.schedule(ACCESS_REMINDER_QUEUE, "0 8 * * *", {}, { tz: "Europe/Rome" });
  await boss.work(ACCESS_EXPIRY_QUEUE, async () => {
    await expireAccesses(new Date());
  });
  await boss.work(ACCESS_REMINDER_QUEUE, async () => {
    await sendExpiryReminders(new Date());
  });
}
