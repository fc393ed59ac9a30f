import type PgBoss from "pg-boss";
import { gestoriWithAbandonedUploads, gestoriWithPendingUploads, ingestPendingUploads } from "~/uploads/ingest.server";
import { ensureQueue, INGEST_QUEUE, INGEST_SWEEP_QUEUE } from "./queues";

export type IngestJob = { gestoreId: string };

/**
 * Upload processing. Each job drains its gestore's waiting uploads in arrival order; an advisory
 * lock per gestore makes files of one gestore strictly sequential while other gestori's run in
 * parallel. A worker that dies mid-file leaves only a rolled-back transaction: at start-up every
 * worker re-queues the gestori with waiting uploads, and every minute a sweep re-queues those that
 * no worker holds, so a surviving worker takes over from a dead one (docs/decisions/0007).
 */
export async function registerIngest(boss: PgBoss, opts: { concurrency?: number } = {}) {
  await ensureQueue(boss, INGEST_QUEUE);
  for (let i = 0; i < (opts.concurrency ?? 2); i++) {
    await boss.work<IngestJob>(INGEST_QUEUE, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([job]) => {
      await ingestPendingUploads(job!.data.gestoreId);
    });
  }
  for (const gestoreId of await gestoriWithPendingUploads()) await boss.send(INGEST_QUEUE, { gestoreId });
  await ensureQueue(boss, INGEST_SWEEP_QUEUE);
  await boss.schedule(INGEST_SWEEP_QUEUE, "* * * * *");
  await boss.work(INGEST_SWEEP_QUEUE, async () => {
    for (const gestoreId of await gestoriWithAbandonedUploads()) await boss.send(INGEST_QUEUE, { gestoreId });
  });
}
