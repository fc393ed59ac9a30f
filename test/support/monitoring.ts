import { sql } from "drizzle-orm";
import { expect } from "vitest";
import { getDb, type DbOrTx } from "~db/client";
import { monitoringFigures } from "~/monitoring/figures.server";
import type { MonitoringFilter } from "~db/queries/monitoring";
import { PEOPLE, viewerOf } from "./actors";

/** The summary's rows that count something, summed over the writers' slots, in a stable order. */
async function countingRows(db: DbOrTx) {
  const rows = await db.execute(sql`
    select lvl, gestore_id, measure_id, region_code, province_code, fact, bucket::text, a, b, days, sum(n)::int as n,
      sum(requested)::text as requested, sum(approved)::text as approved, sum(approved_n)::int as approved_n,
      sum(disbursed)::text as disbursed, sum(disbursed_n)::int as disbursed_n
    from monitoring_rollup
    group by lvl, gestore_id, measure_id, region_code, province_code, fact, bucket, a, b, days
    having sum(n) <> 0 or sum(approved_n) <> 0 or sum(disbursed_n) <> 0
    order by lvl, gestore_id, measure_id, region_code, province_code, fact, bucket, a, b, days`);
  return JSON.stringify(rows);
}

export const summaryRows = () => countingRows(getDb());

/** The summary rebuilt from every practice, in a transaction rolled back afterwards. */
export async function rebuiltRows() {
  let rebuilt = "";
  await getDb()
    .transaction(async (tx) => {
      await tx.execute(sql`delete from monitoring_rollup`);
      await tx.execute(sql`select monitoring_apply(array(select id from practices), 1)`);
      rebuilt = await countingRows(tx);
      throw new Error("rollback");
    })
    .catch((e: Error) => {
      if (e.message !== "rollback") throw e;
    });
  return rebuilt;
}

/** For officials and the osservatore, each view's figures from the summary equal the raw tables'. */
export async function expectSummaryEqualsRaw(views: MonitoringFilter[], today: string) {
  const db = getDb();
  for (const who of ["funzionario", "osservatore"] as const) {
    const viewer = await viewerOf(PEOPLE[who]);
    for (const filter of views) {
      const summary = await monitoringFigures(db, viewer, filter, { today });
      const raw = await monitoringFigures(db, viewer, filter, { today, source: "raw" });
      expect({ who, filter, figures: summary }).toEqual({ who, filter, figures: raw });
    }
  }
}
