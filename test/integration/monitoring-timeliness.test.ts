import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { dashboardTables } from "~/monitoring/tables";
import { overLimitCounts } from "~/timeliness/digest.server";
import { getDb, getSql } from "~db/client";
import { monitoringFigures } from "~/monitoring/figures.server";
import { listPractices } from "~db/queries/practices";
import { GESTORE_ALTRO, GESTORE_DEMO, PEOPLE, seedDemo, viewerOf } from "../support/actors";
import { gestoreId } from "../support/uploads";

/**
 * The dashboard's timeliness per gestore, on a hand-computed data set: issue 5's obligations
 * (days late, share of periods on time) and practices over their state limits.
 *
 * INNOVA-PMI: monthly files due on the 15th of the next month (the next working day), from
 * January 2026; at most 30 days in istruttoria, 10 sospesa. Today is 20 June 2026.
 * The demo gestore sent two files: reference 31/01 received 10/02 (January on time, due 16/02)
 * and reference 31/03 received 20/04 (February due 16/03: late; March due 15/04: late).
 * April (due 15/05) and May (due 15/06) are still owed: the oldest, April, is 36 days late.
 * Periods past due: January to May = 5, on time 1: share 20%.
 */
const TODAY = "2026-06-20";
let demo: string;

beforeAll(async () => {
  await seedDemo();
  demo = await gestoreId(GESTORE_DEMO);
  const db = getDb();
  await db.execute(sql`update measures set obligation_cadence = null, max_days_istruttoria = null, max_days_sospesa = null`);
  await db.execute(sql`update measures set obligation_cadence = 'monthly', obligation_day = 15, obligation_starts_on = '2026-01-01', obligation_ends_on = null,
    max_days_istruttoria = 30, max_days_sospesa = 10 where code = 'INNOVA-PMI'`);
  await db.execute(sql`insert into measure_gestori (measure_id, gestore_id) select id, ${demo} from measures where code = 'INNOVA-PMI' on conflict do nothing`);
  for (const [ref, received, sha] of [
    ["2026-01-31", "2026-02-10 10:00+01", "a"],
    ["2026-03-31", "2026-04-20 10:00+02", "b"],
  ] as const) {
    await db.execute(sql`insert into uploads (gestore_id, channel, size_bytes, sha256, status, reference_date, received_at, completed_at, submission_id)
      values (${demo}, 'api', 1, ${sha.repeat(64)}, 'accepted', ${ref}, ${received}, ${received}, ${"T-" + ref})`);
  }
  // Over the limits today: T1 (50 days in istruttoria > 30) and T3 (19 days sospesa > 10); T2
  // (5 days sospesa) is within; T4's measure has no limit.
  for (const [code, measure, state, since] of [
    ["T1", "INNOVA-PMI", "IN_ISTRUTTORIA", "2026-05-01"],
    ["T2", "INNOVA-PMI", "SOSPESA", "2026-06-15"],
    ["T3", "INNOVA-PMI", "SOSPESA", "2026-06-01"],
    ["T4", "COVID-LIQ", "IN_ISTRUTTORIA", "2026-01-01"],
  ] as const) {
    await db.execute(sql`
      insert into practices (gestore_id, code, measure_id, beneficiary_fiscal_code, beneficiary_name, comune_code, submitted_on, state, state_date,
        amount_requested, snapshot, machine_version, first_state, first_state_date)
      values (${demo}, ${code}, (select id from measures where code = ${measure}), '02342520158', ${"Impresa " + code}, '042002', '2026-01-02',
        ${state}, ${since}, 100, '{}'::jsonb, 1, ${state}, ${since})`);
  }
  await db.execute(sql`select monitoring_apply(array(select id from practices), 1)`);
});

const figures = async (who: keyof typeof PEOPLE, filter = {}) => monitoringFigures(getDb(), await viewerOf(PEOPLE[who]), filter, { today: TODAY });

