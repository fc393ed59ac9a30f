import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~db/client";
import type { MonitoringFilter } from "~db/queries/monitoring";
import { practices } from "~db/schema";
import { decideReport } from "~workflows/practice-runner";
import { PRACTICE_STATES, type PracticeState } from "~workflows/practice.machine";
import { applyPracticeReport } from "~/machines/runner.server";
import { GESTORE_DEMO, seedDemo } from "../support/actors";
import { expectSummaryEqualsRaw, rebuiltRows, summaryRows } from "../support/monitoring";
import { uploadAndProcess } from "../support/uploads";

/**
 * The summary maintained by deltas (docs/decisions/0034): after files holding every kind of move a
 * file can make — every allowed change of state, a new date in the same state, changed amounts, a
 * changed note only, a changed municipality or submission date (the practice re-keyed whole) — the
 * summary equals one rebuilt from every practice's whole story, and the raw tables' figures.
 */
const TODAY = "2026-03-20";
const VIEWS: MonitoringFilter[] = [{}, { gestore: GESTORE_DEMO }, { region: "11" }, { province: "042" }, { from: "2020-01-01", to: "2020-01-31" }];

type Line = { code: string; state: PracticeState; date: string; comune?: string; submitted?: string; requested?: string; approved?: string; disbursed?: string; notes?: string };
// DELIBERATA needs an approved amount, EROGATA a disbursed one.
const defaults = (s: PracticeState) => ({ approved: ["DELIBERATA", "EROGATA", "REVOCATA"].includes(s) ? "800" : "", disbursed: s === "EROGATA" || s === "REVOCATA" ? "800" : "" });
const line = (l: Line) => {
  const d = defaults(l.state);
  return `D|${l.code}|COVID-LIQ|02342520158|Prova|${l.comune ?? "042002"}|${l.submitted ?? "01/01/2020"}|${l.state}|${l.date}|${l.requested ?? "1000"}|${l.approved ?? d.approved}|${l.disbursed ?? d.disbursed}|${l.notes ?? ""}`;
};
const file = (ref: string, id: string, lines: Line[]) => {
  const total = lines.reduce((s, l) => s + Number(l.requested ?? "1000"), 0);
  return [`T|1|${GESTORE_DEMO}|${ref}|${id}`, ...lines.map(line), `C|${lines.length}|${total}`].join("\n") + "\n";
};

const allowed = PRACTICE_STATES.flatMap((from) => PRACTICE_STATES.map((to) => [from, to] as const)).filter(
  ([from, to]) => from !== to && decideReport({ state: from, stateDate: "2020-01-10" }, { state: to, stateDate: "2020-01-20" }).ok,
);
const pair = (from: string, to: string) => `M-${from}-${to}`;

async function expectExact() {
  expect(await summaryRows()).toBe(await rebuiltRows());
  await expectSummaryEqualsRaw(VIEWS, TODAY);
}

beforeAll(async () => {
  await seedDemo();
  const first = await uploadAndProcess(
    GESTORE_DEMO,
    file("01/02/2020", "D-1", [
      ...allowed.map(([from, to]) => ({ code: pair(from, to), state: from, date: "10/01/2020" })),
      { code: "DATE", state: "IN_ISTRUTTORIA", date: "10/01/2020" },
      { code: "WAIT-DATE", state: "SOSPESA", date: "10/01/2020" },
      { code: "AMOUNTS", state: "DELIBERATA", date: "10/01/2020" },
      { code: "PAID", state: "EROGATA", date: "10/01/2020" },
      { code: "NOTE", state: "PRESENTATA", date: "10/01/2020" },
      { code: "COMUNE", state: "IN_ISTRUTTORIA", date: "10/01/2020" },
      { code: "SUBMITTED", state: "SOSPESA", date: "10/01/2020" },
      { code: "MOVED-AND-REKEYED", state: "PRESENTATA", date: "10/01/2020" },
    ]),
    { today: TODAY },
  );
  expect(first.upload.status).toBe("accepted");
  await expectExact();
});

describe("the monitoring summary by deltas", () => {
  it("is exact after a file with every kind of move", async () => {
    expect(allowed.length).toBeGreaterThan(15);
    const second = await uploadAndProcess(
      GESTORE_DEMO,
      file("01/03/2020", "D-2", [
        ...allowed.map(([from, to]) => ({ code: pair(from, to), state: to, date: "20/01/2020" })),
        // Same state, later date: the waiting day changes, no move.
        { code: "DATE", state: "IN_ISTRUTTORIA", date: "25/01/2020" },
        { code: "WAIT-DATE", state: "SOSPESA", date: "26/01/2020", requested: "1500" },
        { code: "AMOUNTS", state: "DELIBERATA", date: "10/01/2020", requested: "1200", approved: "700" },
        { code: "PAID", state: "EROGATA", date: "10/01/2020", disbursed: "650" },
        { code: "NOTE", state: "PRESENTATA", date: "10/01/2020", notes: "solo una nota" },
        // Another region: every fact of the practice moves to other keys.
        { code: "COMUNE", state: "IN_ISTRUTTORIA", date: "10/01/2020", comune: "058091" },
        // Another cohort month.
        { code: "SUBMITTED", state: "SOSPESA", date: "10/01/2020", submitted: "15/12/2019" },
        { code: "MOVED-AND-REKEYED", state: "DELIBERATA", date: "20/01/2020", comune: "109006", approved: "900" },
      ]),
      { today: TODAY },
    );
    expect(second.upload.errors).toEqual([]);
    expect(second.upload.transitioned).toBe(allowed.length + 1);
    await expectExact();
  });

  it("counts a stay from the arrival, not from a later date in the same state", async () => {
    const third = await uploadAndProcess(
      GESTORE_DEMO,
      file("01/04/2020", "D-3", [
        { code: "DATE", state: "SOSPESA", date: "10/02/2020" },
        { code: "COMUNE", state: "NON_AMMESSA", date: "11/02/2020" },
        { code: "SUBMITTED", state: "IN_ISTRUTTORIA", date: "12/02/2020", submitted: "16/12/2019" },
        { code: "PAID", state: "REVOCATA", date: "13/02/2020" },
      ]),
      { today: TODAY },
    );
    expect(third.upload.errors).toEqual([]);
    const stays = await summaryRowsOf("stay", "IN_ISTRUTTORIA");
    // DATE arrived in IN_ISTRUTTORIA on 10/01 (its date changed to 25/01 without a move): 31 days.
    expect(stays).toContainEqual({ days: 31, n: 1 });
    await expectExact();
  });

  it("and after a move through the per-event runner", async () => {
    const [p] = await getDb().select().from(practices).where(eq(practices.code, "DATE"));
    await getDb().transaction((tx) =>
      applyPracticeReport(tx, { practiceId: p!.id, report: { state: "IN_ISTRUTTORIA", stateDate: "2020-02-20" }, actor: { fiscalCode: "TEST" } }),
    );
    await expectExact();
  });
});

async function summaryRowsOf(fact: string, a: string) {
  const { sql } = await import("drizzle-orm");
  const rows = await getDb().execute<{ days: number; n: number }>(sql`
    select days, sum(n)::int as n from monitoring_rollup where lvl = 0 and fact = ${fact} and a = ${a} group by days having sum(n) <> 0 order by days`);
  return [...rows];
}
