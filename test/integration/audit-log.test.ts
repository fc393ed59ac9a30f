import { eq } from "drizzle-orm";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { audit } from "~/audit/audit.server";
import { getDb, getSql } from "~db/client";
import { auditLog } from "~db/schema";

describe("audit log", () => {
  it("records who, what, when, where and outcome", async () => {
    await audit(null, { actor: { fiscalCode: "GLLNNA75T60H501W", role: "amministratore" }, ip: "127.0.0.9" }, {
      action: "test.action",
      objectType: "thing",
      objectId: "42",
      outcome: "denied",
      details: { why: "because" },
    });
    const [row] = await getDb().select().from(auditLog).where(eq(auditLog.action, "test.action"));
    expect(row).toMatchObject({
      actorFiscalCode: "GLLNNA75T60H501W",
      actorRole: "amministratore",
      objectType: "thing",
      objectId: "42",
      outcome: "denied",
      ip: "127.0.0.9",
      details: { why: "because" },
    });
    expect(Date.now() - row!.at.getTime()).toBeLessThan(60_000);
  });

  it("refuses UPDATE, DELETE and TRUNCATE at the database level, even to the tables' owner", async () => {
    await audit(null, { system: "test" }, { action: "test.immutable" });
    const app = getSql();
    await expect(app`update audit_log set action = 'changed' where action = 'test.immutable'`).rejects.toThrow(/permission denied/);
    await expect(app`delete from audit_log where action = 'test.immutable'`).rejects.toThrow(/permission denied/);
    const owner = postgres(process.env.TEST_OWNER_DATABASE_URL!, { max: 1, onnotice: () => {} });
    try {
      await expect(owner`update audit_log set action = 'changed' where action = 'test.immutable'`).rejects.toThrow(/append-only/);
      await expect(owner`delete from audit_log where action = 'test.immutable'`).rejects.toThrow(/append-only/);
      await expect(owner`truncate audit_log`).rejects.toThrow(/append-only/);
    } finally {
      await owner.end();
    }
    const rows = await getDb().select().from(auditLog).where(eq(auditLog.action, "test.immutable"));
    expect(rows).toHaveLength(1);
  });
});
