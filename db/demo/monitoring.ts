import { eq, sql as q } from "drizzle-orm";
import { addUserWithAccess } from "~/registry/registry.server";
import { connect } from "../client";
import { appMeta, users } from "../schema";
import { DEMO_IDENTITIES } from "./identities";

const KEY = "demo.monitoring";
const who = { system: "demo-data" };

/**
 * The monitoring's demo additions, once, also on installations seeded before them: the
 * osservatore (aggregate figures only) among the people of the built-in test IdP.
 */
export async function seedMonitoringDemo(url: string): Promise<boolean> {
  const { sql, db } = connect(url, { max: 1 });
  try {
    return await db.transaction(async (tx) => {
      await tx.execute(q`select pg_advisory_xact_lock(hashtext(${KEY}))`);
      const [done] = await tx.select().from(appMeta).where(eq(appMeta.key, KEY));
      if (done) return false;
      for (const p of DEMO_IDENTITIES.filter((i) => i.role === "osservatore")) {
        const [exists] = await tx.select({ id: users.id }).from(users).where(eq(users.fiscalCode, p.fiscalCode));
        if (exists) continue;
        await addUserWithAccess(tx, who, { cf: p.fiscalCode, name: p.name, surname: p.familyName, email: p.email, role: "osservatore" });
      }
      await tx.insert(appMeta).values({ key: KEY, value: new Date().toISOString() });
      return true;
    });
  } finally {
    await sql.end({ timeout: 5 });
  }
}
