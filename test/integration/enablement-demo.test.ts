import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~db/client";
import { seedDemoEnablement } from "~/demo/enablement";
import { accesses, enablementRequests, mailOutbox } from "~db/schema";
import { seedDemo } from "../support/actors";

beforeAll(seedDemo);

describe("demo enablement data", () => {
  it("has requests in every state, a revoked access and one expiring soon with its reminder, once", async () => {
    expect(await seedDemoEnablement()).toBe(true);
    const states = (await getDb().select({ state: enablementRequests.state }).from(enablementRequests)).map((r) => r.state).sort();
    expect(states).toEqual(["approved", "approved", "approved", "rejected", "submitted", "submitted", "withdrawn"]);
    const statuses = (await getDb().select({ status: accesses.status, expiresAt: accesses.expiresAt }).from(accesses)).filter((a) => a.expiresAt);
    expect(statuses.map((s) => s.status).sort()).toEqual(["active", "active", "revoked"]);
    const soon = statuses.filter((s) => s.status === "active" && s.expiresAt!.getTime() - Date.now() < 30 * 86_400_000);
    expect(soon).toHaveLength(1);
    expect(await getDb().select().from(mailOutbox).where(eq(mailOutbox.template, "access-expiring"))).toHaveLength(1);
    expect(await seedDemoEnablement()).toBe(false);
    expect(await getDb().select().from(enablementRequests)).toHaveLength(7);
  });
});
