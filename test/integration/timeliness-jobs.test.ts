import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enqueue, startBoss, stopBoss } from "~/jobs/queue.server";
import { setMeasureObligation } from "~/timeliness/settings.server";
import { getDb, getSql } from "~db/client";
import { DIGEST_QUEUE, REMINDERS_QUEUE } from "~/jobs/queues";
import { registerTimeliness } from "~/jobs/timeliness.server";
import { seedDemo } from "../support/actors";

beforeAll(async () => {
  await seedDemo();
  // An obligation that started long ago: every demo gestore is late today, whatever today is.
  await setMeasureObligation(getDb(), { system: "test" }, { code: "COVID-LIQ", cadence: "monthly", day: 15, startsOn: "2020-01-01" });
  await registerTimeliness(await startBoss());
});
afterAll(stopBoss);

async function settle(queue: string, id: string) {
  const boss = await startBoss();
  let state: string | undefined;
  for (let i = 0; i < 60 && state !== "completed" && state !== "failed"; i++) {
    await new Promise((r) => setTimeout(r, 500));
    state = (await boss.getJobById(queue, id))?.state;
  }
  return state;
}

describe("timeliness jobs (pg-boss worker)", () => {
  it("are scheduled every morning and every Monday in Rome time", async () => {
    const schedules = await (await startBoss()).getSchedules();
    const mine = schedules.filter((s) => s.name === REMINDERS_QUEUE || s.name === DIGEST_QUEUE).map((s) => [s.name, s.cron, s.options?.tz]);
    expect(mine.sort()).toEqual([
      [DIGEST_QUEUE, "30 7 * * 1", "Europe/Rome"],
      [REMINDERS_QUEUE, "0 7 * * *", "Europe/Rome"],
    ]);
  });

  it("the reminder job sends reminders to the late gestori, and run again sends nothing more", async () => {
    const first = await enqueue(REMINDERS_QUEUE, {});
    expect(await settle(REMINDERS_QUEUE, first!)).toBe("completed");
    const count = async () => (await getSql()<{ n: number }[]>`select count(*)::int as n from reminders`)[0]!.n;
    expect(await count()).toBe(3);
    const second = await enqueue(REMINDERS_QUEUE, {});
    expect(await settle(REMINDERS_QUEUE, second!)).toBe("completed");
    expect(await count()).toBe(3);
  });
});
