import type PgBoss from "pg-boss";

/**
 * Works a queue `batchSize` jobs per fetch, each job on its own: pg-boss 10's worker waits its
 * polling interval between fetches, so one job per fetch caps a queue at one job a second (a click
 * day's 50,000 receipts would take 14 hours). A job that throws is failed alone (retried by the
 * queue's policy); the others of the batch complete.
 */
export async function workEach<T extends object>(boss: PgBoss, queue: string, handle: (data: T) => Promise<unknown>, batchSize = 25) {
  await boss.work<T>(queue, { batchSize, pollingIntervalSeconds: 1 }, async (jobs) => {
    const failed: { id: string; error: unknown }[] = [];
    // One after the other: the jobs are database and CPU work that would only queue up together.
    for (const job of jobs) {
      try {
        await handle(job.data);
      } catch (error) {
        failed.push({ id: job.id, error });
      }
    }
    for (const f of failed) await boss.fail(queue, f.id, { message: f.error instanceof Error ? f.error.message : String(f.error) });
    // pg-boss completes the batch's jobs still active: the failed ones stay failed.
  });
}
