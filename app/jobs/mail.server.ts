import type PgBoss from "pg-boss";
import { deliverMail } from "~/mail/deliver.server";
import { ensureQueue, MAIL_QUEUE } from "./queues";

export type MailJob = { id: string };

/** Delivers outbox messages; a failed delivery is retried by pg-boss with backoff. */
export async function registerMail(boss: PgBoss) {
  await ensureQueue(boss, MAIL_QUEUE);
  await boss.work<MailJob>(MAIL_QUEUE, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([job]) => {
    await deliverMail(job!.data.id);
  });
}
