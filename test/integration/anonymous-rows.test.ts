import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { unzipEntries } from "~/lib/xlsx";
import * as anonymous from "~/routes/monitoraggio.dati-anonimi";
import { getDb } from "~db/client";
import { anonymousRows, type AnonymousRow } from "~db/queries/anonymous-rows";
import { auditLog } from "~db/schema";
import { cookieFor, GESTORE_DEMO, PEOPLE, seedDemo, statusOf, TERRITORIAL_PEOPLE, viewerOf } from "../support/actors";
import { insertPractices } from "../support/monitoring";
import { gestoreId } from "../support/uploads";

/**
 * Anonymous practice-level rows for territorial users (issue 19, docs/decisions/0082).
 * ATS DEMO-ATS-042 (province of Ancona, AN): Ancona COVID-LIQ January 6 (kept as they are);
 * Ancona COVID-LIQ February 2 and Castelfidardo COVID-LIQ January 3 (each under 5: generalised to
 * AN × COVID-LIQ × 1st quarter, 5 together); Ancona INNOVA-PMI April 1 (alone even so: left out).
 * Pesaro (another ATS) 6.
 */
const PRACTICES: [comune: string, measure: string, submitted: string, n: number][] = [
  ["042002", "COVID-LIQ", "2026-01-12", 6],
  ["042002", "COVID-LIQ", "2026-02-10", 2],
  ["042010", "COVID-LIQ", "2026-01-20", 3],
  ["042002", "INNOVA-PMI", "2026-04-07", 1],
  ["041044", "COVID-LIQ", "2026-01-12", 6],
];
const cookies: Record<string, string> = {};

beforeAll(async () => {
  await seedDemo();
  const g = await gestoreId(GESTORE_DEMO);
  let k = 0;
  await insertPractices(
    PRACTICES.flatMap(([comune, measure, submitted, n]) =>
      Array.from({ length: n }, () => {
        k += 1;
        return {
          gestoreId: g, code: `CODICE-GESTORE-${k}`, measure, comune, submitted, state: "DELIBERATA", requested: `${1000 + k}.50`, approved: "900.00",
          beneficiary: { cf: "RSSMRA80A01H501U", name: `Beneficiario Riservato ${k}` }, notes: "nota riservata",
        };
      }),
    ),
  );
  // Ancona's six January practices were first reported PRESENTATA and approved on 2 March.
  await getDb().execute(sql`update practices set first_state = 'PRESENTATA' where code between 'CODICE-GESTORE-1' and 'CODICE-GESTORE-6' and length(code) = 16`);
  await getDb().execute(sql`
    insert into practice_history (practice_id, kind, from_state, to_state, state_date)
    select id, 'transition', 'PRESENTATA', 'DELIBERATA', date '2026-03-02' from practices where code between 'CODICE-GESTORE-1' and 'CODICE-GESTORE-6' and length(code) = 16`);
  for (const [who, cf] of Object.entries({ ...TERRITORIAL_PEOPLE, funzionario: PEOPLE.funzionario, osservatore: PEOPLE.osservatore })) cookies[who] = await cookieFor(cf);
});

const rowsFor = async (cf: string) => anonymousRows(getDb(), await viewerOf(cf), {});
const download = (who: string, format: string, query = "") =>
  statusOf(anonymous.loader, { path: `/monitoraggio/dati-anonimi?formato=${format}${query}`, cookie: cookies[who] });
const quasiIdentifiers = (r: AnonymousRow) => `${r.comune ?? r.province}|${r.measure}|${r.submitted}`;

