import { beforeAll, describe, expect, it } from "vitest";
import * as auditCsv from "~/routes/admin.audit[.]csv";
import * as auditPage from "~/routes/admin.audit";
import * as gestorePage from "~/routes/enti.$cf";
import * as gestoriPage from "~/routes/enti._index";
import * as profile from "~/routes/profilo";
import * as newUpload from "~/routes/caricamenti.nuovo";
import * as uploadsList from "~/routes/caricamenti._index";
import * as practicesList from "~/routes/pratiche._index";
import * as tokens from "~/routes/token-api";
import * as enablements from "~/routes/abilitazioni._index";
import * as enablementList from "~/routes/abilitazioni.elenco";
import * as enablementQueue from "~/routes/admin.abilitazioni";
import * as configHome from "~/routes/admin.configurazione";
import * as catalogueAdmin from "~/routes/admin.catalogo._index";
import * as formModelsAdmin from "~/routes/admin.moduli._index";
import * as clickDaysAdmin from "~/routes/admin.click-day._index";
import * as measuresAdmin from "~/routes/admin.misure._index";
import * as gestoriAdmin from "~/routes/admin.enti._index";
import * as unitsAdmin from "~/routes/admin.strutture._index";
import * as templatesAdmin from "~/routes/admin.modelli._index";
import * as brandingAdmin from "~/routes/admin.aspetto";
import * as holidaysAdmin from "~/routes/admin.festivita";
import * as publicCatalogue from "~/routes/procedimenti._index";
import * as monitoring from "~/routes/monitoraggio._index";
import * as worklist from "~/routes/lavorazione";
import * as threads from "~/routes/messaggi._index";
import { cookieFor, GESTORE_ALTRO, GESTORE_DEMO, PEOPLE, seedDemo, statusOf, TERRITORIAL_PEOPLE } from "../support/actors";

/** Territorial users (issue 19) have the osservatore's permissions: checked below against its column. */
const TERRITORIAL = Object.keys(TERRITORIAL_PEOPLE) as (keyof typeof TERRITORIAL_PEOPLE)[];
type Who = Exclude<keyof typeof PEOPLE, "sconosciuto"> | "anonimo";
const WHO: Who[] = ["anonimo", "operatore", "referente", "altroOperatore", "funzionario", "dirigente", "amministratore", "osservatore"];

