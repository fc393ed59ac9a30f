import { sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { notifiedCache } from "../notified-cache";

export type FilterOptions = { measures: { code: string; name: string }[]; gestori: { fiscalCode: string; name: string }[] };

/**
 * Every measure (by code) and every gestore (by name), as the filters of the practice list and of
 * the dashboard offer them: names only, no practice data. Read on every such page, they are kept
 * per process until `measures` or `gestori` change (NOTIFY of migration 0037, docs/decisions/0073).
 */
const options = notifiedCache("filter_options", async (db): Promise<FilterOptions> => {
  const [measures, gestori] = await Promise.all([
    db.execute<{ code: string; name: string }>(sql`select code, name from measures order by code`),
    db.execute<{ fiscalCode: string; name: string }>(sql`select fiscal_code as "fiscalCode", name from gestori order by name`),
  ]);
  return { measures: [...measures], gestori: [...gestori] };
});

export function filterOptions(db: DbOrTx): Promise<FilterOptions> {
  return options.get(db);
}
