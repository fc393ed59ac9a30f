import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { startDraft } from "~/applications/applications.server";
import { actorOf } from "~/auth/guards.server";
import { seedDemoApplications } from "~/demo/applications";
import { seedDemoCatalogue } from "~/demo/catalogue";
import { componentByKey } from "~/forms/edit";
import type { FormDefinition } from "~/forms/definition";
import * as component from "~/routes/admin.moduli.$id.campi.$key";
import * as editor from "~/routes/admin.moduli.$id._index";
import * as exported from "~/routes/admin.moduli.$id.esporta";
import * as preview from "~/routes/admin.moduli.$id.anteprima";
import * as versions from "~/routes/admin.procedimenti.$id_.modulo";
import * as routingPage from "~/routes/admin.procedimenti.$id_.instradamento";
import * as autosave from "~/routes/domande.$id.bozza";
import * as wizard from "~/routes/domande.$id._index";
import * as send from "~/routes/domande.$id.invio";
import { getDb } from "~db/client";
import { searchApplications } from "~db/queries/applications";
import { applicationCounters, applications, auditLog, formModels, machineHistory, procedures } from "~db/schema";
import { PEOPLE, seedDemo, viewerOf } from "../support/actors";
import { call as callRoute, personAs, signedInAs } from "../support/applicants";

/** Issue 15's editor, autosave and routing by rule, through the route modules as the pages call them. */

type Result = { status: number; location: string | null; data: Record<string, unknown> | null; response: Response | null };
const call = async (...args: Parameters<typeof callRoute>): Promise<Result> => (await callRoute(...args)) as Result;
type Who = Awaited<ReturnType<typeof signedInAs>>;

async function model(id: string) {
  const [row] = await getDb().select().from(formModels).where(eq(formModels.id, id));
  return row!;
}

let anna: Who;
let procedureId: string;
let publishedId: string;

beforeAll(async () => {
  await seedDemo();
  await seedDemoCatalogue(process.env.DATABASE_URL!);
  await seedDemoApplications();
  anna = await personAs(PEOPLE.amministratore);
  const [p] = await getDb().select().from(procedures).where(eq(procedures.title, "Contributo per nuove assunzioni 2026"));
  procedureId = p!.id;
  publishedId = (await getDb().select().from(formModels).where(and(eq(formModels.procedureId, procedureId), eq(formModels.status, "published"))))[0]!.id;
}, 120_000);

