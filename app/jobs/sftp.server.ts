import type PgBoss from "pg-boss";
import { preparePracticesExport } from "~/sftp/exports.server";
import { ensureQueue, SFTP_EXPORT_QUEUE } from "./queues";

/** Exports prepared for SFTP accounts' /out/export (docs/decisions/0104). */
export async function registerSftp(boss: PgBoss) {
  await ensureQueue(boss, SFTP_EXPORT_QUEUE);
  await boss.work<{ accountId: string; requestedBy: string | null }>(SFTP_EXPORT_QUEUE, { batchSize: 1, pollingIntervalSeconds: 2 }, async ([job]) => {
    await preparePracticesExport(job!.data.accountId, job!.data.requestedBy);
  });
}
