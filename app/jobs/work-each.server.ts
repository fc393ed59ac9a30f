import type PgBoss from "pg-boss";

/**
 * Works a queue `batchSize` jobs per fetch, each job on its own: pg-boss 10's worker waits its
 * polling interval between fetches, so one job per fetch caps a queue at one job a second (a click
 * day's 50,000 receipts would take 14 hours). After a full batch the worker fetches again at once
 * instead of waiting out the interval: with the wait, a queue ran at most `batchSize` jobs a second
 * however fast each job was. `concurrency` jobs of a batch run at once (default 1: database and CPU
 * work that would only queue up together; mail delivery waits on the SMTP server and sets more).
 * A job that throws is failed alone (retried by the queue's policy); the others of the batch complete.
 */
export async function workEach<T extends object>(
  boss: PgBoss,
  queue: string,
  handle: (data: T) => Promise<unknown>,
  { batchSize = 25, concurrency = 1 }: { batchSize?: number; concurrency?: number } = {},
) {
  let workerId: string | undefined;
  workerId = await boss.work<T>(queue, { batchSize, pollingIntervalSeconds: 1 }, async (jobs) => {
    const failed: { id: string; error: unknown }[] = [];
    let next = 0;
    const lane = async () => {
      for (let job = jobs[next++]; job; job = jobs[next++]) {
        try {
          await handle(job.data);
        } catch (error) {
          failed.push({ id: job.id, error });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, lane));
    for (const f of failed) await boss.fail(queue, f.id, { message: f.error instanceof Error ? f.error.message : String(f.error) });
    // pg-boss completes the batch's jobs still active: the failed ones stay failed.
    if (jobs.length === batchSize && workerId) boss.notifyWorker(workerId);
  });
}