describe("anonymous rows of an ATS", () => {
  it("keeps the combinations of 5 or more, generalises the smaller ones, leaves out and counts what stays small", async () => {
    const data = await rowsFor(TERRITORIAL_PEOPLE.operatoreTerritoriale);
    expect(data.rows).toHaveLength(6 + 5);
    expect(data.generalised).toBe(5);
    expect(data.leftOut).toBe(1);
    expect(data.rows.filter((r) => !r.generalised).every((r) => r.comune === "042002" && r.submitted === "2026-01" && r.ats === "DEMO-ATS-042")).toBe(true);
    expect(data.rows.filter((r) => r.generalised).every((r) => r.comune === null && r.ats === null && r.province === "AN" && r.submitted === "2026-T1")).toBe(true);
    // The month of each state reached: Ancona's January practices were presented in January and approved in March.
    expect(data.rows.filter((r) => !r.generalised).map((r) => r.reached)).toEqual(Array(6).fill({ PRESENTATA: "2026-01", DELIBERATA: "2026-03" }));
    expect(data.rows.filter((r) => r.generalised).map((r) => r.reached)).toEqual(Array(5).fill({ DELIBERATA: "2026-T1" }));
  });

  it("no row is unique on its quasi-identifiers: every combination has 5 rows or more", async () => {
    for (const cf of Object.values(TERRITORIAL_PEOPLE)) {
      const counts = new Map<string, number>();
      for (const r of (await rowsFor(cf)).rows) counts.set(quasiIdentifiers(r), (counts.get(quasiIdentifiers(r)) ?? 0) + 1);
      for (const [qi, n] of counts) expect(n, `${cf} ${qi}`).toBeGreaterThanOrEqual(5);
    }
  });

  it("pseudonyms are stable for one body and cannot be joined with another body's", async () => {
    const first = (await rowsFor(TERRITORIAL_PEOPLE.operatoreTerritoriale)).rows.map((r) => r.pseudonym).sort();
    const again = (await rowsFor(TERRITORIAL_PEOPLE.operatoreTerritoriale)).rows.map((r) => r.pseudonym).sort();
    expect(again).toEqual(first);
    // The ATS's administrator is the same body: the same pseudonyms.
    expect((await rowsFor(TERRITORIAL_PEOPLE.amministratoreAts)).rows.map((r) => r.pseudonym).sort()).toEqual(first);
    // The Region holds the same practices under other pseudonyms, none in common.
    const region = new Set((await rowsFor(TERRITORIAL_PEOPLE.referenteRegionale)).rows.map((r) => r.pseudonym));
    expect(region.size).toBe(6 + 2 + 3 + 6); // Ancona's INNOVA-PMI practice still alone in its province and quarter
    expect(first.filter((p) => region.has(p))).toEqual([]);
    expect(new Set(first).size).toBe(first.length);
  });
});

describe("the download", () => {
  it("CSV and XLSX carry no beneficiary, no gestore code, no note, and state what was left out; each download is audited", async () => {
    const before = (await getDb().select().from(auditLog).where(eq(auditLog.action, "monitoring.anonymous_export"))).length;
    const csv = await (await download("operatoreTerritoriale", "csv")).response!.text();
    expect(csv.split("\r\n")[0]).toBe(
      "Pratica (pseudonimo);Misura;Comune (codice ISTAT);Comune;Provincia;ATS;Stato;Presentata nel;Nello stato dal;Importo richiesto;Importo deliberato;Importo erogato;" +
        "Mese: presentata;Mese: in istruttoria;Mese: sospesa;Mese: deliberata;Mese: erogata;Mese: non ammessa;Mese: rinunciata;Mese: revocata",
    );
    // The month each state was first reached, after the amounts.
    expect(csv).toMatch(/;COVID-LIQ;042002;Ancona;AN;DEMO-ATS-042;Deliberata;01\/2026;01\/2026;[0-9,.]+;900,00;;01\/2026;;;03\/2026;;;;\r\n/);
    expect(csv).toContain(";COVID-LIQ;042002;Ancona;AN;DEMO-ATS-042;Deliberata;01/2026;01/2026;");
    expect(csv).toContain(";COVID-LIQ;;;AN;;Deliberata;1° trimestre 2026;1° trimestre 2026;");
    expect(csv).toContain("Righe generalizzate (provincia e trimestre): 5. Righe escluse (meno di 5 pratiche anche così): 1.");
    const sheet = unzipEntries(Buffer.from(await (await download("operatoreTerritoriale", "xlsx")).response!.arrayBuffer())).get("xl/worksheets/sheet1.xml")!;
    expect(sheet).toContain("DEMO-ATS-042");
    for (const text of [csv, sheet]) {
      for (const secret of ["Beneficiario", "RSSMRA80A01H501U", "CODICE-GESTORE", "nota riservata"]) expect(text).not.toContain(secret);
    }
    const rows = await getDb().select().from(auditLog).where(eq(auditLog.action, "monitoring.anonymous_export"));
    expect(rows.length).toBe(before + 2);
    expect(rows.at(-1)!.details).toMatchObject({ format: "xlsx", rows: 11, generalised: 5, leftOut: 1 });
  });

  it("is refused to every actor who is not territorial, and outside one's territory", async () => {
    expect((await download("funzionario", "csv")).status).toBe(403);
    expect((await download("osservatore", "csv")).status).toBe(403);
    expect((await download("operatoreTerritoriale", "csv", "&ats=DEMO-ATS-041")).status).toBe(403);
    expect((await download("operatoreTerritoriale", "pdf")).status).toBe(400);
  });
});
