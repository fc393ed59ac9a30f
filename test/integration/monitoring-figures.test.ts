import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~db/client";
import { monitoringFigures } from "~/monitoring/figures.server";
import type { MonitoringFilter } from "~db/queries/monitoring";
import { GESTORE_ALTRO, GESTORE_DEMO, PEOPLE, seedDemo, viewerOf } from "../support/actors";
import { fixture, gestoreId, uploadAndProcess } from "../support/uploads";

/**
 * A small data set whose every figure was computed by hand (the comments give the arithmetic).
 * Gestore A = Confidi Demo Marche (01234567897), gestore B = Fidi Adriatico (02345678904);
 * comune 042002 is Ancona (province 042, region 11 Marche), 058091 Roma (province 058, Lazio).
 */
type Spec = { code: string; g: "A" | "B"; measure?: string; comune?: string; submitted: string; req: string; appr?: string; disb?: string; path: [string, string][] };
const DATA: Spec[] = [
  // P1: PRESENTATA 10 d, IN_ISTRUTTORIA 20 d, DELIBERATA 10 d; decision after 30 d, disbursement after 40 d
  { code: "P1", g: "A", submitted: "2026-01-05", req: "1000.00", appr: "800.00", disb: "800.00", path: [["PRESENTATA", "2026-01-05"], ["IN_ISTRUTTORIA", "2026-01-15"], ["DELIBERATA", "2026-02-04"], ["EROGATA", "2026-02-14"]] },
  // P2: PRESENTATA 4 d, IN_ISTRUTTORIA 20 d; decision after 24 d
  { code: "P2", g: "A", submitted: "2026-01-06", req: "2000.50", path: [["PRESENTATA", "2026-01-06"], ["IN_ISTRUTTORIA", "2026-01-10"], ["NON_AMMESSA", "2026-01-30"]] },
  // P3: first reported IN_ISTRUTTORIA: 7 d, SOSPESA 10 d, IN_ISTRUTTORIA 10 d; decision after 35 d
  { code: "P3", g: "A", submitted: "2026-01-12", req: "500.00", appr: "500.00", path: [["IN_ISTRUTTORIA", "2026-01-20"], ["SOSPESA", "2026-01-27"], ["IN_ISTRUTTORIA", "2026-02-06"], ["DELIBERATA", "2026-02-16"]] },
  { code: "P4", g: "A", submitted: "2026-02-02", req: "300.00", path: [["PRESENTATA", "2026-02-02"]] },
  // P5: first reported DELIBERATA; decision after 7 d
  { code: "P5", g: "A", submitted: "2026-02-03", req: "700.00", appr: "650.00", path: [["DELIBERATA", "2026-02-10"]] },
  // P6: in Rome; PRESENTATA 7 d
  { code: "P6", g: "A", comune: "058091", submitted: "2026-03-02", req: "100.00", path: [["PRESENTATA", "2026-03-02"], ["RINUNCIATA", "2026-03-09"]] },
  { code: "Q1", g: "B", submitted: "2026-01-07", req: "1000.00", path: [["PRESENTATA", "2026-01-07"]] },
  { code: "Q2", g: "B", submitted: "2026-01-07", req: "1000.00", path: [["PRESENTATA", "2026-01-07"]] },
  { code: "Q3", g: "B", submitted: "2026-01-07", req: "1000.00", path: [["PRESENTATA", "2026-01-07"]] },
  // Q4: PRESENTATA 10 d, IN_ISTRUTTORIA 10 d; decision after 20 d
  { code: "Q4", g: "B", submitted: "2026-01-08", req: "400.00", appr: "400.00", path: [["PRESENTATA", "2026-01-08"], ["IN_ISTRUTTORIA", "2026-01-18"], ["DELIBERATA", "2026-01-28"]] },
  // Q5: the only INNOVA-PMI practice: PRESENTATA 10 d; decision after 10 d
  { code: "Q5", g: "B", measure: "INNOVA-PMI", submitted: "2026-02-09", req: "250.00", path: [["PRESENTATA", "2026-02-09"], ["NON_AMMESSA", "2026-02-19"]] },
];
const TODAY = "2026-03-20";

