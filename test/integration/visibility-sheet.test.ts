import { beforeAll, describe, expect, it } from "vitest";
import { addUserWithAccess } from "~/registry/registry.server";
import * as anonymousPage from "~/routes/monitoraggio.dati-anonimi";
import * as exportPage from "~/routes/monitoraggio.esporta";
import * as sheetPage from "~/routes/admin.visibilita";
import { getDb } from "~db/client";
import { anonymousRows } from "~db/queries/anonymous-rows";
import { monitoringScope, practiceFigures } from "~db/queries/monitoring";
import { listPractices } from "~db/queries/practices";
import { confineToTerritory } from "~db/queries/territories";
import { listUploadsForViewer } from "~db/queries/uploads";
import { OutOfScopeError, type Viewer } from "~db/scope";
import { ACTOR_TYPES, actorTypeOf, DATA_CATEGORIES, SHEET_LEVEL_LABELS, VISIBILITY_SHEET, type ActorType, type SheetLevel } from "~db/visibility";
import { cookieFor, GESTORE_ALTRO, GESTORE_DEMO, PEOPLE, seedDemo, statusOf, TERRITORIAL_PEOPLE, viewerOf } from "../support/actors";
import { insertPractices } from "../support/monitoring";
import { gestoreId } from "../support/uploads";

/**
 * Walks the whole visibility sheet (issue 19, docs/decisions/0106): for every actor type and every
 * data category, the data layer and the pages give what the sheet says, no more.
 */
const COMUNE_CF = "GLLLCU90A01F839G";
const PERSON: Record<ActorType, string> = {
  ufficio: PEOPLE.funzionario,
  gestore: PEOPLE.operatore,
  osservatore: PEOPLE.osservatore,
  regione: TERRITORIAL_PEOPLE.referenteRegionale,
  ats: TERRITORIAL_PEOPLE.operatoreTerritoriale,
  comune: COMUNE_CF,
};
const viewers = {} as Record<ActorType, Viewer>;
const cookies = {} as Record<ActorType, string>;
const db = () => getDb();
const individual = (l: SheetLevel) => l === "totale" || l === "proprio_ente";
const TODAY = "2026-11-28";

beforeAll(async () => {
  await seedDemo();
  await addUserWithAccess(db(), { system: "test" }, {
    cf: COMUNE_CF, name: "Luca", surname: "Gallo", email: "l.gallo@comune.ancona.example.it", role: "operatore_territoriale", territoryLevel: "comune", territoryCode: "042002",
  });
  // Two gestori's practices in Ancona: one gestore's users see only their own individually.
  const mine = await gestoreId(GESTORE_DEMO);
  const other = await gestoreId(GESTORE_ALTRO);
  await insertPractices(
    Array.from({ length: 8 }, (_, k) => ({
      gestoreId: k % 2 ? mine : other, code: `VIS-${k}`, measure: "COVID-LIQ", comune: "042002", submitted: "2026-03-02", state: "DELIBERATA", requested: "1000.00", approved: "900.00",
    })),
  );
  for (const a of ACTOR_TYPES) {
    viewers[a] = await viewerOf(PERSON[a]);
    cookies[a] = await cookieFor(PERSON[a]);
  }
});

const refusedOrRows = async (read: () => Promise<unknown>) => {
  try {
    return { refused: false, value: await read() };
  } catch (e) {
    if (e instanceof OutOfScopeError) return { refused: true, value: null };
    throw e;
  }
};

describe("the sheet, actor by actor", () => {
  it("every demo person has the actor type the sheet names", () => {
    for (const a of ACTOR_TYPES) expect(actorTypeOf(viewers[a])).toBe(a);
  });

  for (const actor of ACTOR_TYPES) {
    describe(actor, () => {
      const sheet = VISIBILITY_SHEET[actor];

      it(`practice data (${sheet.pratiche}): the dashboard's level and the anonymous rows`, async () => {
        const v = viewers[actor];
        const scope = await monitoringScope(db(), v, {});
        const expected = { totale: "totale", proprio_ente: "proprio_ente", territorio_anonima: "territorio", aggregata: "aggregato", nessuna: null }[sheet.pratiche];
        expect(scope.level).toBe(expected);
        const anon = await refusedOrRows(() => anonymousRows(db(), v, {}));
        expect(anon.refused).toBe(sheet.pratiche !== "territorio_anonima");
        const download = await statusOf(anonymousPage.loader, { path: "/monitoraggio/dati-anonimi?formato=csv", cookie: cookies[actor] });
        expect(download.status).toBe(sheet.pratiche === "territorio_anonima" ? 200 : 403);
      });

      it(`beneficiary identity (${sheet.identita}): individual practice rows`, async () => {
        const v = viewers[actor];
        const read = await refusedOrRows(() => listPractices(db(), v, {}));
        expect(read.refused).toBe(!individual(sheet.identita));
        if (sheet.identita === "proprio_ente") {
          const rows = read.value as Awaited<ReturnType<typeof listPractices>>;
          expect(rows.rows.length).toBeGreaterThan(0);
          expect(rows.rows.every((r) => r.gestoreName === "Confidi Demo Marche")).toBe(true);
        }
      });

      it(`amounts (${sheet.importi}): the dashboard's amounts are individual only when the sheet says so; exports agree`, async () => {
        const v = viewers[actor];
        const f = await confineToTerritory(db(), v, {});
        const figures = await practiceFigures(db(), v, f, { today: TODAY });
        expect(figures.individual).toBe(individual(sheet.importi));
        const csv = await statusOf(exportPage.loader, { path: "/monitoraggio/esporta?tabella=stati&formato=csv", cookie: cookies[actor] });
        expect(csv.status).toBe(200);
        const text = await csv.response!.text();
        // An aggregate export withholds what fewer than 5 practices make; an individual one never says so.
        if (individual(sheet.importi)) expect(text).not.toContain("< 5");
      });

      it(`uploads (${sheet.caricamenti}): the list of files sent`, async () => {
        const v = viewers[actor];
        const read = await refusedOrRows(() => listUploadsForViewer(db(), v, {}));
        expect(read.refused).toBe(!individual(sheet.caricamenti));
      });
    });
  }
});

describe("the sheet's page", () => {
  it("shows the very table the data layer enforces, in Italian", async () => {
    const { status, data } = await statusOf(sheetPage.loader, { path: "/admin/visibilita", cookie: await cookieFor(PEOPLE.amministratore) });
    expect(status).toBe(200);
    const d = data as ReturnType<typeof import("~/territories/visibility-page.server").visibilitySheetData>;
    expect(d.actors.map((a) => a.key)).toEqual([...ACTOR_TYPES]);
    for (const a of d.actors)
      expect(a.levels.map((l) => l.label)).toEqual(DATA_CATEGORIES.map((c) => SHEET_LEVEL_LABELS[VISIBILITY_SHEET[a.key][c]]));
    expect(d.actors.find((a) => a.key === "ats")!.levels.map((l) => l.label)).toEqual([
      "Individuale anonima nel proprio territorio",
      "Nessuna",
      "Individuale anonima nel proprio territorio",
      "Nessuna",
    ]);
  });

  it("is the administrators' only", async () => {
    expect((await statusOf(sheetPage.loader, { path: "/admin/visibilita", cookie: cookies.osservatore })).status).toBe(403);
  });
});
