import type PgBoss from "pg-boss";
import { makeReceipt } from "~/applications/receipt.server";
import { ensureQueue, RECEIPT_QUEUE } from "./queues";

/** The PDF receipt of each sent application, made after the sending commits. */
export async function registerApplications(boss: PgBoss) {
  await ensureQueue(boss, RECEIPT_QUEUE);
  await boss.work<{ applicationId: string }>(RECEIPT_QUEUE, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([job]) => {
    await makeReceipt(job!.data.applicationId);
  });
}
