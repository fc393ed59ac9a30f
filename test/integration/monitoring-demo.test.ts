import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "~db/client";
import { seedMonitoringDemo } from "~/demo/monitoring";
import { PEOPLE } from "../support/actors";

describe("the monitoring's demo additions", () => {
  it("add the osservatore to an installation seeded before them, once", async () => {
    // This database has no demo data: like an installation seeded before the osservatore existed.
    expect(await seedMonitoringDemo(process.env.DATABASE_URL!)).toBe(true);
    const rows = await getDb().execute<{ role: string; gestore_id: string | null }>(sql`
      select a.role::text as role, a.gestore_id from accesses a join users u on u.id = a.user_id where u.fiscal_code = ${PEOPLE.osservatore}`);
    expect(rows.map((r) => ({ ...r }))).toEqual([{ role: "osservatore", gestore_id: null }]);
    expect(await seedMonitoringDemo(process.env.DATABASE_URL!)).toBe(false);
    const [{ n }] = await getDb().execute<{ n: number }>(sql`select count(*)::int as n from users where fiscal_code = ${PEOPLE.osservatore}`);
    expect(n).toBe(1);
  });
});