describe("timeliness per gestore on the dashboard", () => {
  it("days late, periods due and on time, as issue 5 assesses them", async () => {
    const row = (await figures("funzionario")).timeliness.find((r) => r.gestoreCf === GESTORE_DEMO)!;
    expect(row).toMatchObject({ obligations: 1, daysLate: 36, periodsDue: 5, periodsOnTime: 1, onTimeShare: 0.2, lastReferenceDate: "2026-03-31" });
    // The other gestore of INNOVA-PMI sent nothing: January is owed since 16/02 (124 days), none on time.
    const other = (await figures("funzionario")).timeliness.find((r) => r.gestoreCf === GESTORE_ALTRO)!;
    expect(other).toMatchObject({ obligations: 1, daysLate: 124, periodsDue: 5, periodsOnTime: 0, onTimeShare: 0 });
    // Under a measure without obligations, no such figures.
    const covid = (await figures("funzionario", { measure: "COVID-LIQ" })).timeliness.find((r) => r.gestoreCf === GESTORE_DEMO)!;
    expect(covid).toMatchObject({ obligations: 0, daysLate: null, periodsDue: 0, onTimeShare: null });
  });

  it("practices over their state limits: the same as issue 5's count, and the practice list behind the link", async () => {
    const f = await figures("funzionario");
    expect(f.timeliness.find((r) => r.gestoreCf === GESTORE_DEMO)!.overLimit).toBe(2);
    const issue5 = await overLimitCounts(getSql(), TODAY, demo);
    expect([...issue5.values()].reduce((s, n) => s + n, 0)).toBe(2);
    const table = dashboardTables({}, f).tempestivita;
    const i = f.timeliness.findIndex((r) => r.gestoreCf === GESTORE_DEMO);
    expect(table.rows[i]![9]).toBe(2);
    const link = table.links[i]![9]!;
    expect(link).toBe(`/pratiche?gestore=${GESTORE_DEMO}&overLimitOn=${TODAY}`);
    const listed = await listPractices(getDb(), await viewerOf(PEOPLE.funzionario), { gestore: GESTORE_DEMO, overLimitOn: TODAY });
    expect(listed.rows.map((r) => r.code).sort()).toEqual(["T1", "T3"]);
    // The measure filter narrows it: COVID-LIQ has no limits.
    expect((await figures("funzionario", { measure: "COVID-LIQ" })).timeliness.find((r) => r.gestoreCf === GESTORE_DEMO)?.overLimit).toBe(0);
  });

  it("stays exact after a per-event move out of the state", async () => {
    const { applyPracticeReport } = await import("~/machines/runner.server");
    const [t1] = await getDb().execute<{ id: number }>(sql`select id from practices where code = 'T1'`);
    await getDb().transaction((tx) =>
      applyPracticeReport(tx, { practiceId: t1!.id, report: { state: "DELIBERATA", stateDate: "2026-06-19" }, actor: { fiscalCode: "TEST" } }),
    );
    expect((await figures("funzionario")).timeliness.find((r) => r.gestoreCf === GESTORE_DEMO)!.overLimit).toBe(1);
    expect([...(await overLimitCounts(getSql(), TODAY, demo)).values()].reduce((s, n) => s + n, 0)).toBe(1);
  });

  it("visibility: the osservatore sees the row but not a count under 5, and no link; a gestore user only its own row", async () => {
    const obs = await figures("osservatore");
    const row = obs.timeliness.find((r) => r.gestoreCf === GESTORE_DEMO)!;
    expect(row.overLimit).toBeNull();
    expect(row.daysLate).toBe(36);
    const i = obs.timeliness.indexOf(row);
    expect(dashboardTables({}, obs).tempestivita.rows[i]![9]).toEqual({ suppressed: true });
    expect(dashboardTables({}, obs).tempestivita.links[i]![9]).toBeNull();
    const other = await figures("altroOperatore", { gestore: "tutti" });
    expect(other.timeliness.map((r) => r.gestoreCf)).not.toContain(GESTORE_DEMO);
    const own = await figures("operatore");
    expect(own.timeliness.map((r) => r.gestoreCf)).toEqual([GESTORE_DEMO]);
  });
});
