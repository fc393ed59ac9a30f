import type PgBoss from "pg-boss";
import { completeClickDaySends } from "~/applications/clickday-complete.server";
import { makeReceipt } from "~/applications/receipt.server";
import { CLICK_DAY_COMPLETE_QUEUE, ensureQueue, RECEIPT_QUEUE } from "./queues";
import { workEach } from "./work-each.server";

/**
 * The PDF receipt of each sent application, made after the sending commits; and the completion of
 * click-day sends after their acknowledgement (ADR 64): one job per acknowledged batch, a sweep at
 * start and every minute (no click day named: every one), so a send acknowledged just before a
 * crash, or whose job was lost, is completed anyway.
 */
export async function registerApplications(boss: PgBoss) {
  await ensureQueue(boss, RECEIPT_QUEUE);
  // Two at once: while one receipt waits on PostgreSQL the other draws its PDF.
  await workEach<{ applicationId: string }>(boss, RECEIPT_QUEUE, (data) => makeReceipt(data.applicationId), { concurrency: 2 });
  await ensureQueue(boss, CLICK_DAY_COMPLETE_QUEUE);
  await workEach<{ clickDayId?: string }>(boss, CLICK_DAY_COMPLETE_QUEUE, (data) => completeClickDaySends(data.clickDayId));
  await boss.schedule(CLICK_DAY_COMPLETE_QUEUE, "* * * * *", {});
  await boss.send(CLICK_DAY_COMPLETE_QUEUE, {});
}
