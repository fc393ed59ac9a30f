import { beforeAll, describe, expect, it } from "vitest";
import * as exportPage from "~/routes/monitoraggio.esporta";
import { monitoringFigures } from "~/monitoring/figures.server";
import { getDb } from "~db/client";
import { confineToTerritory } from "~db/queries/territories";
import { cookieFor, GESTORE_ALTRO, GESTORE_DEMO, PEOPLE, seedDemo, statusOf, TERRITORIAL_PEOPLE, viewerOf } from "../support/actors";
import { insertPractices } from "../support/monitoring";
import { asOwner } from "../support/owner";
import { gestoreId } from "../support/uploads";

/**
 * The ATS level of the dashboard (issue 19, docs/decisions/0107). Demo ATS (one per Marche
 * province): COVID-LIQ Ancona (042) 6 practices, 3 approved and 3 rejected; Pesaro (041) 7, 5
 * approved and 2 rejected; Macerata (043) 2. INNOVA-PMI: Ancona 6, Macerata 2.
 */
const TODAY = "2026-11-28";

beforeAll(async () => {
  await seedDemo();
  const g = await gestoreId(GESTORE_DEMO);
  const other = await gestoreId(GESTORE_ALTRO);
  let k = 0;
  const some = (gestore: string, measure: string, comune: string, n: number, state: string) =>
    Array.from({ length: n }, () => {
      k += 1;
      return { gestoreId: gestore, code: `ATS-${k}`, measure, comune, submitted: "2026-03-02", state, requested: "1000.00", approved: state === "DELIBERATA" ? "800.00" : null };
    });
  await insertPractices([
    ...some(g, "COVID-LIQ", "042002", 3, "DELIBERATA"),
    ...some(g, "COVID-LIQ", "042002", 3, "NON_AMMESSA"),
    ...some(g, "COVID-LIQ", "041044", 5, "DELIBERATA"),
    ...some(g, "COVID-LIQ", "041044", 2, "NON_AMMESSA"),
    ...some(g, "COVID-LIQ", "043023", 2, "DELIBERATA"),
    ...some(other, "INNOVA-PMI", "042002", 6, "DELIBERATA"),
    ...some(other, "INNOVA-PMI", "043023", 2, "DELIBERATA"),
  ]);
});

const figuresOf = async (cf: string, filter: Record<string, string>) => {
  const viewer = await viewerOf(cf);
  return monitoringFigures(getDb(), viewer, await confineToTerritory(getDb(), viewer, filter), { today: TODAY });
};

describe("the breakdown by ATS of a Region", () => {
  it("officials see each ATS's figures exactly", async () => {
    const f = await figuresOf(PEOPLE.funzionario, { region: "11", measure: "COVID-LIQ" });
    expect(f.ats!.rows.map((r) => [r.ats, r.count, r.requested, r.approved])).toEqual([
      ["DEMO-ATS-042", 6, "6000.00", "2400.00"],
      ["DEMO-ATS-043", 2, "2000.00", "1600.00"],
      ["DEMO-ATS-041", 7, "7000.00", "4000.00"],
    ]);
    expect(f.ats!.comparison).toBeNull();
  });

  it("aggregate viewers: an ATS of fewer than 5 practices is withheld, and so is the next smallest (the Region's total is shown)", async () => {
    const f = await figuresOf(PEOPLE.osservatore, { region: "11", measure: "COVID-LIQ" });
    expect(f.ats!.rows.map((r) => [r.ats, r.count, r.requested])).toEqual([
      ["DEMO-ATS-042", null, null],
      ["DEMO-ATS-043", null, null],
      ["DEMO-ATS-041", 7, "7000.00"],
    ]);
    // Approved amounts by their own contributors: Ancona 3 and Macerata 2 withheld, Pesaro's 5 shown.
    expect(f.ats!.rows.map((r) => r.approved)).toEqual([null, null, "4000.00"]);
    expect(f.totals.count).toBe(15);
  });

  it("the regional referente sees the ATS of its Region, exported in CSV with '< 5'", async () => {
    const cookie = await cookieFor(TERRITORIAL_PEOPLE.referenteRegionale);
    const csv = await (await statusOf(exportPage.loader, { path: "/monitoraggio/esporta?tabella=ambiti&formato=csv&measure=COVID-LIQ", cookie })).response!.text();
    expect(csv).toContain("ATS;Pratiche;Importo richiesto;Importo deliberato;Importo erogato");
    expect(csv).toMatch(/ATS Ancona \(dimostrativo\);< 5;< 5;< 5;/);
    expect(csv).toMatch(/ATS Pesaro e Urbino \(dimostrativo\);7;7000,00;4000,00;/);
  });
});

