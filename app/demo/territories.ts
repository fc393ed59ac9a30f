import { eq, sql } from "drizzle-orm";
import { addUserWithAccess } from "~/registry/registry.server";
import { users } from "~db/schema";
import { DEMO_IDENTITIES } from "./identities";
import { seedOnce } from "./once";

const KEY = "demo.territories";
const who = { system: "demo-data" };

/**
 * Until the official list of social districts is imported, a demo mapping: one ATS per province
 * of the Marche (code DEMO-ATS-<province>), every municipality of the province in it since
 * 1 January 2020, marked `demo` (shown as "dimostrativo"). Also the territorial demo people, on
 * installations seeded before them.
 */
export async function seedTerritoriesDemo(url: string): Promise<boolean> {
  return seedOnce(url, KEY, async (tx) => {
    await tx.execute(sql`
      insert into ats (code, name, region_code, demo)
      select distinct 'DEMO-ATS-' || province_code, 'ATS ' || province_name, region_code, true from comuni where region_code = '11'
      on conflict do nothing`);
    await tx.execute(sql`
      insert into comune_ats (comune_code, ats_code, valid_from)
      select code, 'DEMO-ATS-' || province_code, date '2020-01-01' from comuni where region_code = '11'
      on conflict do nothing`);
    for (const p of DEMO_IDENTITIES.filter((i) => i.territory)) {
      const [exists] = await tx.select({ id: users.id }).from(users).where(eq(users.fiscalCode, p.fiscalCode));
      if (exists) continue;
      await addUserWithAccess(tx, who, {
        cf: p.fiscalCode,
        name: p.name,
        surname: p.familyName,
        email: p.email,
        role: p.role!,
        territoryLevel: p.territory!.level,
        territoryCode: p.territory!.code,
      });
    }
  });
}
