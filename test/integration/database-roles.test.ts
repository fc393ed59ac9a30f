import { describe, expect, it } from "vitest";
import { audit } from "~/audit/audit.server";
import { getSql } from "~db/client";
import { roleOf } from "~db/roles";

// The tests connect as the application does (test/support/global-setup.ts): a role that owns
// none of the tables the migrations created.
describe("the application's database role", () => {
  it("is not the role that ran the migrations", () => {
    expect(roleOf(process.env.DATABASE_URL!)).not.toBe(roleOf(process.env.TEST_OWNER_DATABASE_URL!));
  });

  it("cannot drop a table, nor disable the audit log's append-only trigger", async () => {
    const sql = getSql();
    await expect(sql`drop table practices`).rejects.toThrow(/must be owner of table practices/);
    await expect(sql`drop table audit_log`).rejects.toThrow(/must be owner of table audit_log/);
    await expect(sql`alter table audit_log disable trigger audit_log_no_update_delete`).rejects.toThrow(/must be owner of table audit_log/);
    await expect(sql`alter table audit_log disable trigger all`).rejects.toThrow(/must be owner/);
    await expect(sql`create table intruder (id int)`).rejects.toThrow(/permission denied for schema public/);
  });

  it("cannot move the heads of the audit hash chains, yet writes audit rows", async () => {
    const sql = getSql();
    await expect(sql`update audit_chain_heads set seq = 0`).rejects.toThrow(/permission denied/);
    await audit(null, { system: "test" }, { action: "test.as-app-role" });
    const [row] = await sql`select hash from audit_log where action = 'test.as-app-role'`;
    expect(row!.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("still runs pg-boss, whose schema it owns", async () => {
    const sql = getSql();
    const [s] = await sql`select nspowner::regrole::text as owner from pg_namespace where nspname = 'pgboss'`;
    expect(s!.owner).toBe(roleOf(process.env.DATABASE_URL!));
  });
});
