import { eq } from "drizzle-orm";
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

  it("refuses UPDATE, DELETE and TRUNCATE at the database level", async () => {
    await audit(null, { system: "test" }, { action: "test.immutable" });
    const sql = getSql();
    await expect(sql`update audit_log set action = 'changed' where action = 'test.immutable'`).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log where action = 'test.immutable'`).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_log`).rejects.toThrow(/append-only/);
    const rows = await getDb().select().from(auditLog).where(eq(auditLog.action, "test.immutable"));
    expect(rows).toHaveLength(1);
  });
});