describe("the form-model editor", () => {
  let draftId: string;

  it("never edits a published version: a change is refused in Italian and it asks for a new draft", async () => {
    const before = await model(publishedId);
    const r = await call(editor.action, anna, `/admin/moduli/${publishedId}`, { id: publishedId }, { intent: "rimuovi", key: "descrizione" });
    expect(r.data).toEqual({ ok: false, error: "Questa versione è pubblicata o ritirata e non cambia più: crea una nuova bozza per modificarla.", problems: [] });
    expect((await model(publishedId)).definition).toEqual(before.definition);
    const page = await call(editor.loader, anna, `/admin/moduli/${publishedId}`, { id: publishedId });
    expect(page.data).toMatchObject({ status: "published", statusLabel: "Pubblicata" });
  });

  it("creates a new draft copying the published version, once", async () => {
    const r = await call(editor.action, anna, `/admin/moduli/${publishedId}`, { id: publishedId }, { intent: "nuova-bozza" });
    expect(r.status).toBe(303);
    draftId = r.location!.match(/\/admin\/moduli\/([0-9a-f-]{36})/)![1]!;
    const draft = await model(draftId);
    expect([draft.status, draft.version]).toEqual(["draft", 2]);
    expect(draft.definition).toEqual((await model(publishedId)).definition);
    const again = await call(editor.action, anna, `/admin/moduli/${publishedId}`, { id: publishedId }, { intent: "nuova-bozza" });
    expect(again.location).toBe(`/admin/moduli/${draftId}`);
    expect(await getDb().select().from(formModels).where(eq(formModels.procedureId, procedureId))).toHaveLength(2);
  });

  it("reorders, adds and removes pages and fields of the draft", async () => {
    const ok = async (fields: Record<string, string>, message: string) => {
      const r = await call(editor.action, anna, `/admin/moduli/${draftId}`, { id: draftId }, fields);
      expect(r.data).toEqual({ ok: true, message });
    };
    await ok({ intent: "giu", key: "ragioneSociale" }, "Spostato in giù.");
    await ok({ intent: "su", key: "pagamento" }, "Spostato in su.");
    await ok({ intent: "aggiungi-pagina", title: "Allegati aggiuntivi" }, "Pagina aggiunta.");
    await ok({ intent: "aggiungi-campo", parent: "allegatiAggiuntivi", type: "select", label: "Tipo di contratto" }, "Campo aggiunto: apri «Modifica» per completarlo.");
    await ok({ intent: "rimuovi", key: "descrizione" }, "Rimosso.");
    const form = (await model(draftId)).definition as FormDefinition;
    expect(form.components.map((p) => p.key)).toEqual(["impresa", "pagamento", "assunzioni", "allegatiAggiuntivi"]);
    expect(form.components[0]!.components!.map((c) => c.key).slice(0, 4)).toEqual(["introImpresa", "qualita", "partitaIva", "ragioneSociale"]);
    expect(componentByKey(form, "tipoDiContratto")).toMatchObject({ type: "select", label: "Tipo di contratto" });
    expect(componentByKey(form, "descrizione")).toBeNull();
    const page = await call(editor.loader, anna, `/admin/moduli/${draftId}`, { id: draftId });
    expect((page.data!.pages as { key: string }[]).map((p) => p.key)).toEqual(["impresa", "pagamento", "assunzioni", "allegatiAggiuntivi"]);
  });

  it("edits label, help text, required, limits and options from the component's page", async () => {
    const page = await call(component.loader, anna, `/admin/moduli/${draftId}/campi/ragioneSociale`, { id: draftId, key: "ragioneSociale" });
    expect(page.data).toMatchObject({ draft: true, component: { rules: ["required", "minLength", "maxLength", "pattern"], maxLength: 200, required: true } });
    const r = await call(component.action, anna, `/admin/moduli/${draftId}/campi/ragioneSociale`, { id: draftId, key: "ragioneSociale" }, {
      intent: "modifica",
      key: "ragioneSociale",
      label: "Denominazione dell'impresa",
      description: "Come risulta dalla visura",
      hasRequired: "1",
      minLength: "2",
      maxLength: "150",
      pattern: "",
    });
    expect(r.location).toBe(`/admin/moduli/${draftId}?esito=salvato#c-ragioneSociale`);
    const options = await call(component.action, anna, "/", { id: draftId, key: "settore" }, { intent: "modifica", key: "settore", label: "Settore", hasRequired: "1", required: "on", options: "agricoltura | Agricoltura\nturismo | Turismo" });
    expect(options.status).toBe(303);
    const form = (await model(draftId)).definition as FormDefinition;
    expect(componentByKey(form, "ragioneSociale")).toEqual({ type: "textfield", key: "ragioneSociale", label: "Denominazione dell'impresa", description: "Come risulta dalla visura", validate: { minLength: 2, maxLength: 150 } });
    expect(componentByKey(form, "settore")).toMatchObject({ validate: { required: true }, data: { values: [{ value: "agricoltura", label: "Agricoltura" }, { value: "turismo", label: "Turismo" }] } });
  });

  for (const [what, fields, error, problem] of [
    ["a number where a whole number is due", { key: "ragioneSociale", minLength: "due" }, "Lunghezza minima: indicare un numero intero non negativo", null],
    ["a label too long", { key: "ragioneSociale", label: "x".repeat(301) }, "Etichetta: al massimo 300 caratteri", null],
    ["limits that cross", { key: "numeroAssunti", min: "10", max: "5" }, "Modifica non salvata: nessuna modifica salvata.", "components[2] («assunzioni»).components[0] («numeroAssunti»): «min» supera «max»"],
    ["a rule the type does not take", { key: "numeroAssunti", pattern: "\\d+" }, "Modifica non salvata: nessuna modifica salvata.", "components[2] («assunzioni»).components[0] («numeroAssunti»): regola di validazione non supportata per «number»: «pattern»"],
    ["a repeated option", { key: "settore", options: "a | A\na | B" }, "Modifica non salvata: nessuna modifica salvata.", "components[2] («assunzioni»).components[2] («settore»).data.values[1]: valore «a» ripetuto"],
    ["an empty label", { key: "iban", label: " " }, "Modifica non salvata: nessuna modifica salvata.", "components[1] («pagamento»).components[0] («iban»): etichetta («label») mancante"],
    ["a component that does not exist", { key: "nonEsiste", label: "X" }, "Modifica non salvata: nessuna modifica salvata.", "«nonEsiste»: componente inesistente (forse è stato appena rimosso)"],
  ] as const) {
    it(`refuses ${what} in Italian, writing nothing`, async () => {
      const before = (await model(draftId)).definition;
      const r = await call(component.action, anna, "/", { id: draftId, key: fields.key }, { intent: "modifica", ...fields });
      expect(r.data).toMatchObject({ ok: false, error });
      if (problem) expect(r.data!.problems).toContain(problem);
      expect((await model(draftId)).definition).toEqual(before);
    });
  }

  it("refuses removing a field a condition reads, and a page key already used", async () => {
    const before = (await model(draftId)).definition;
    const r = await call(editor.action, anna, "/", { id: draftId }, { intent: "rimuovi", key: "qualita" });
    expect(r.data!.problems).toEqual(["components[0].components[3] («codiceFiscaleDelegante»): la condizione cita un campo inesistente: «qualita»"]);
    const p = await call(editor.action, anna, "/", { id: draftId }, { intent: "aggiungi-pagina", title: "Impresa", key: "impresa" });
    expect(p.data!.problems).toContain("components[4] («impresa»): chiave «impresa» ripetuta");
    expect((await model(draftId)).definition).toEqual(before);
  });

  const post = (fields: Record<string, string>) => call(component.action, anna, "/", { id: draftId, key: fields.key ?? "" }, fields);
  const definition = async () => (await model(draftId)).definition as FormDefinition;
  const edits = async () => (await getDb().select().from(auditLog).where(and(eq(auditLog.action, "form_model.edit"), eq(auditLog.objectId, draftId)))).length;

  it("moves a field to another page and builds containers with fields inside, each change audited", async () => {
    const audited = await edits();
    const moved = await post({ intent: "sposta-in", key: "pecImpresa", to: "pagamento" });
    expect(moved.location).toBe(`/admin/moduli/${draftId}?esito=spostato#c-pecImpresa`);
    for (const fields of [
      { intent: "aggiungi-campo", parent: "allegatiAggiuntivi", type: "fieldset", label: "Referente" },
      { intent: "aggiungi-campo", parent: "referente", type: "textfield", label: "Nome del referente" },
      { intent: "aggiungi-campo", parent: "allegatiAggiuntivi", type: "columns", label: "Periodo" },
      { intent: "aggiungi-campo", parent: "periodo.2", type: "day", label: "Fine" },
      { intent: "aggiungi-colonna", key: "periodo" },
      { intent: "rimuovi-colonna", key: "periodo", index: "3" },
      { intent: "aggiungi-campo", parent: "allegatiAggiuntivi", type: "datagrid", label: "Persone assunte" },
      { intent: "aggiungi-campo", parent: "personeAssunte", type: "textfield", label: "Nominativo" },
      { intent: "aggiungi-campo", parent: "personeAssunte", type: "day", label: "Assunta il" },
      { intent: "su", key: "assuntaIl" },
    ] as Record<string, string>[]) {
      const r = await call(editor.action, anna, "/", { id: draftId }, fields);
      expect(r.data, JSON.stringify(fields)).toMatchObject({ ok: true });
    }
    const form = await definition();
    expect(form.components[1]!.components!.map((c) => c.key)).toEqual(["iban", "visura", "dichiarazione", "pecImpresa"]);
    expect(componentByKey(form, "referente")).toEqual({ type: "fieldset", key: "referente", legend: "Referente", components: [{ type: "textfield", key: "nomeDelReferente", label: "Nome del referente" }] });
    expect(componentByKey(form, "periodo")!.columns).toEqual([{ components: [] }, { components: [{ type: "day", key: "fine", label: "Fine" }] }]);
    expect(componentByKey(form, "personeAssunte")!.components!.map((c) => c.key)).toEqual(["assuntaIl", "nominativo"]);
    expect(await edits()).toBe(audited + 11);
    const page = await call(editor.loader, anna, "/", { id: draftId });
    expect((page.data!.destinations as { id: string }[]).map((d) => d.id)).toEqual(expect.arrayContaining(["referente", "periodo.1", "periodo.2", "personeAssunte"]));
  });

  it("sets an Italian validator, a safe pattern and a condition chosen among the other fields", async () => {
    expect((await post({ intent: "modifica", key: "nomeDelReferente", plugin: "codiceFiscale", pattern: "[A-Z0-9]{16}" })).status).toBe(303);
    const page = await call(component.loader, anna, `/admin/moduli/${draftId}/campi/nomeDelReferente?quando=settore`, { id: draftId, key: "nomeDelReferente" });
    expect(page.data).toMatchObject({ component: { plugin: "codiceFiscale", pattern: "[A-Z0-9]{16}" }, condition: { current: null, when: "settore", values: [{ value: "agricoltura", label: "Agricoltura" }, { value: "turismo", label: "Turismo" }] } });
    const choices = (page.data!.condition as { fields: { value: string }[] }).fields.map((f) => f.value);
    expect(choices).toContain("qualita");
    expect(choices).not.toContain("nomeDelReferente");
    expect(choices).not.toContain("visura");
    expect((await post({ intent: "condizione", key: "referente", show: "true", when: "settore", eq: "turismo" })).data).toEqual({ ok: true, message: "Condizione salvata." });
    const form = await definition();
    expect(componentByKey(form, "nomeDelReferente")!.validate).toEqual({ pattern: "[A-Z0-9]{16}", plugins: ["codiceFiscale"] });
    expect(componentByKey(form, "referente")!.conditional).toEqual({ show: true, when: "settore", eq: "turismo" });
  });

  it("previews the condition as the applicant sees it: hidden, then shown by the answer, nothing saved", async () => {
    const before = await getDb().select().from(formModels);
    const hidden = await call(preview.loader, anna, `/admin/moduli/${draftId}/anteprima?pagina=allegatiAggiuntivi`, { id: draftId });
    expect(hidden.data).toMatchObject({ values: {}, carried: [] });
    const shown = await call(preview.loader, anna, `/admin/moduli/${draftId}/anteprima?pagina=allegatiAggiuntivi&settore=turismo&nomeDelReferente=Rossi&campoIgnoto=1`, { id: draftId });
    expect(shown.data).toMatchObject({ values: { settore: "turismo", nomeDelReferente: "Rossi" }, carried: [{ name: "settore", value: "turismo" }] });
    expect(await getDb().select().from(formModels)).toEqual(before);
  });

  for (const [what, fields, error, problem] of [
    ["a catastrophic pattern", { intent: "modifica", key: "nomeDelReferente", pattern: "([A-Z]+)+$" }, "Modifica non salvata: nessuna modifica salvata.", "«pattern» ripete un gruppo"],
    ["an unknown Italian validator", { intent: "modifica", key: "nomeDelReferente", plugin: "codiceSegreto" }, "Validatore italiano: scelta non prevista", null],
    ["an Italian validator on a date", { intent: "modifica", key: "fine", plugin: "iban" }, "Modifica non salvata: nessuna modifica salvata.", "regola di validazione non supportata per «day»: «plugins»"],
    ["a condition on a value not among the options", { intent: "condizione", key: "referente", show: "true", when: "settore", eq: "pesca" }, "Modifica non salvata: nessuna modifica salvata.", "la condizione confronta «settore» con «pesca», che non è tra le sue opzioni"],
    ["a condition on itself", { intent: "condizione", key: "nomeDelReferente", show: "true", when: "nomeDelReferente", eq: "x" }, "Modifica non salvata: nessuna modifica salvata.", "la condizione non può citare il campo stesso"],
    ["a condition without a value", { intent: "condizione", key: "referente", show: "true", when: "settore", eq: " " }, "Valore della condizione: obbligatorio", null],
    ["a condition neither shown nor hidden", { intent: "condizione", key: "referente", show: "forse", when: "settore", eq: "turismo" }, "Condizione: scegliere «mostra» o «nascondi»", null],
    ["moving a page into another", { intent: "sposta-in", key: "pagamento", to: "allegatiAggiuntivi" }, "Modifica non salvata: nessuna modifica salvata.", "una pagina non si sposta dentro un'altra"],
    ["moving a container into itself", { intent: "sposta-in", key: "periodo", to: "periodo.1" }, "Modifica non salvata: nessuna modifica salvata.", "un componente non può essere spostato dentro sé stesso"],
    ["an attachment into a repeatable table", { intent: "sposta-in", key: "visura", to: "personeAssunte" }, "Modifica non salvata: nessuna modifica salvata.", "un allegato non può stare in una tabella ripetibile"],
    ["a group inside a repeatable table", { intent: "aggiungi-campo", parent: "personeAssunte", type: "fieldset", label: "Dentro" }, "Modifica non salvata: nessuna modifica salvata.", "una tabella ripetibile contiene solo campi"],
    ["removing a column holding fields", { intent: "rimuovi-colonna", key: "periodo", index: "2" }, "Modifica non salvata: nessuna modifica salvata.", "la colonna 2 contiene dei campi: spostali o rimuovili prima"],
    ["a column number out of range", { intent: "rimuovi-colonna", key: "periodo", index: "9" }, "Colonna: indicare un numero da 1 a 4", null],
    ["a type the editor does not know", { intent: "aggiungi-campo", parent: "allegatiAggiuntivi", type: "signature", label: "Firma" }, "Tipo di campo: scelta non prevista", null],
  ] as [string, Record<string, string>, string, string | null][]) {
    it(`refuses ${what} in Italian, writing and auditing nothing`, async () => {
      const [before, audited] = [await definition(), await edits()];
      const r = await post(fields);
      expect(r.data).toMatchObject({ ok: false, error });
      if (problem) expect((r.data!.problems as string[]).some((p) => p.includes(problem)), JSON.stringify(r.data)).toBe(true);
      expect(await definition()).toEqual(before);
      expect(await edits()).toBe(audited);
    });
  }

  it("exports the version as form.io JSON that imports back unchanged", async () => {
    const r = await call(exported.loader, anna, `/admin/moduli/${draftId}/esporta`, { id: draftId });
    expect(r.response!.headers.get("content-disposition")).toBe('attachment; filename="modulo-v2.json"');
    const json = await r.response!.text();
    expect(JSON.parse(json)).toEqual((await model(draftId)).definition);
    const upload = await call(versions.action, anna, "/", { id: procedureId }, { intent: "importa", definizione: new File([json], "modulo.json", { type: "application/json" }) });
    expect(upload.status).toBe(303);
    const importedId = upload.location!.match(/\/admin\/moduli\/([0-9a-f-]{36})/)![1]!;
    expect((await model(importedId)).definition).toEqual((await model(draftId)).definition);
    await getDb().delete(formModels).where(eq(formModels.id, importedId));
  });

  it("refuses an upload with unsupported components, naming each one's path, storing nothing", async () => {
    const count = (await getDb().select().from(formModels)).length;
    const bad = { display: "wizard", components: [{ type: "panel", key: "p", title: "P", components: [{ type: "signature", key: "firma", label: "Firma" }, { type: "textfield", key: "nome", label: "Nome", customConditional: "show = true" }] }] };
    const r = await call(versions.action, anna, "/", { id: procedureId }, { intent: "importa", definizione: new File([JSON.stringify(bad)], "m.json") });
    expect(r.data).toEqual({
      ok: false,
      error: "Modello non importato: nessuna modifica salvata.",
      problems: ["components[0] («p»).components[0] («firma»): tipo di componente non supportato: «signature»", "components[0] («p»).components[1] («nome»): proprietà non supportata per «textfield»: «customConditional»"],
    });
    const notJson = await call(versions.action, anna, "/", { id: procedureId }, { intent: "importa", definizione: new File(["{nope"], "m.json") });
    expect(notJson.data).toMatchObject({ ok: false, problems: ["(modulo): il file non è JSON valido"] });
    expect((await getDb().select().from(formModels)).length).toBe(count);
  });

  it("previews a page with the applicant's renderer, saving nothing", async () => {
    const before = await getDb().select().from(formModels);
    const r = await call(preview.loader, anna, `/admin/moduli/${draftId}/anteprima?pagina=assunzioni`, { id: draftId });
    expect(r.data).toMatchObject({ page: "assunzioni", version: 2 });
    expect(await getDb().select().from(formModels)).toEqual(before);
  });

  it("publishes the draft, retiring the version before; applications keep theirs", async () => {
    const [kept] = await getDb().select().from(applications).where(eq(applications.procedureId, procedureId)).limit(1);
    const r = await call(editor.action, anna, "/", { id: draftId }, { intent: "pubblica" });
    expect(r.data).toMatchObject({ ok: true });
    expect([(await model(draftId)).status, (await model(publishedId)).status]).toEqual(["published", "retired"]);
    const [after] = await getDb().select().from(applications).where(eq(applications.id, kept!.id));
    expect(after!.formModelId).toBe(kept!.formModelId);
    // Put the demo model back for the tests below.
    await getDb().update(formModels).set({ status: "retired" }).where(eq(formModels.id, draftId));
    await getDb().update(formModels).set({ status: "published" }).where(eq(formModels.id, publishedId));
  });

  it("is for administrators only", async () => {
    const sofia = await signedInAs("RMNSFO88C52H501R", "Sofia");
    const count = (await getDb().select().from(formModels)).length;
    for (const r of [await call(editor.loader, sofia, "/", { id: publishedId }), await call(editor.action, sofia, "/", { id: publishedId }, { intent: "nuova-bozza" })]) {
      expect([302, 403]).toContain(r.status);
      expect(r.data).toBeNull();
    }
    expect((await getDb().select().from(formModels)).length).toBe(count);
  });
});