let ids: Record<"A" | "B", string>;

async function insertDataSet() {
  const db = getDb();
  for (const p of DATA) {
    const [first, ...moves] = p.path;
    const last = p.path[p.path.length - 1]!;
    const [row] = await db.execute<{ id: number }>(sql`
      insert into practices (gestore_id, code, measure_id, beneficiary_fiscal_code, beneficiary_name, comune_code, submitted_on, state, state_date,
        amount_requested, amount_approved, amount_disbursed, snapshot, machine_version, first_state, first_state_date)
      values (${ids[p.g]}, ${p.code}, (select id from measures where code = ${p.measure ?? "COVID-LIQ"}), '02342520158', ${"Impresa " + p.code},
        ${p.comune ?? "042002"}, ${p.submitted}, ${last[0]}, ${last[1]}, ${p.req}, ${p.appr ?? null}, ${p.disb ?? null}, '{}'::jsonb, 1, ${first![0]}, ${first![1]})
      returning id`);
    let from = first![0];
    for (const [to, date] of moves) {
      await db.execute(sql`insert into practice_history (practice_id, kind, from_state, to_state, state_date) values (${row!.id}, 'transition', ${from}, ${to}, ${date})`);
      from = to;
    }
  }
  // Written behind the ingestion's back: the monitoring summary is told, as the writers do.
  await db.execute(sql`select monitoring_apply(array(select id from practices), 1)`);
  // Gestore A's last accepted file was accepted on 10 March (Rome), ten days before TODAY.
  await db.execute(sql`insert into uploads (gestore_id, channel, size_bytes, sha256, status, reference_date, completed_at)
    values (${ids.A}, 'api', 1, ${"0".repeat(64)}, 'accepted', '2020-01-31', '2026-03-10 09:00+01')`);
}

const figures = async (who: keyof typeof PEOPLE, filter: MonitoringFilter = {}) => monitoringFigures(getDb(), await viewerOf(PEOPLE[who]), filter, { today: TODAY });
const stateCount = (f: Awaited<ReturnType<typeof figures>>, state: string) => f.byState.find((r) => r.state === state);

beforeAll(async () => {
  await seedDemo();
  ids = { A: await gestoreId(GESTORE_DEMO), B: await gestoreId(GESTORE_ALTRO) };
  await insertDataSet();
});