/** Route × role: the status each person gets. 302 = sent to sign-in, 403 = refused. */
type Territorial = keyof typeof TERRITORIAL_PEOPLE;
/** `territorial`: where a territorial role differs from the osservatore (its own enablements, ADR 105). */
const MATRIX: { name: string; fn: Parameters<typeof statusOf>[0]; path: string; params?: Record<string, string>; expect: Record<Who, number>; territorial?: Partial<Record<Territorial, number>> }[] = [
  {
    name: "elenco enti",
    fn: gestoriPage.loader,
    path: "/enti",
    expect: { anonimo: 302, operatore: 200, referente: 200, altroOperatore: 200, funzionario: 200, dirigente: 200, amministratore: 200, osservatore: 403 },
  },
  {
    name: "scheda del proprio ente (demo)",
    fn: gestorePage.loader,
    path: `/enti/${GESTORE_DEMO}`,
    params: { cf: GESTORE_DEMO },
    expect: { anonimo: 302, operatore: 200, referente: 200, altroOperatore: 403, funzionario: 200, dirigente: 200, amministratore: 200, osservatore: 403 },
  },
  {
    name: "scheda di un altro ente",
    fn: gestorePage.loader,
    path: `/enti/${GESTORE_ALTRO}`,
    params: { cf: GESTORE_ALTRO },
    expect: { anonimo: 302, operatore: 403, referente: 403, altroOperatore: 200, funzionario: 200, dirigente: 200, amministratore: 200, osservatore: 403 },
  },
  {
    name: "lavorazione (back office)",
    fn: worklist.loader,
    path: "/lavorazione",
    expect: { anonimo: 302, operatore: 403, referente: 403, altroOperatore: 403, funzionario: 200, dirigente: 200, amministratore: 200, osservatore: 403 },
  },
  {
    name: "messaggi",
    fn: threads.loader,
    path: "/messaggi",
    expect: { anonimo: 302, operatore: 200, referente: 200, altroOperatore: 200, funzionario: 200, dirigente: 200, amministratore: 200, osservatore: 403 },
  },
  {
    name: "token API",
    fn: tokens.loader,
    path: "/token-api",
    expect: { anonimo: 302, operatore: 200, referente: 200, altroOperatore: 200, funzionario: 403, dirigente: 403, amministratore: 200, osservatore: 403 },
  },
  {
    name: "abilitazioni (richiedenti)",
    fn: enablements.loader,
    path: "/abilitazioni",
    expect: { anonimo: 302, operatore: 403, referente: 200, altroOperatore: 403, funzionario: 403, dirigente: 200, amministratore: 403, osservatore: 403 },
    territorial: { referenteRegionale: 200, amministratoreAts: 200 },
  },
  {
    name: "richiesta con elenco CSV",
    fn: enablementList.loader,
    path: "/abilitazioni/elenco",
    expect: { anonimo: 302, operatore: 403, referente: 200, altroOperatore: 403, funzionario: 403, dirigente: 200, amministratore: 403, osservatore: 403 },
    territorial: { referenteRegionale: 200, amministratoreAts: 200 },
  },
  {
    name: "coda delle richieste di abilitazione",
    fn: enablementQueue.loader,
    path: "/admin/abilitazioni",
    expect: { anonimo: 302, operatore: 403, referente: 403, altroOperatore: 403, funzionario: 403, dirigente: 403, amministratore: 200, osservatore: 403 },
  },
  {
    name: "registro accessi",
    fn: auditPage.loader,
    path: "/admin/audit",
    expect: { anonimo: 302, operatore: 403, referente: 403, altroOperatore: 403, funzionario: 403, dirigente: 403, amministratore: 200, osservatore: 403 },
  },
  {
    name: "esportazione registro",
    fn: auditCsv.loader,
    path: "/admin/audit.csv",
    expect: { anonimo: 302, operatore: 403, referente: 403, altroOperatore: 403, funzionario: 403, dirigente: 403, amministratore: 200, osservatore: 403 },
  },
  {
    name: "invio flusso",
    fn: newUpload.loader,
    path: "/caricamenti/nuovo",
    expect: { anonimo: 302, operatore: 200, referente: 200, altroOperatore: 200, funzionario: 403, dirigente: 403, amministratore: 403, osservatore: 403 },
  },
  {
    name: "elenco caricamenti",
    fn: uploadsList.loader,
    path: "/caricamenti",
    expect: { anonimo: 302, operatore: 200, referente: 200, altroOperatore: 200, funzionario: 200, dirigente: 200, amministratore: 200, osservatore: 403 },
  },
  {
    name: "elenco pratiche",
    fn: practicesList.loader,
    path: "/pratiche",
    expect: { anonimo: 302, operatore: 200, referente: 200, altroOperatore: 200, funzionario: 200, dirigente: 200, amministratore: 200, osservatore: 403 },
  },
  {
    name: "monitoraggio",
    fn: monitoring.loader,
    path: "/monitoraggio",
    expect: { anonimo: 302, operatore: 200, referente: 200, altroOperatore: 200, funzionario: 200, dirigente: 200, amministratore: 200, osservatore: 200 },
  },
  {
    name: "scelta profilo",
    fn: profile.loader,
    path: "/profilo",
    expect: { anonimo: 302, operatore: 200, referente: 200, altroOperatore: 200, funzionario: 200, dirigente: 200, amministratore: 200, osservatore: 200 },
  },
  ...[
    { name: "configurazione", fn: configHome.loader, path: "/admin/configurazione" },
    { name: "catalogo (gestione)", fn: catalogueAdmin.loader, path: "/admin/catalogo" },
    { name: "moduli delle domande online", fn: formModelsAdmin.loader, path: "/admin/moduli" },
    { name: "click day (gestione)", fn: clickDaysAdmin.loader, path: "/admin/click-day" },
    { name: "misure (gestione)", fn: measuresAdmin.loader, path: "/admin/misure" },
    { name: "enti gestori (gestione)", fn: gestoriAdmin.loader, path: "/admin/enti" },
    { name: "strutture (gestione)", fn: unitsAdmin.loader, path: "/admin/strutture" },
    { name: "modelli e-mail", fn: templatesAdmin.loader, path: "/admin/modelli" },
    { name: "aspetto del portale", fn: brandingAdmin.loader, path: "/admin/aspetto" },
    { name: "festività locali", fn: holidaysAdmin.loader, path: "/admin/festivita" },
  ].map((r) => ({
    ...r,
    expect: { anonimo: 302, operatore: 403, referente: 403, altroOperatore: 403, funzionario: 403, dirigente: 403, amministratore: 200, osservatore: 403 },
  })),
  {
    name: "catalogo pubblico",
    fn: publicCatalogue.loader,
    path: "/procedimenti",
    expect: { anonimo: 200, operatore: 200, referente: 200, altroOperatore: 200, funzionario: 200, dirigente: 200, amministratore: 200, osservatore: 200 },
  },
];

const cookies: Partial<Record<Who | keyof typeof TERRITORIAL_PEOPLE, string>> = {};

beforeAll(async () => {
  await seedDemo();
  for (const who of WHO) if (who !== "anonimo") cookies[who] = await cookieFor(PEOPLE[who as keyof typeof PEOPLE]);
  for (const who of TERRITORIAL) cookies[who] = await cookieFor(TERRITORIAL_PEOPLE[who]);
});

describe("route × role matrix", () => {
  for (const route of MATRIX) {
    for (const who of WHO) {
      it(`${route.name}: ${who} → ${route.expect[who]}`, async () => {
        const { status, response } = await statusOf(route.fn, { path: route.path, params: route.params, cookie: cookies[who] });
        expect(status).toBe(route.expect[who]);
        if (status === 302) expect(response!.headers.get("location")).toMatch(/^\/accedi\?redirectTo=/);
      });
    }
    for (const who of TERRITORIAL) {
      const expected = route.territorial?.[who] ?? route.expect.osservatore;
      it(`${route.name}: ${who} → ${expected}${route.territorial?.[who] ? "" : " (as the osservatore)"}`, async () => {
        const { status } = await statusOf(route.fn, { path: route.path, params: route.params, cookie: cookies[who] });
        expect(status).toBe(expected);
      });
    }
  }

  it("the refused page reveals nothing of the other gestore", async () => {
    const { response } = await statusOf(gestorePage.loader, { path: `/enti/${GESTORE_ALTRO}`, params: { cf: GESTORE_ALTRO }, cookie: cookies.operatore });
    expect(await response!.text()).not.toContain("Fidi Adriatico");
  });
});