describe("autosave", () => {
  let sofia: Who;
  let id: string;
  beforeAll(async () => {
    sofia = await signedInAs("RMNSFO88C52H501R", "Sofia");
    id = await startDraft(new Request("http://localhost/"), { actor: actorOf(sofia.user, sofia.access), session: null as never }, procedureId);
  });
  const data = async () => (await getDb().select().from(applications).where(eq(applications.id, id)))[0]!.data;

  it("saves the page as typed and answers «Bozza salvata alle hh:mm»", async () => {
    const r = await call(autosave.action, sofia, `/domande/${id}/bozza`, { id }, { page: "impresa", ragioneSociale: "Autosalvata srl", partitaIva: "0123" });
    expect(r.status).toBe(200);
    const body = await r.response!.json();
    expect(body).toEqual({ ok: true, message: expect.stringMatching(/^Bozza salvata alle \d{2}:\d{2} \(non salvati finché non sono corretti: un campo\)$/), held: ["partitaIva"] });
    expect(await data()).toEqual({ ragioneSociale: "Autosalvata srl" });
  });

  it("refuses an unknown field with 422, writing nothing", async () => {
    const before = await data();
    const r = await call(autosave.action, sofia, `/domande/${id}/bozza`, { id }, { page: "impresa", ragioneSociale: "Cambiata", importoBonus: "100" });
    expect(r.status).toBe(422);
    expect(await r.response!.json()).toEqual({ ok: false, message: "Il modulo contiene campi non previsti (importoBonus): nessun dato è stato salvato." });
    const bad = await call(autosave.action, sofia, `/domande/${id}/bozza`, { id }, { page: "amministrazione", ragioneSociale: "Cambiata" });
    expect(bad.status).toBe(422);
    expect(await data()).toEqual(before);
  });

  it("refuses someone else's draft with an audited 403, writing nothing", async () => {
    const luca = await signedInAs("SPSLCU90A01F839P", "Luca");
    const before = await data();
    const r = await call(autosave.action, luca, `/domande/${id}/bozza`, { id }, { page: "impresa", ragioneSociale: "Di Luca" });
    expect(r.status).toBe(403);
    expect(await data()).toEqual(before);
    const denied = await getDb().select().from(auditLog).where(and(eq(auditLog.action, "access.denied"), eq(auditLog.actorUserId, luca.user.id)));
    expect(denied.length).toBeGreaterThanOrEqual(1);
  });

  it("refuses a post without the CSRF token", async () => {
    const before = await data();
    const r = await call(autosave.action, { ...sofia, csrf: "sbagliato" }, `/domande/${id}/bozza`, { id }, { page: "impresa", ragioneSociale: "Senza token" });
    expect(r.status).toBe(403);
    expect(await data()).toEqual(before);
  });
});

