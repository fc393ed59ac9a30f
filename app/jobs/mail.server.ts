import type PgBoss from "pg-boss";
import { deliverMail, MAIL_CONNECTIONS } from "~/mail/deliver.server";
import { ensureQueue, MAIL_QUEUE } from "./queues";
import { workEach } from "./work-each.server";

export type MailJob = { id: string };

/**
 * Delivers outbox messages, four at a time over the pooled SMTP connections (deliver.server.ts):
 * each waits on the SMTP server's answers, not on the CPU. A failed delivery is retried by pg-boss
 * with backoff.
 */
export async function registerMail(boss: PgBoss) {
  await ensureQueue(boss, MAIL_QUEUE);
  await workEach<MailJob>(boss, MAIL_QUEUE, (data) => deliverMail(data.id), { concurrency: MAIL_CONNECTIONS });
}
