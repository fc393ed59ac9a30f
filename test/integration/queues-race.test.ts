import PgBoss from "pg-boss";
import { afterAll, describe, expect, it } from "vitest";
import { ensureQueue } from "~/jobs/queues";

// Two workers starting together create the same queues at once: pg-boss 10 can deadlock there,
// and a worker that died of it left the other to do everything (several-processes.test.ts).
const bosses: PgBoss[] = [];

afterAll(async () => {
  for (const b of bosses) await b.stop({ graceful: false }).catch(() => {});
});

describe("ensureQueue from several processes at once", () => {
  it("creates every queue once, and no caller fails", async () => {
    for (let i = 0; i < 4; i++) {
      const b = new PgBoss({ connectionString: process.env.DATABASE_URL!, schema: "pgboss", max: 3 });
      await b.start();
      bosses.push(b);
    }
    const names = Array.from({ length: 6 }, (_, i) => `test.race-${Date.now()}-${i}`);
    const results = await Promise.allSettled(bosses.flatMap((b) => names.map((n) => ensureQueue(b, n))));
    expect(results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
    for (const n of names) expect((await bosses[0]!.getQueue(n))?.name).toBe(n);
  }, 120_000);
});

describe("enqueue before any worker", () => {
  it("creates the queue first, so the job is kept rather than silently dropped", async () => {
    const { enqueue } = await import("~/jobs/queue.server");
    const { MAINTENANCE_QUEUE } = await import("~/jobs/queues");
    const { getSql } = await import("~db/client");
    const before = await getSql()`select count(*)::int n from pgboss.queue where name = ${MAINTENANCE_QUEUE}`;
    expect(before[0]!.n).toBe(0); // nothing created it in this file's database
    const id = await enqueue(MAINTENANCE_QUEUE, {});
    expect(id).toBeTruthy();
    const [job] = await getSql()`select name from pgboss.job where id = ${id!}`;
    expect(job?.name).toBe(MAINTENANCE_QUEUE);
  });
});