describe("routing by rule at sending", () => {
  const page1 = { page: "impresa", intent: "avanti", qualita: "legale_rappresentante", ragioneSociale: "Prova srl", partitaIva: "01234567897", capSede: "04100", pecImpresa: "prova@pec.example.it" };
  async function completeDraft(who: Who, comuneSede: string) {
    const id = await startDraft(new Request("http://localhost/"), { actor: actorOf(who.user, who.access), session: null as never }, procedureId);
    await call(wizard.action, who, "/", { id }, { ...page1, comuneSede });
    await call(wizard.action, who, "/", { id }, { page: "assunzioni", intent: "avanti", numeroAssunti: "2", dataPrimaAssunzione: "2026-03-01", settore: "commercio", importoRichiesto: "10.000,50" });
    const pdf = new File([Buffer.from("%PDF-1.7\n%demo\n")], "visura.pdf", { type: "application/pdf" });
    const last = await call(wizard.action, who, "/", { id }, { page: "pagamento", intent: "avanti", iban: "IT60X0542811101000000123456", dichiarazione: "true", visura: pdf });
    expect(last.location).toBe(`/domande/${id}/invio`);
    return id;
  }
  const sent = async (id: string) => {
    const [row] = await getDb().select().from(applications).where(eq(applications.id, id));
    const [submit] = await getDb().select().from(machineHistory).where(and(eq(machineHistory.objectId, id), eq(machineHistory.event, "SUBMIT")));
    return { row: row!, offices: (row!.snapshot as { context: { offices: string[] } }).context.offices, routing: submit?.details.routing };
  };
  let who: Who;
  beforeAll(async () => {
    who = await signedInAs("RMNSFO88C52H501R", "Sofia");
  });

  it("sends a business in Latina's province to the Latina office, recording the rule in the history", async () => {
    const id = await completeDraft(who, "059011");
    expect((await call(send.action, who, "/", { id }, {})).location).toBe(`/domande/${id}/riepilogo?inviata=1`);
    const s = await sent(id);
    expect(s.offices).toEqual(["SPORTELLO-IMPRESE", "UFF-LAVORO-LT"]);
    expect(s.routing).toEqual([{ rule: "Ufficio del lavoro della provincia della sede", field: "comuneSede", value: "059011", office: "UFF-LAVORO-LT", by: "caso" }]);
    // The officials' search filters by the application's own offices.
    const found = await searchApplications(getDb(), await viewerOf(PEOPLE.funzionario), { office: "UFF-LAVORO-LT" }, { offset: 0, size: 50 });
    expect(found.rows.map((r) => r.id)).toEqual([id]);
  });

  it("sends one in Rome's province to UFF-LAVORO by its case", async () => {
    const id = await completeDraft(who, "058091");
    await call(send.action, who, "/", { id }, {});
    expect((await sent(id)).routing).toEqual([expect.objectContaining({ value: "058091", office: "UFF-LAVORO", by: "caso" })]);
  });

  it("sends one from any other province to the fallback office", async () => {
    const id = await completeDraft(who, "001272");
    await call(send.action, who, "/", { id }, {});
    const s = await sent(id);
    expect(s.offices).toEqual(["SPORTELLO-IMPRESE", "UFF-LAVORO"]);
    expect(s.routing).toEqual([expect.objectContaining({ value: "001272", office: "UFF-LAVORO", by: "ripiego" })]);
  });

  it("refuses sending when no case matches and the rule has no fallback, giving no number", async () => {
    const saved = (await getDb().select().from(procedures).where(eq(procedures.id, procedureId)))[0]!.applicationRoutingRules;
    await getDb().update(procedures).set({ applicationRoutingRules: saved.map((r) => ({ ...r, fallback: null })) }).where(eq(procedures.id, procedureId));
    try {
      const id = await completeDraft(who, "001272");
      const counter = async () => (await getDb().select().from(applicationCounters).where(eq(applicationCounters.procedureId, procedureId)))[0]!.last;
      const before = await counter();
      const r = await call(send.action, who, "/", { id }, {});
      expect(r.data).toEqual({
        ok: false,
        error: "Non è possibile individuare l'ufficio competente (Ufficio del lavoro della provincia della sede) per la risposta «001272»: la domanda non è stata inviata. Verificare la risposta o contattare l'assistenza.",
      });
      const s = await sent(id);
      expect([s.row.state, s.row.number, s.routing]).toEqual(["bozza", null, undefined]);
      expect(await counter()).toBe(before);
    } finally {
      await getDb().update(procedures).set({ applicationRoutingRules: saved }).where(eq(procedures.id, procedureId));
    }
  });
});

