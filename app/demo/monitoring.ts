import { eq } from "drizzle-orm";
import { addUserWithAccess } from "~/registry/registry.server";
import { users } from "~db/schema";
import { DEMO_IDENTITIES } from "./identities";
import { seedOnce } from "./once";

const KEY = "demo.monitoring";
const who = { system: "demo-data" };

/**
 * The monitoring's demo additions, once, also on installations seeded before them: the
 * osservatore (aggregate figures only) among the people of the built-in test IdP.
 */
export async function seedMonitoringDemo(url: string): Promise<boolean> {
  return seedOnce(url, KEY, async (tx) => {
    for (const p of DEMO_IDENTITIES.filter((i) => i.role === "osservatore")) {
      const [exists] = await tx.select({ id: users.id }).from(users).where(eq(users.fiscalCode, p.fiscalCode));
      if (exists) continue;
      await addUserWithAccess(tx, who, { cf: p.fiscalCode, name: p.name, surname: p.familyName, email: p.email, role: "osservatore" });
    }
  });
}
