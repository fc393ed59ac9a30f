import type PgBoss from "pg-boss";
import { makeReceipt } from "~/applications/receipt.server";
import { ensureQueue, RECEIPT_QUEUE } from "./queues";
import { workEach } from "./work-each.server";

/** The PDF receipt of each sent application, made after the sending commits. */
export async function registerApplications(boss: PgBoss) {
  await ensureQueue(boss, RECEIPT_QUEUE);
  // Two at once: while one receipt waits on PostgreSQL the other draws its PDF.
  await workEach<{ applicationId: string }>(boss, RECEIPT_QUEUE, (data) => makeReceipt(data.applicationId), { concurrency: 2 });
}
