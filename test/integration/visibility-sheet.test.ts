import { desc, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { addUserWithAccess } from "~/registry/registry.server";
import * as dashboardPage from "~/routes/monitoraggio._index";
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
import { auditLog, sessions } from "~db/schema";
import { ACTOR_TYPES, actorTypeOf, DATA_CATEGORIES, DEFAULT_SHEET, SHEET_LEVEL_LABELS, storedSheet, type ActorType, type Sheet, type SheetLevel } from "~db/visibility";
import { cookieFor, GESTORE_ALTRO, GESTORE_DEMO, PEOPLE, seedDemo, statusOf, TERRITORIAL_PEOPLE, userOf, viewerOf } from "../support/actors";
import { insertPractices } from "../support/monitoring";
import { asOwner } from "../support/owner";
import { gestoreId } from "../support/uploads";

/**
 * Walks the whole visibility sheet (issue 19, docs/decisions/0106, 0108): for every actor type and
 * every data category, the data layer and the pages give what the STORED sheet says, no more —
 * with the defaults, then after an administrator has edited it from its page.
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

/** What the data layer and the pages give an actor, checked against the stored sheet, category by category. */
async function walk(actor: ActorType) {
  const sheet = (await storedSheet(db()))[actor];
  const v = viewers[actor];

  // Practice data: the dashboard's level (or a 403), the anonymous rows.
  const expected = { totale: "totale", proprio_ente: "proprio_ente", territorio_anonima: "territorio", aggregata: "aggregato", nessuna: null }[sheet.pratiche];
  const scope = await refusedOrRows(() => monitoringScope(db(), v, {}));
  expect(scope.refused, `${actor} pratiche`).toBe(expected === null);
  if (expected) expect((scope.value as { level: string }).level).toBe(expected);
  const dashboard = await statusOf(dashboardPage.loader, { path: "/monitoraggio", cookie: cookies[actor] });
  expect(dashboard.status, `${actor} dashboard`).toBe(expected === null ? 403 : 200);
  const anon = await refusedOrRows(() => anonymousRows(db(), v, {}));
  expect(anon.refused, `${actor} anonymous rows`).toBe(sheet.pratiche !== "territorio_anonima");
  const download = await statusOf(anonymousPage.loader, { path: "/monitoraggio/dati-anonimi?formato=csv", cookie: cookies[actor] });
  expect(download.status, `${actor} anonymous download`).toBe(sheet.pratiche === "territorio_anonima" ? 200 : 403);

  // Beneficiary identity: individual practice rows.
  const read = await refusedOrRows(() => listPractices(db(), v, {}));
  expect(read.refused, `${actor} identita`).toBe(!individual(sheet.identita));
  if (sheet.identita === "proprio_ente") {
    const rows = read.value as Awaited<ReturnType<typeof listPractices>>;
    expect(rows.rows.length).toBeGreaterThan(0);
    expect(rows.rows.every((r) => r.gestoreName === "Confidi Demo Marche")).toBe(true);
  }

  // Amounts: individual on the dashboard only when the sheet says so; exports agree; the anonymous rows carry them only at their level.
  if (expected) {
    const f = await confineToTerritory(db(), v, {});
    const figures = await practiceFigures(db(), v, f, { today: TODAY });
    expect(figures.individual, `${actor} importi`).toBe(individual(sheet.importi));
    const csv = await statusOf(exportPage.loader, { path: "/monitoraggio/esporta?tabella=stati&formato=csv", cookie: cookies[actor] });
    expect(csv.status).toBe(200);
    const text = await csv.response!.text();
    // An aggregate export withholds what fewer than 5 practices make; an individual one never says so.
    if (individual(sheet.importi)) expect(text).not.toContain("< 5");
    else expect(text).toContain("< 5");
  } else {
    const csv = await statusOf(exportPage.loader, { path: "/monitoraggio/esporta?tabella=stati&formato=csv", cookie: cookies[actor] });
    expect(csv.status, `${actor} export`).toBe(403);
  }
  if (download.status === 200) {
    const text = await download.response!.text();
    expect(text.includes("Importo richiesto"), `${actor} anonymous amounts`).toBe(sheet.importi === "territorio_anonima");
    expect((anon.value as { amounts: boolean }).amounts).toBe(sheet.importi === "territorio_anonima");
  }

  // Uploads: the list of files sent.
  const uploads = await refusedOrRows(() => listUploadsForViewer(db(), v, {}));
  expect(uploads.refused, `${actor} caricamenti`).toBe(!individual(sheet.caricamenti));
}

describe("the sheet, actor by actor", () => {
  it("every demo person has the actor type the sheet names", () => {
    for (const a of ACTOR_TYPES) expect(actorTypeOf(viewers[a])).toBe(a);
  });

  it("stored nothing yet: the stored sheet is the defaults (today's behaviour)", async () => {
    expect(await storedSheet(db())).toEqual(DEFAULT_SHEET);
  });

  for (const actor of ACTOR_TYPES)
    it(`${actor}: ${DATA_CATEGORIES.map((c) => `${c} ${DEFAULT_SHEET[actor][c]}`).join(", ")}`, async () => {
      await walk(actor);
    });
});

describe("the sheet's page", () => {
  it("shows the very table the data layer enforces, in Italian", async () => {
    const { status, data } = await statusOf(sheetPage.loader, { path: "/admin/visibilita", cookie: await cookieFor(PEOPLE.amministratore) });
    expect(status).toBe(200);
    const d = data as Awaited<ReturnType<typeof import("~/territories/visibility-page.server").visibilitySheetData>>;
    expect(d.actors.map((a) => a.key)).toEqual([...ACTOR_TYPES]);
    for (const a of d.actors)
      expect(a.levels.map((l) => l.label)).toEqual(DATA_CATEGORIES.map((c) => SHEET_LEVEL_LABELS[DEFAULT_SHEET[a.key][c]]));
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

describe("editing the sheet from its page", () => {
  let admin: { cookie: string; csrf: string };
  const form = (sheet: Sheet, extra: Record<string, string> = {}) => {
    const f: Record<string, string> = { csrf: admin.csrf };
    for (const a of ACTOR_TYPES) for (const c of DATA_CATEGORIES) f[`${a}.${c}`] = sheet[a][c];
    return { ...f, ...extra };
  };
  const post = async (fields: Record<string, string>) =>
    statusOf(sheetPage.action, { path: "/admin/visibilita", cookie: admin.cookie, form: fields });
  type Outcome = { ok: boolean; message?: string; error?: string; errors?: { message: string }[] };
  const edited = (changes: Partial<Record<ActorType, Partial<Record<string, SheetLevel>>>>): Sheet =>
    Object.fromEntries(ACTOR_TYPES.map((a) => [a, { ...DEFAULT_SHEET[a], ...changes[a] }])) as Sheet;
  const stored = async () => (await db().execute<{ n: number }>(sql`select count(*)::int as n from visibility_sheet`))[0]!.n;
  const audited = async () => db().select().from(auditLog).where(eq(auditLog.action, "visibility.sheet_update"));

  beforeAll(async () => {
    const cookie = await cookieFor(PEOPLE.amministratore);
    const u = await userOf(PEOPLE.amministratore);
    const [s] = await db().select().from(sessions).where(eq(sessions.userId, u.id)).orderBy(desc(sessions.createdAt));
    admin = { cookie, csrf: s!.csrfToken };
  });

  const NONSENSE: [string, Sheet, string][] = [
    ["offices narrowed", edited({ ufficio: { importi: "aggregata" } }), "Uffici regionali: la visibilità resta totale per ogni categoria"],
    ["identity wider than practice data", edited({ gestore: { pratiche: "aggregata", importi: "aggregata" } }), "Enti gestori: l'identità dei beneficiari non può essere più ampia dei dati delle pratiche."],
    ["total for an osservatore", edited({ osservatore: { identita: "totale" } }), "Osservatori: «Totale» non è possibile per l'identità dei beneficiari: la visibilità totale è riservata agli uffici regionali."],
    ["own body for a municipality", edited({ comune: { pratiche: "proprio_ente" } }), "Utenti comunali: «Limitata al proprio ente» non è possibile per i dati delle pratiche: solo gli enti gestori hanno dati forniti dal proprio ente."],
    ["anonymous rows for a gestore", edited({ gestore: { pratiche: "territorio_anonima" } }), "Enti gestori: «Individuale anonima nel proprio territorio» non è possibile per i dati delle pratiche: solo gli utenti regionali, di ATS e comunali hanno un proprio territorio."],
    ["anonymous identity", edited({ regione: { identita: "territorio_anonima" } }), "Utenti regionali: l'identità dei beneficiari è un dato individuale: solo «Totale», «Limitata al proprio ente» o «Nessuna», non «Individuale anonima nel proprio territorio»."],
    ["aggregate uploads", edited({ ats: { caricamenti: "aggregata" } }), "Utenti di ATS: i flussi caricati sono file con dati individuali"],
    ["amounts wider than practice data", edited({ ats: { pratiche: "aggregata" } }), "Utenti di ATS: gli importi non possono essere più ampi dei dati delle pratiche."],
    ["amounts hidden while practices are aggregated", edited({ osservatore: { importi: "nessuna" } }), "Osservatori: gli importi hanno lo stesso livello dei dati delle pratiche"],
    ["uploads wider than identity", edited({ gestore: { identita: "nessuna" } }), "Enti gestori: i flussi caricati contengono l'identità dei beneficiari: non possono essere più ampi dell'identità dei beneficiari."],
  ];
  for (const [what, sheet, message] of NONSENSE)
    it(`refuses ${what} with an Italian reason, writing nothing`, async () => {
      const r = await post(form(sheet));
      expect(r.status).toBe(200);
      const out = r.data as Outcome;
      expect(out.ok).toBe(false);
      expect(out.error).toContain("Scheda non salvata");
      expect(out.errors!.map((e) => e.message).join("\n")).toContain(message);
      expect(await stored()).toBe(0);
      expect(await audited()).toHaveLength(0);
      expect(await storedSheet(db())).toEqual(DEFAULT_SHEET);
    });

  it("refuses an unknown level and a post without its CSRF token, writing nothing", async () => {
    const bad = await post(form(DEFAULT_SHEET, { "ats.pratiche": "tutto" }));
    expect((bad.data as Outcome).error).toBe("Livello non valido: Utenti di ATS (amministratore e operatori di un ambito), Dati delle pratiche");
    const forged = await post(form(edited({ osservatore: { pratiche: "nessuna", importi: "nessuna" } }), { csrf: "falso" }));
    expect(forged.status).toBe(403);
    expect(await stored()).toBe(0);
    expect(await audited()).toHaveLength(0);
  });

  it("is refused to anyone but an administrator", async () => {
    expect((await statusOf(sheetPage.action, { path: "/admin/visibilita", cookie: cookies.osservatore, form: form(DEFAULT_SHEET) })).status).toBe(403);
  });

  it("a change is stored, audited, shown, and the actor's pages and exports change with it", async () => {
    // Before: the osservatore has its dashboard and export, the ATS its anonymous rows with amounts.
    expect((await statusOf(dashboardPage.loader, { path: "/monitoraggio", cookie: cookies.osservatore })).status).toBe(200);
    const before = await statusOf(anonymousPage.loader, { path: "/monitoraggio/dati-anonimi?formato=csv", cookie: cookies.ats });
    expect(await before.response!.text()).toContain("Importo richiesto");
    expect((await listPractices(db(), viewers.gestore, {})).rows.length).toBeGreaterThan(0);

    const sheet = edited({
      osservatore: { pratiche: "nessuna", importi: "nessuna" },
      ats: { importi: "aggregata" },
      regione: { pratiche: "aggregata", importi: "aggregata" },
      gestore: { identita: "nessuna", caricamenti: "nessuna" },
    });
    const r = await post(form(sheet));
    const out = r.data as Outcome;
    expect(out.ok, out.error).toBe(true);
    expect(out.message).toContain("Osservatori, dati delle pratiche: nessuna");
    expect(await stored()).toBe(7);
    expect(await storedSheet(db())).toEqual(sheet);
    const [entry, ...more] = await audited();
    expect(more).toHaveLength(0);
    expect((entry!.details as { changes: unknown[] }).changes).toContainEqual({ actor: "osservatore", category: "pratiche", from: "aggregata", to: "nessuna" });
    expect((entry!.details as { changes: unknown[] }).changes).toHaveLength(7);

    // After: the osservatore is refused (audited 403), the ATS's rows lack the amounts, the Region has no rows, the gestore no individual practices.
    expect((await statusOf(dashboardPage.loader, { path: "/monitoraggio", cookie: cookies.osservatore })).status).toBe(403);
    const after = await statusOf(anonymousPage.loader, { path: "/monitoraggio/dati-anonimi?formato=csv", cookie: cookies.ats });
    expect(after.status).toBe(200);
    const text = await after.response!.text();
    expect(text).not.toContain("Importo richiesto");
    expect(text).not.toContain("900,00");
    expect((await statusOf(anonymousPage.loader, { path: "/monitoraggio/dati-anonimi?formato=xlsx", cookie: cookies.regione })).status).toBe(403);
    expect((await statusOf(dashboardPage.loader, { path: "/monitoraggio", cookie: cookies.regione })).status).toBe(200);
    await expect(listPractices(db(), viewers.gestore, {})).rejects.toBeInstanceOf(OutOfScopeError);

    // The page shows the stored sheet.
    const { data } = await statusOf(sheetPage.loader, { path: "/admin/visibilita", cookie: admin.cookie });
    const d = data as Awaited<ReturnType<typeof import("~/territories/visibility-page.server").visibilitySheetData>>;
    for (const a of d.actors) expect(a.levels.map((l) => l.key)).toEqual(DATA_CATEGORIES.map((c) => sheet[a.key][c]));

    // And the whole sheet, walked again, holds for every actor.
    for (const a of ACTOR_TYPES) await walk(a);
  });

  it("saving the same sheet again changes and audits nothing", async () => {
    const now = await storedSheet(db());
    const r = await post(form(now));
    expect((r.data as Outcome).message).toBe("Nessuna modifica: la scheda era già così.");
    expect(await audited()).toHaveLength(1);
  });

  it("a change made by another process reaches this one's cache (NOTIFY)", async () => {
    const cachedBefore = await storedSheet(db());
    expect(cachedBefore.comune.pratiche).toBe("territorio_anonima");
    // Another connection (as another process would): only the NOTIFY tells this process's cache.
    await asOwner("insert into visibility_sheet (actor_type, category, level) values ('comune', 'pratiche', 'aggregata'), ('comune', 'importi', 'aggregata')");
    await expect.poll(async () => (await storedSheet(db())).comune.pratiche).toBe("aggregata");
    expect((await statusOf(anonymousPage.loader, { path: "/monitoraggio/dati-anonimi?formato=csv", cookie: cookies.comune })).status).toBe(403);
  });
});