describe("figures of an official, against the hand-computed data set", () => {
  it("practices by state with their amounts, totals and approval rate", async () => {
    const f = await figures("funzionario");
    expect(f.scope.level).toBe("totale");
    expect(f.individual).toBe(true);
    expect(f.byState).toEqual([
      { state: "PRESENTATA", count: 4, requested: "3300.00", approved: null, disbursed: null, withheld: [] },
      { state: "DELIBERATA", count: 3, requested: "1600.00", approved: "1550.00", disbursed: null, withheld: [] },
      { state: "EROGATA", count: 1, requested: "1000.00", approved: "800.00", disbursed: "800.00", withheld: [] },
      { state: "NON_AMMESSA", count: 2, requested: "2250.50", approved: null, disbursed: null, withheld: [] },
      { state: "RINUNCIATA", count: 1, requested: "100.00", approved: null, disbursed: null, withheld: [] },
    ]);
    // approved = DELIBERATA 3 + EROGATA 1; rejected = NON_AMMESSA 2
    expect(f.totals).toEqual({ count: 11, requested: "8250.50", approved: "2350.00", disbursed: "800.00", approvalRate: 4 / 6, withheld: [] });
  });

  it("time in each state, to decision and to disbursement (median and 90th percentile)", async () => {
    const f = await figures("funzionario");
    expect(f.durations).toEqual([
      { state: "PRESENTATA", count: 5, median: 10, p90: 10 }, // 4 7 10 10 10
      { state: "IN_ISTRUTTORIA", count: 5, median: 10, p90: 20 }, // 7 10 10 20 20
      { state: "SOSPESA", count: 1, median: 10, p90: 10 },
      { state: "DELIBERATA", count: 1, median: 10, p90: 10 },
    ]);
    expect(f.toDecision).toEqual({ count: 6, median: 22, p90: 32.5 }); // 7 10 20 24 30 35
    expect(f.toDisbursement).toEqual({ count: 1, median: 40, p90: 40 });
  });

  it("the from × to transition matrix", async () => {
    const f = await figures("funzionario");
    expect(f.matrix).toEqual([
      { from: "PRESENTATA", to: "IN_ISTRUTTORIA", count: 3 },
      { from: "PRESENTATA", to: "NON_AMMESSA", count: 1 },
      { from: "PRESENTATA", to: "RINUNCIATA", count: 1 },
      { from: "IN_ISTRUTTORIA", to: "SOSPESA", count: 1 },
      { from: "IN_ISTRUTTORIA", to: "DELIBERATA", count: 3 },
      { from: "IN_ISTRUTTORIA", to: "NON_AMMESSA", count: 1 },
      { from: "SOSPESA", to: "IN_ISTRUTTORIA", count: 1 },
      { from: "DELIBERATA", to: "EROGATA", count: 1 },
    ]);
  });

  it("the flow per week: new, approved, rejected, disbursed (weeks start on Monday)", async () => {
    const f = await figures("funzionario");
    expect(f.flow).toEqual([
      { week: "2026-01-05", created: 6, approved: 0, rejected: 0, disbursed: 0 },
      { week: "2026-01-12", created: 1, approved: 0, rejected: 0, disbursed: 0 },
      { week: "2026-01-26", created: 0, approved: 1, rejected: 1, disbursed: 0 },
      { week: "2026-02-02", created: 2, approved: 1, rejected: 0, disbursed: 0 },
      { week: "2026-02-09", created: 1, approved: 1, rejected: 0, disbursed: 1 },
      { week: "2026-02-16", created: 0, approved: 1, rejected: 1, disbursed: 0 },
      { week: "2026-03-02", created: 1, approved: 0, rejected: 0, disbursed: 0 },
    ]);
  });

  it("timeliness: each gestore's last accepted file and the days since", async () => {
    const f = await figures("funzionario");
    expect(f.timeliness.find((t) => t.gestoreCf === GESTORE_DEMO)).toMatchObject({ lastReferenceDate: "2020-01-31", lastAcceptedOn: "2026-03-10", daysSince: 10 });
    expect(f.timeliness.find((t) => t.gestoreCf === GESTORE_ALTRO)).toMatchObject({ lastReferenceDate: null, daysSince: null });
    expect(f.comparison).toBeNull();
  });
});

