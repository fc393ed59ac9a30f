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

export type PracticeSeed = {
  gestoreId: string;
  code: string;
  measure: string;
  comune: string;
  submitted: string;
  state: string;
  requested: string;
  approved?: string | null;
  disbursed?: string | null;
  beneficiary?: { cf: string; name: string };
  notes?: string;
};

/**
 * Practices first reported in their state on their submission day, written behind the
 * ingestion's back, and the monitoring summary told as the writers do.
 */
export async function insertPractices(practices: PracticeSeed[]) {
  const db = getDb();
  for (const p of practices) {
    await db.execute(sql`
      insert into practices (gestore_id, code, measure_id, beneficiary_fiscal_code, beneficiary_name, comune_code, submitted_on, state, state_date,
        amount_requested, amount_approved, amount_disbursed, snapshot, machine_version, first_state, first_state_date, notes)
      values (${p.gestoreId}, ${p.code}, (select id from measures where code = ${p.measure}), ${p.beneficiary?.cf ?? "02342520158"},
        ${p.beneficiary?.name ?? `Impresa ${p.code}`}, ${p.comune}, ${p.submitted}, ${p.state}, ${p.submitted}, ${p.requested},
        ${p.approved ?? null}, ${p.disbursed ?? null}, '{}'::jsonb, 1, ${p.state}, ${p.submitted}, ${p.notes ?? ""})`);
  }
  await db.execute(sql`select monitoring_apply(array(select id from practices), 1)`);
}
