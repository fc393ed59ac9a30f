import { eq, sql as q } from "drizzle-orm";
import { connect, type Tx } from "~db/client";
import { appMeta } from "~db/schema";

/**
 * Runs one piece of demo seeding once per database, in one transaction: concurrent starts wait
 * for each other, and `key` in app_meta records that it was done. True when it ran now.
 */
export async function seedOnce(url: string, key: string, seed: (tx: Tx) => Promise<void>): Promise<boolean> {
  const { sql, db } = connect(url, { max: 1 });
  try {
    return await db.transaction(async (tx) => {
      await tx.execute(q`select pg_advisory_xact_lock(hashtext(${key}))`);
      const [done] = await tx.select().from(appMeta).where(eq(appMeta.key, key));
      if (done) return false;
      await seed(tx);
      await tx.insert(appMeta).values({ key, value: new Date().toISOString() });
      return true;
    });
  } finally {
    await sql.end({ timeout: 5 });
  }
}