describe("filters", () => {
  it("measure, gestore, region, province and comune", async () => {
    expect((await figures("funzionario", { measure: "INNOVA-PMI" })).totals.count).toBe(1);
    expect((await figures("funzionario", { gestore: GESTORE_DEMO })).totals.count).toBe(6);
    expect((await figures("funzionario", { region: "11" })).totals.count).toBe(10);
    expect((await figures("funzionario", { province: "058" })).totals.count).toBe(1);
    expect((await figures("funzionario", { comune: "042002" })).totals.count).toBe(10);
    expect((await figures("funzionario", { gestore: "99999999999" })).totals.count).toBe(0);
  });

  it("the period: practices submitted in it, moves dated in it", async () => {
    const f = await figures("funzionario", { from: "2026-02-01", to: "2026-02-28" });
    expect(f.totals.count).toBe(3); // P4, P5, Q5
    expect(f.flow).toEqual([
      { week: "2026-02-02", created: 2, approved: 1, rejected: 0, disbursed: 0 },
      { week: "2026-02-09", created: 1, approved: 1, rejected: 0, disbursed: 1 },
      { week: "2026-02-16", created: 0, approved: 1, rejected: 1, disbursed: 0 },
    ]);
    expect(f.matrix.reduce((s, c) => s + c.count!, 0)).toBe(5);
    expect(f.matrix).toContainEqual({ from: "IN_ISTRUTTORIA", to: "DELIBERATA", count: 2 });
    expect(f.toDecision).toEqual({ count: 2, median: 8.5, p90: 9.7 }); // P5 7, Q5 10
  });

  it("the comparison of a gestore with the average of the measure's gestori", async () => {
    const f = await figures("funzionario", { gestore: GESTORE_DEMO, measure: "COVID-LIQ" });
    // A: 6 practices, 4600.50 requested; COVID-LIQ: 10 practices, 8000.50 requested, 3 gestori accredited
    expect(f.comparison).toEqual([
      {
        measure: "COVID-LIQ",
        measureName: "Fondo liquidità COVID-19",
        gestori: 3,
        own: { count: 6, requested: "4600.50", approved: "1950.00", disbursed: "800.00", approvalRate: 0.75, withheld: [] },
        average: { count: "3.3", requested: "2666.83", approved: "783.33", disbursed: "266.67", approvalRate: 0.8, withheld: [] },
      },
    ]);
  });
});

describe("visibility per role", () => {
  it("an osservatore sees aggregates only, every cell under 5 practices withheld", async () => {
    const f = await figures("osservatore");
    expect(f.scope.level).toBe("aggregato");
    expect(f.individual).toBe(false);
    expect(f.totals.count).toBe(11);
    expect(f.totals.requested).toBe("8250.50");
    for (const r of f.byState) expect(r).toMatchObject({ state: r.state, count: null, requested: null, approved: null, disbursed: null });
    expect(f.totals.approvalRate).toBeNull(); // 4 approved: under 5
    expect(f.durations.find((d) => d.state === "PRESENTATA")).toEqual({ state: "PRESENTATA", count: 5, median: 10, p90: 10 });
    expect(f.durations.find((d) => d.state === "SOSPESA")).toEqual({ state: "SOSPESA", count: null, median: null, p90: null });
    expect(f.toDecision).toEqual({ count: 6, median: 22, p90: 32.5 });
    expect(f.toDisbursement).toEqual({ count: null, median: null, p90: null });
    expect(f.matrix.every((c) => c.count === null)).toBe(true);
    // A zero says nothing about anyone and stays; the small weeks' new practices add up to 5 (1 + 2 + 1 + 1).
    expect(f.flow[0]).toEqual({ week: "2026-01-05", created: 6, approved: 0, rejected: 0, disbursed: 0 });
    expect(f.flow.map((w) => w.created)).toEqual([6, null, 0, null, null, 0, null]);
  });

  it("an aggregate viewer of one gestore gets no total from fewer than 5 practices (amounts of 3 and 1 practices)", async () => {
    // Gestore A: 6 practices, approved amounts on P1, P3, P5 only, a disbursed amount on P1 only.
    for (const who of ["osservatore", "altroOperatore"] as const) {
      for (const source of ["auto", "raw"] as const) {
        const f = await monitoringFigures(getDb(), await viewerOf(PEOPLE[who]), { gestore: GESTORE_DEMO }, { today: TODAY, source });
        expect(f.scope.level).toBe("aggregato");
        expect(f.totals).toEqual({ count: 6, requested: "4600.50", approved: null, disbursed: null, approvalRate: null, withheld: ["approved", "disbursed", "approvalRate"] });
        expect(f.byState.every((r) => r.count === null && r.approved === null && r.disbursed === null)).toBe(true);
        // The comparison's own column carries the same amounts: withheld there too.
        expect(f.comparison![0]!.own).toMatchObject({ count: 6, requested: "4600.50", approved: null, disbursed: null, approvalRate: null });
      }
    }
  });

  it("an osservatore comparing a gestore gets no average when the others have under 5 practices", async () => {
    const f = await figures("osservatore", { gestore: GESTORE_DEMO, measure: "COVID-LIQ" });
    expect(f.comparison![0]!.own.count).toBe(6);
    expect(f.comparison![0]!.average).toMatchObject({ count: null, requested: null, approved: null, disbursed: null, approvalRate: null });
  });

  it("a gestore user sees its own gestore individually by default", async () => {
    const f = await figures("operatore");
    expect(f.scope).toMatchObject({ level: "proprio_ente", gestoreCf: GESTORE_DEMO });
    expect(f.individual).toBe(true);
    expect(f.totals.count).toBe(6);
    expect(stateCount(f, "PRESENTATA")).toEqual({ state: "PRESENTATA", count: 1, requested: "300.00", approved: null, disbursed: null, withheld: [] });
    expect(f.timeliness.map((t) => t.gestoreCf)).toEqual([GESTORE_DEMO]);
    // its own figures against the average, which includes the others' (4 + 0 practices, no suppression at its own level)
    expect(f.comparison!.find((c) => c.measure === "COVID-LIQ")!.average.count).toBe("3.3");
  });

  it("a gestore user sees another gestore, or all of them, only in aggregate", async () => {
    const other = await figures("operatore", { gestore: GESTORE_ALTRO });
    expect(other.scope.level).toBe("aggregato");
    expect(other.individual).toBe(false);
    expect(other.totals.count).toBe(5);
    expect(stateCount(other, "PRESENTATA")!.count).toBeNull(); // 3 practices
    expect(other.timeliness.map((t) => t.gestoreCf)).toEqual([GESTORE_DEMO]);
    const all = await figures("operatore", { gestore: "tutti" });
    expect(all.scope.level).toBe("aggregato");
    expect(all.totals.count).toBe(11);
    expect(all.matrix.every((c) => c.count === null)).toBe(true);
  });

  it("the other gestore's operator sees its own practices individually", async () => {
    const f = await figures("altroOperatore");
    expect(f.scope.level).toBe("proprio_ente");
    expect(f.totals.count).toBe(5);
    expect(stateCount(f, "PRESENTATA")!.count).toBe(3);
  });

  it("every official role sees everything individually", async () => {
    for (const who of ["funzionario", "dirigente", "amministratore"] as const) {
      const f = await figures(who);
      expect(f.scope.level).toBe("totale");
      expect(stateCount(f, "EROGATA")!.count).toBe(1);
    }
  });
});