describe("an ATS against its Region's average", () => {
  it("the ATS user's dashboard: its own figures and the average ATS of the Region, never the other ATS one by one", async () => {
    const f = await figuresOf(TERRITORIAL_PEOPLE.operatoreTerritoriale, { measure: "COVID-LIQ" });
    expect(f.ats!.rows).toEqual([]);
    const c = f.ats!.comparison!;
    expect(c).toMatchObject({ ats: "DEMO-ATS-042", name: "ATS Ancona (dimostrativo)", regionAts: 3 });
    expect(c.own).toMatchObject({ count: 6, requested: "6000.00", approved: null, approvalRate: null });
    expect(c.own.withheld).toEqual(expect.arrayContaining(["approved", "approvalRate"]));
    // 15 practices over 3 ATS; the others are 9 (7 approved, 2 rejected: the rate is withheld).
    expect(c.average).toMatchObject({ count: "5.0", requested: "5000.00", approved: "2666.67", approvalRate: null });
  });

  it("the average is withheld when the other ATS hold fewer than 5 practices", async () => {
    const f = await figuresOf(TERRITORIAL_PEOPLE.operatoreTerritoriale, { measure: "INNOVA-PMI" });
    const c = f.ats!.comparison!;
    expect(c.own).toMatchObject({ count: 6, requested: "6000.00" });
    expect(c.average).toMatchObject({ count: null, requested: null, approved: null });
    const cookie = await cookieFor(TERRITORIAL_PEOPLE.operatoreTerritoriale);
    const csv = await (await statusOf(exportPage.loader, { path: "/monitoraggio/esporta?tabella=confronto-ambito&formato=csv&measure=INNOVA-PMI", cookie })).response!.text();
    expect(csv).toContain("Pratiche;6;< 5");
    expect(csv).not.toContain("Macerata");
  });

  it("officials see the comparison exactly", async () => {
    const f = await figuresOf(PEOPLE.funzionario, { ats: "DEMO-ATS-042", measure: "COVID-LIQ" });
    expect(f.ats!.comparison!.own).toMatchObject({ count: 6, approved: "2400.00", approvalRate: 0.5 });
    expect(f.ats!.comparison!.average).toMatchObject({ count: "5.0", approved: "2666.67", approvalRate: 10 / 15 });
  });
});

describe("the breakdown is computed once per change of the practices (ADR 131)", () => {
  it("is kept between requests, and a new practice of the Region recomputes it", async () => {
    const filter = { region: "11", measure: "COVID-LIQ" };
    const before = await figuresOf(PEOPLE.funzionario, filter);
    // A rename carries no change signal: the next request is served what was kept.
    await asOwner(`update ats set name = 'ATS Ancona rinominato' where code = 'DEMO-ATS-042'`);
    const kept = await figuresOf(PEOPLE.funzionario, filter);
    expect(kept.ats!.rows.map((r) => r.name)).toEqual(before.ats!.rows.map((r) => r.name));
    // A new practice moves the change token: the breakdown is computed again, with the new name too.
    await insertPractices([{ gestoreId: await gestoreId(GESTORE_DEMO), code: "ATS-NEW", measure: "COVID-LIQ", comune: "042002", submitted: "2026-03-02", state: "DELIBERATA", requested: "1000.00", approved: "800.00" }]);
    const after = await figuresOf(PEOPLE.funzionario, filter);
    expect(after.ats!.rows.find((r) => r.ats === "DEMO-ATS-042")).toMatchObject({ name: "ATS Ancona rinominato (dimostrativo)", count: 7, approved: "3200.00" });
  });
});
