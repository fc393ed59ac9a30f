import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { appMeta, comuni } from "../schema";
import { comuniSourceVersion, loadComuni } from "./comuni";

const COMUNI_KEY = "reference.comuni.version";

export async function loadReferenceData(db: DbOrTx) {
  const version = comuniSourceVersion();
  const [current] = await db.select().from(appMeta).where(eq(appMeta.key, COMUNI_KEY));
  if (current?.value === version) return;
  const rows = loadComuni();
  for (let i = 0; i < rows.length; i += 1000) {
    await db
      .insert(comuni)
      .values(rows.slice(i, i + 1000))
      .onConflictDoUpdate({
        target: comuni.code,
        set: {
          name: sql`excluded.name`,
          provinceCode: sql`excluded.province_code`,
          provinceName: sql`excluded.province_name`,
          provinceAbbr: sql`excluded.province_abbr`,
          regionCode: sql`excluded.region_code`,
          regionName: sql`excluded.region_name`,
        },
      });
  }
  await db
    .insert(appMeta)
    .values({ key: COMUNI_KEY, value: version })
    .onConflictDoUpdate({ target: appMeta.key, set: { value: version, updatedAt: new Date() } });
}
