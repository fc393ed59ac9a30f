import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession, hashToken } from "~/auth/session.server";
import { enqueue, startBoss, stopBoss } from "~/jobs/queue.server";
import { getDb } from "~db/client";
import { sessions } from "~db/schema";
import { registerMaintenance } from "~/jobs/maintenance.server";
import { MAINTENANCE_QUEUE } from "~/jobs/queues";
import { PEOPLE, seedDemo, userOf } from "../support/actors";

beforeAll(async () => {
  await seedDemo();
  await registerMaintenance(await startBoss(), getDb(), { idleMs: 30 * 60_000 });
});
afterAll(stopBoss);

describe("maintenance job (pg-boss worker)", () => {
  it("purges expired sessions and keeps live ones", async () => {
    const user = await userOf(PEOPLE.funzionario);
    const live = await createSession(getDb(), { userId: user.id, accessId: null });
    const stale = await createSession(getDb(), { userId: user.id, accessId: null });
    await getDb().update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.idHash, hashToken(stale)));
    const boss = await startBoss();
    const id = await enqueue(MAINTENANCE_QUEUE, {});
    let state: string | undefined;
    for (let i = 0; i < 60 && state !== "completed" && state !== "failed"; i++) {
      await new Promise((r) => setTimeout(r, 500));
      state = (await boss.getJobById(MAINTENANCE_QUEUE, id!))?.state;
    }
    expect(state).toBe("completed");
    const left = await getDb().select({ id: sessions.idHash }).from(sessions);
    expect(left.map((s) => s.id)).toContain(hashToken(live));
    expect(left.map((s) => s.id)).not.toContain(hashToken(stale));
  });
});