describe("the routing page", () => {
  const rules = async () => (await getDb().select().from(procedures).where(eq(procedures.id, procedureId)))[0]!;

  it("shows the demo rule with its cases as lines", async () => {
    const r = await call(routingPage.loader, anna, "/", { id: procedureId });
    expect(r.data).toMatchObject({ fixed: ["SPORTELLO-IMPRESE"], rules: [{ name: "Ufficio del lavoro della provincia della sede", lines: "058 = UFF-LAVORO\n059 = UFF-LAVORO-LT", fallback: "UFF-LAVORO" }] });
  });

  for (const [what, fields, error] of [
    ["an office that does not exist", { cases: "058 = UFF-INESISTENTE" }, "Ufficio inesistente: UFF-INESISTENTE. Usare il codice di una struttura (Configurazione › Strutture). Nessuna modifica salvata."],
    ["a case without an office", { cases: "058" }, "Casi: scegliere un ufficio Nessuna modifica salvata."],
    ["a repeated value", { cases: "058 = UFF-LAVORO\n058 = UFF-LAVORO-LT" }, "Casi: un valore compare due volte Nessuna modifica salvata."],
    ["an unknown comparison", { match: "regex" }, "Confronto: scelta non prevista Nessuna modifica salvata."],
  ] as const) {
    it(`refuses ${what}, writing nothing`, async () => {
      const before = await rules();
      const r = await call(routingPage.action, anna, "/", { id: procedureId }, Object.assign({ intent: "regola", index: "0", name: "Regola", field: "comuneSede", match: "startsWith", cases: "058 = UFF-LAVORO", fallback: "" }, fields));
      expect(r.data).toMatchObject({ ok: false, error });
      const after = await rules();
      expect([after.applicationRoutingRules, after.applicationOffices]).toEqual([before.applicationRoutingRules, before.applicationOffices]);
    });
  }

  it("adds, edits and removes a rule, and saves the fixed offices", async () => {
    const before = await rules();
    const add = await call(routingPage.action, anna, "/", { id: procedureId }, { intent: "regola", name: "Settore turistico", field: "settore", match: "equals", cases: "turismo = SPORTELLO-IMPRESE", fallback: "UFF-LAVORO" });
    expect(add.data).toEqual({ ok: true, message: "Regola salvata." });
    expect((await rules()).applicationRoutingRules[1]).toEqual({ name: "Settore turistico", field: "settore", match: "equals", cases: [{ value: "turismo", office: "SPORTELLO-IMPRESE" }], fallback: "UFF-LAVORO" });
    await call(routingPage.action, anna, "/", { id: procedureId }, { intent: "rimuovi-regola", index: "1" });
    expect((await rules()).applicationRoutingRules).toEqual(before.applicationRoutingRules);
    const fixed = await call(routingPage.action, anna, "/", { id: procedureId }, { intent: "uffici", office: ["SPORTELLO-IMPRESE", "UFF-LAVORO"] });
    expect(fixed.data).toEqual({ ok: true, message: "Uffici sempre coinvolti salvati." });
    expect((await rules()).applicationOffices).toEqual(["SPORTELLO-IMPRESE", "UFF-LAVORO"]);
    await getDb().update(procedures).set({ applicationOffices: before.applicationOffices }).where(eq(procedures.id, procedureId));
  });
});
