import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enqueue, startBoss, stopBoss } from "~/jobs/queue.server";
import { getDb } from "~db/client";
import { accesses } from "~db/schema";
import { registerEnablement } from "~/jobs/enablement.server";
import { ACCESS_EXPIRY_QUEUE, ACCESS_REMINDER_QUEUE } from "~/jobs/queues";
import { PEOPLE, seedDemo, userOf } from "../support/actors";

beforeAll(async () => {
  await seedDemo();
  await registerEnablement(await startBoss());
});
afterAll(stopBoss);

async function runJob(queue: string) {
  const boss = await startBoss();
  const id = await enqueue(queue, {});
  let state: string | undefined;
  for (let i = 0; i < 60 && state !== "completed" && state !== "failed"; i++) {
    await new Promise((r) => setTimeout(r, 500));
    state = (await boss.getJobById(queue, id!))?.state;
  }
  return state;
}

describe("enablement jobs (pg-boss worker)", () => {
  it("are scheduled in Europe/Rome", async () => {
    const schedules = await (await startBoss()).getSchedules();
    const ours = schedules.filter((s) => s.name === ACCESS_EXPIRY_QUEUE || s.name === ACCESS_REMINDER_QUEUE);
    // pg-boss keeps the time zone in its schedule table's `timezone` column.
    expect(ours.map((s) => [s.name, (s as unknown as { timezone: string }).timezone]).sort()).toEqual([
      [ACCESS_EXPIRY_QUEUE, "Europe/Rome"],
      [ACCESS_REMINDER_QUEUE, "Europe/Rome"],
    ]);
  });

  it("expire an access past its term when the job runs", async () => {
    const u = await userOf(PEOPLE.altroOperatore);
    await getDb().update(accesses).set({ expiresAt: new Date(Date.now() - 60_000) }).where(eq(accesses.userId, u.id));
    expect(await runJob(ACCESS_EXPIRY_QUEUE)).toBe("completed");
    const [a] = await getDb().select().from(accesses).where(eq(accesses.userId, u.id));
    expect(a!.status).toBe("expired");
    expect(await runJob(ACCESS_REMINDER_QUEUE)).toBe("completed");
  });
});
