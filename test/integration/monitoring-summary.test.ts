import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~db/client";
import { monitoringFigures } from "~/monitoring/figures.server";
import { periodAligned, type MonitoringFilter } from "~db/queries/monitoring";
import { applyPracticeReport } from "~/machines/runner.server";
import { GESTORE_DEMO, PEOPLE, seedDemo, viewerOf } from "../support/actors";
import { expectSummaryEqualsRaw, rebuiltRows, summaryRows } from "../support/monitoring";
import { fixture, practiceState, uploadAndProcess } from "../support/uploads";

/**
 * The monitoring summary (docs/decisions/0027) against the raw tables: after each kind of write,
 * every view the summary answers gives the same figures as the computation on the raw tables,
 * and the summary equals one rebuilt from scratch.
 */
const TODAY = "2026-03-20";
// Views the summary answers (the comune and unaligned periods go to the raw tables anyway).
const VIEWS: MonitoringFilter[] = [
  {},
  { measure: "COVID-LIQ" },
  { gestore: GESTORE_DEMO },
  { gestore: GESTORE_DEMO, measure: "COVID-LIQ" },
  { gestore: GESTORE_DEMO, from: "2020-04-01", to: "2020-06-30" },
  { region: "11" },
  { province: "042" },
  { region: "11", from: "2020-07-01" },
  { from: "2020-04-01", to: "2020-04-30" },
  { from: "2020-04-01", to: "2020-07-31" },
  { from: "2020-07-01" },
  { to: "2020-06-30" },
];

beforeAll(async () => {
  await seedDemo();
});

describe("the monitoring summary equals the raw tables", () => {
  it("knows the aligned periods", () => {
    expect(periodAligned({ from: "2020-04-01", to: "2020-04-30" })).toBe(true);
    expect(periodAligned({ from: "2020-02-01", to: "2020-02-29" })).toBe(true);
    expect(periodAligned({ from: "2020-04-06", to: "2020-04-12" })).toBe(false);
    expect(periodAligned({ from: "2020-04-02" })).toBe(false);
    expect(periodAligned({ to: "2020-04-29" })).toBe(false);
  });

  it("after a first upload", async () => {
    const first = await uploadAndProcess(GESTORE_DEMO, fixture("valid-first.txt"), { today: TODAY });
    expect(first.upload.status).toBe("accepted");
    const [{ n }] = (await getDb().execute<{ n: number }>(sql`select count(*)::int as n from monitoring_rollup where lvl = 0 and fact = 'stock'`)) as unknown as [{ n: number }];
    expect(n).toBeGreaterThan(0);
    await expectSummaryEqualsRaw(VIEWS, TODAY);
    expect(await summaryRows()).toBe(await rebuiltRows());
  });

  it("after a second upload that moves practices and changes amounts", async () => {
    const before = await monitoringFigures(getDb(), await viewerOf(PEOPLE.funzionario), {}, { today: TODAY });
    const second = await uploadAndProcess(GESTORE_DEMO, fixture("valid-second.txt"), { today: TODAY });
    expect(second.upload.status).toBe("accepted");
    expect(second.upload.transitioned).toBeGreaterThan(0);
    const after = await monitoringFigures(getDb(), await viewerOf(PEOPLE.funzionario), {}, { today: TODAY });
    expect(after.totals.approved).not.toBe(before.totals.approved);
    await expectSummaryEqualsRaw(VIEWS, TODAY);
    expect(await summaryRows()).toBe(await rebuiltRows());
  });

  it("a rejected upload leaves the summary as it was", async () => {
    const rows = await summaryRows();
    const practices = await practiceState();
    const rejected = await uploadAndProcess(GESTORE_DEMO, fixture("invalid-mixed.txt"), { today: TODAY });
    expect(rejected.upload.status).toBe("rejected");
    expect(await practiceState()).toBe(practices);
    expect(await summaryRows()).toBe(rows);
    await expectSummaryEqualsRaw(VIEWS, TODAY);
  });

  it("after a transition through the per-event runner", async () => {
    const [p] = await getDb().execute<{ id: number; state: string }>(sql`select id, state::text from practices where state = 'PRESENTATA' order by id limit 1`);
    await getDb().transaction((tx) =>
      applyPracticeReport(tx, { practiceId: p!.id, report: { state: "IN_ISTRUTTORIA", stateDate: "2020-08-20" }, actor: { fiscalCode: "TEST" } }),
    );
    const f = await monitoringFigures(getDb(), await viewerOf(PEOPLE.funzionario), { from: "2020-08-01", to: "2020-08-31" }, { today: TODAY });
    expect(f.matrix).toContainEqual({ from: "PRESENTATA", to: "IN_ISTRUTTORIA", count: 1 });
    await expectSummaryEqualsRaw(VIEWS, TODAY);
    expect(await summaryRows()).toBe(await rebuiltRows());
  });
});