describe("after an upload is accepted", () => {
  it("the figures include it at once (no cache)", async () => {
    const before = await figures("funzionario");
    const first = await uploadAndProcess(GESTORE_DEMO, fixture("valid-first.txt"), { today: "2026-03-20" });
    expect(first.upload.status).toBe("accepted");
    const after = await figures("funzionario");
    expect(after.totals.count).toBe(before.totals.count! + 5);
    // valid-first: one practice in each of PRESENTATA, IN_ISTRUTTORIA, DELIBERATA, EROGATA, SOSPESA
    expect(stateCount(after, "PRESENTATA")!.count).toBe(5);
    expect(stateCount(after, "SOSPESA")!.count).toBe(1);
    const second = await uploadAndProcess(GESTORE_DEMO, fixture("valid-second.txt"), { today: "2026-03-20" });
    expect(second.upload.status).toBe("accepted");
    const moved = await figures("funzionario");
    const total = (f: typeof moved) => f.matrix.reduce((s, c) => s + c.count!, 0);
    expect(total(moved)).toBe(total(after) + 3);
    expect(moved.matrix).toContainEqual({ from: "SOSPESA", to: "IN_ISTRUTTORIA", count: 2 });
    expect(moved.timeliness.find((t) => t.gestoreCf === GESTORE_DEMO)!.lastReferenceDate).toBe("2020-07-31");
  });
});
