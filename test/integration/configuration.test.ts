import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getBranding, saveBranding } from "~/branding/branding.server";
import {
  createCategory,
  createProcedure,
  deleteCategory,
  moveItem,
  updateCategory,
  searchCatalogue,
  updateProcedure,
} from "~/catalogue/catalogue.server";
import { FieldErrors, STALE_MESSAGE, StaleEditError } from "~/lib/errors";
import { queueMail } from "~/mail/outbox.server";
import { defaultSource, renderMail } from "~/mail/render.server";
import { previewTemplate, resetTemplate, saveTemplate, templateHistory, templateState } from "~/mail/templates.server";
import { addPosition, updateGestore, updateMeasure, updateOrgUnit } from "~/registry/registry.server";
import { getDb, getSql } from "~db/client";
import { catalogueTree, publicProcedure } from "~db/queries/catalogue";
import { auditLog, branding, catalogueCategories, gestori, mailTemplateOverrides, measures, orgUnits, procedures } from "~db/schema";
import { GESTORE_DEMO, PEOPLE, seedDemo, userOf } from "../support/actors";

let who: { actor: { userId: string; fiscalCode: string; role: string } };
let categoryId: string;

beforeAll(async () => {
  await seedDemo();
  const anna = await userOf(PEOPLE.amministratore);
  who = { actor: { userId: anna.id, fiscalCode: anna.fiscalCode, role: "amministratore" } };
  categoryId = (await createCategory(getDb(), who, { title: "Imprese e lavoro" })).id;
});

/** Runs a change expected to be refused and returns the per-field Italian messages. */
async function refused(p: Promise<unknown>) {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(FieldErrors);
  return (e as FieldErrors).fields;
}

const count = async (table: typeof procedures | typeof auditLog | typeof mailTemplateOverrides) =>
  (await getDb().select({ n: sql<number>`count(*)::int` }).from(table))[0]!.n;

describe("procedures", () => {
  it("refuses bad input with Italian messages per field and writes nothing", async () => {
    const before = { procedures: await count(procedures), audit: await count(auditLog) };
    const fields = await refused(
      createProcedure(getDb(), who, {
        title: "  ",
        categoryId: "not-a-uuid",
        maxDurationDays: "0",
        links: "solo testo senza indirizzo",
        status: "visibile",
      }),
    );
    expect(fields).toMatchObject({
      title: "Titolo: campo obbligatorio",
      categoryId: "Categoria: scegliere una categoria",
      maxDurationDays: "Durata massima (giorni): almeno 1",
      links: "Collegamenti: riga 1 non valida, usare «Etichetta | https://indirizzo»",
      status: "Stato: scegliere bozza o pubblicato",
    });
    expect((await refused(createProcedure(getDb(), who, { title: "X", categoryId, maxDurationDays: "trenta" }))).maxDurationDays).toBe(
      "Durata massima (giorni): indicare un numero intero",
    );
    expect((await refused(createProcedure(getDb(), who, { title: "X", categoryId: crypto.randomUUID() }))).categoryId).toMatch(/Categoria inesistente/);
    expect(await count(procedures)).toBe(before.procedures);
    expect(await count(auditLog)).toBe(before.audit);
  });

  it("are created, published and audited, and then found by Italian full-text search", async () => {
    const [unit] = await getDb().select().from(orgUnits).where(eq(orgUnits.code, "SETT-CREDITO"));
    const resp = await addPosition(getDb(), who, { orgUnitId: unit!.id, title: "Responsabile del procedimento", holder: "Paolo Rossi" });
    const p = await createProcedure(getDb(), who, {
      title: "Contributi per l'assunzione di giovani",
      categoryId,
      description: "Contributo a fondo perduto alle imprese che assumono lavoratori sotto i trent'anni.",
      orgUnitId: unit!.id,
      responsiblePositionId: resp.id,
      maxDurationDays: "60",
      links: "Bando | https://www.regione.example.it/bando\nModulistica | /istruzioni",
      status: "draft",
    });
    expect(p.links).toEqual([
      { label: "Bando", url: "https://www.regione.example.it/bando" },
      { label: "Modulistica", url: "/istruzioni" },
    ]);
    // A draft is neither public nor searchable.
    expect(await publicProcedure(getDb(), p.id)).toBeNull();
    expect(await searchCatalogue(getDb(), "assunzioni")).toEqual([]);

    const published = await updateProcedure(getDb(), who, p.id, { ...formOf(p), status: "published", version: String(p.version) });
    expect(published.version).toBe(p.version + 1);
    expect(published.publishedAt).not.toBeNull();
    // Italian stemming: "assunzioni" finds "assunzione", "contributo" finds "Contributi".
    expect((await searchCatalogue(getDb(), "assunzioni")).map((r) => r.id)).toEqual([p.id]);
    expect((await searchCatalogue(getDb(), "contributo giovani")).map((r) => r.id)).toEqual([p.id]);
    expect(await searchCatalogue(getDb(), "trattori")).toEqual([]);
    const page = await publicProcedure(getDb(), p.id);
    expect(page).toMatchObject({ office: "Settore Credito e finanza d'impresa", responsibleHolder: "Paolo Rossi" });

    const trail = await getDb().select().from(auditLog).where(and(eq(auditLog.objectType, "procedure"), eq(auditLog.objectId, p.id))).orderBy(auditLog.id);
    expect(trail.map((a) => a.action)).toEqual(["procedure.create", "procedure.publish"]);
    expect(trail[1]!.actorFiscalCode).toBe(PEOPLE.amministratore);
    expect(trail[1]!.details).toMatchObject({ fields: ["status"] });
  });

  it("refuses a save from a stale form and keeps the other administrator's change", async () => {
    const p = await createProcedure(getDb(), who, { title: "Voucher digitalizzazione", categoryId });
    const loaded = String(p.version);
    await updateProcedure(getDb(), who, p.id, { ...formOf(p), title: "Voucher per la digitalizzazione", version: loaded });
    const auditBefore = await count(auditLog);
    const e = await updateProcedure(getDb(), who, p.id, { ...formOf(p), title: "Voucher vecchio", version: loaded }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(StaleEditError);
    expect((e as Error).message).toBe(STALE_MESSAGE);
    const [now] = await getDb().select().from(procedures).where(eq(procedures.id, p.id));
    expect(now!.title).toBe("Voucher per la digitalizzazione");
    expect(now!.version).toBe(p.version + 1);
    expect(await count(auditLog)).toBe(auditBefore);
  });

  it("two concurrent saves from the same version: exactly one wins", async () => {
    const p = await createProcedure(getDb(), who, { title: "Bando export", categoryId });
    const results = await Promise.allSettled([
      updateProcedure(getDb(), who, p.id, { ...formOf(p), title: "Bando export A", version: "1" }),
      updateProcedure(getDb(), who, p.id, { ...formOf(p), title: "Bando export B", version: "1" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(StaleEditError);
    const [now] = await getDb().select().from(procedures).where(eq(procedures.id, p.id));
    expect(now!.version).toBe(2);
  });

  it("move up and down among their siblings, in the tree order", async () => {
    const cat = await createCategory(getDb(), who, { title: "Ordinamento" });
    const a = await createProcedure(getDb(), who, { title: "A", categoryId: cat.id, status: "published" });
    const b = await createProcedure(getDb(), who, { title: "B", categoryId: cat.id, status: "published" });
    const c = await createProcedure(getDb(), who, { title: "C", categoryId: cat.id, status: "draft" });
    const titles = async (publishedOnly: boolean) =>
      (await catalogueTree(getDb(), { publishedOnly })).find((n) => n.id === cat.id)!.procedures.map((p) => p.title);
    expect(await titles(false)).toEqual(["A", "B", "C"]);
    expect(await moveItem(getDb(), who, { kind: "procedure", id: c.id, direction: "up" })).toBe(true);
    expect(await moveItem(getDb(), who, { kind: "procedure", id: a.id, direction: "down" })).toBe(true);
    expect(await titles(false)).toEqual(["C", "A", "B"]);
    expect(await moveItem(getDb(), who, { kind: "procedure", id: b.id, direction: "down" })).toBe(false);
    expect(await titles(true)).toEqual(["A", "B"]);
    expect((await refused(moveItem(getDb(), who, { kind: "procedure", id: a.id, direction: "sideways" }))).direction).toBe("Direzione non valida");
  });
});

describe("categories", () => {
  it("cannot move under themselves or a descendant; an emptied category can be deleted", async () => {
    const top = await createCategory(getDb(), who, { title: "Ambiente" });
    const child = await createCategory(getDb(), who, { title: "Rifiuti", parentId: top.id });
    const fields = await refused(updateCategory(getDb(), who, top.id, { title: "Ambiente", parentId: child.id, version: "1" }));
    expect(fields.parentId).toBe("Categoria superiore: non può essere la categoria stessa o una sua sottocategoria");
    const [still] = await getDb().select().from(catalogueCategories).where(eq(catalogueCategories.id, top.id));
    expect(still!.parentId).toBeNull();
    await expect(deleteCategory(getDb(), who, top.id, 1)).rejects.toThrow(/non è vuota/);
    await deleteCategory(getDb(), who, child.id, 1);
    await deleteCategory(getDb(), who, top.id, 1);
    expect(await getDb().select().from(catalogueCategories).where(eq(catalogueCategories.id, top.id))).toEqual([]);
  });
});

function formOf(p: typeof procedures.$inferSelect) {
  return {
    title: p.title,
    categoryId: p.categoryId,
    description: p.description,
    orgUnitId: p.orgUnitId ?? "",
    responsiblePositionId: p.responsiblePositionId ?? "",
    costs: p.costs,
    howToApply: p.howToApply,
    maxDurationDays: p.maxDurationDays === null ? "" : String(p.maxDurationDays),
    requiredDocuments: p.requiredDocuments,
    links: p.links.map((l) => `${l.label} | ${l.url}`).join("\n"),
    status: p.status,
  };
}

describe("mail templates", () => {
  const source = { subject: "Prova per {{name}}", html: "<p>Ciao {{name}} da {{platform}}</p>", text: "Ciao {{name}} da {{platform}}" };

  it("refuse a syntax error or an unknown variable, saving nothing", async () => {
    const fields = await refused(saveTemplate(getDb(), who, "test-message", { ...source, html: "<p>{{#if name}}senza chiusura</p>", version: "0" }));
    expect(fields.html).toBe("Testo HTML: errore di sintassi alla riga 1: un blocco aperto con {{#…}} non è chiuso da {{/…}}");
    const brace = await refused(saveTemplate(getDb(), who, "test-message", { ...source, subject: "Ciao {{name}", version: "0" }));
    expect(brace.subject).toBe("Oggetto: errore di sintassi alla riga 1: una variabile {{…}} non è chiusa da due parentesi graffe }}");
    const crossed = await refused(saveTemplate(getDb(), who, "test-message", { ...source, text: "{{#if name}}x{{/each}}", version: "0" }));
    expect(crossed.text).toBe("Testo semplice: errore di sintassi alla riga 1: il blocco «if» è chiuso da {{/each}}");
    const unknown = await refused(saveTemplate(getDb(), who, "test-message", { ...source, text: "Ciao {{nome}}", version: "0" }));
    expect(unknown.text).toBe("Testo semplice: la variabile «nome» non è disponibile per questo modello");
    expect((await refused(saveTemplate(getDb(), who, "test-message", { ...source, subject: " ", version: "0" }))).subject).toBe("Oggetto: campo obbligatorio");
    expect(await count(mailTemplateOverrides)).toBe(0);
  });

  it("preview renders the sample data without saving", async () => {
    const shown = previewTemplate("test-message", source);
    expect(shown.subject).toBe("Prova per Ada Lovelace");
    expect(shown.html).toBe("<p>Ciao Ada Lovelace da Monitoraggio pratiche</p>");
    expect(await count(mailTemplateOverrides)).toBe(0);
  });

  it("the preview's links point to this platform's BASE_URL, not to the samples' placeholder", () => {
    const shown = previewTemplate("access-expiring", defaultSource("access-expiring"));
    expect(shown.text).toContain("http://localhost:3999/abilitazioni");
    expect(shown.text + shown.html).not.toContain("localhost:3000");
  });

  it("a saved version is what queueMail sends; stale saves are refused; reset restores the file", async () => {
    const saved = await saveTemplate(getDb(), who, "test-message", { ...source, version: "0" });
    expect(saved.version).toBe(1);
    const rendered = await renderMail("test-message", { name: "Bea", platform: "Demo" });
    expect(rendered.subject).toBe("Prova per Bea");
    const queued = await getSql().begin((tx) => queueMail(tx, { to: "bea@example.it", template: "test-message", data: { name: "Bea", platform: "Demo" } }));
    const [row] = await getSql()<{ subject: string }[]>`select subject from mail_outbox where id = ${queued!.id}`;
    expect(row!.subject).toBe("Prova per Bea");

    // Another administrator's form, opened before the save, is refused.
    expect(await saveTemplate(getDb(), who, "test-message", { ...source, subject: "Altro", version: "0" }).catch((e: unknown) => e)).toBeInstanceOf(StaleEditError);
    await saveTemplate(getDb(), who, "test-message", { ...source, subject: "Seconda {{name}}", version: "1" });
    expect(await resetTemplate(getDb(), who, "test-message", "1").catch((e: unknown) => e)).toBeInstanceOf(StaleEditError);
    expect((await templateState(getDb(), "test-message")).current.subject).toBe("Seconda {{name}}");

    expect(await resetTemplate(getDb(), who, "test-message", "2")).toBe(true);
    const state = await templateState(getDb(), "test-message");
    expect(state).toMatchObject({ overridden: false, version: 0 });
    expect((await renderMail("test-message", { name: "Bea", platform: "Demo" })).subject).toBe("Messaggio di prova per Bea");
    const history = await templateHistory(getDb(), "test-message");
    expect(history.map((h) => h.action)).toEqual(["reset", "save", "save"]);
    expect(history[0]!.bySurname).toBe("Gallo");
    const trail = await getDb().select().from(auditLog).where(eq(auditLog.objectType, "mail_template")).orderBy(auditLog.id);
    expect(trail.map((a) => a.action)).toEqual(["mail_template.save", "mail_template.save", "mail_template.reset"]);
  });
});

describe("branding", () => {
  it("defaults to the environment, validates, saves with audit and refuses a stale form", async () => {
    const initial = await getBranding(getDb());
    expect(initial).toMatchObject({ bodyName: "Regione Demo", contactEmail: "servizi.informativi@regione.example.it", version: 0 });
    const fields = await refused(
      saveBranding(getDb(), who, { bodyName: "", contactEmail: "posta", logoUrl: "javascript:alert(1)", quickLinks: "Bandi |", accessibilityUrl: "", version: "0" }),
    );
    expect(fields).toEqual({
      bodyName: "Nome dell'ente: campo obbligatorio",
      contactEmail: "E-mail di contatto: indirizzo non valido",
      logoUrl: "Logo: indicare un indirizzo https://… o un percorso che inizia con /",
      quickLinks: "Collegamenti rapidi: riga 1 non valida, usare «Etichetta | https://indirizzo»",
    });
    expect(await getDb().select().from(branding)).toEqual([]);
    const form = { bodyName: "Regione Marche", contactEmail: "urp@regione.example.it", logoUrl: "/logo.svg", quickLinks: "Bandi | /procedimenti", accessibilityUrl: "", banner: "" };
    await saveBranding(getDb(), who, { ...form, version: "0" });
    expect(await saveBranding(getDb(), who, { ...form, bodyName: "Vecchio", version: "0" }).catch((e: unknown) => e)).toBeInstanceOf(StaleEditError);
    expect(await getBranding(getDb())).toMatchObject({ bodyName: "Regione Marche", quickLinks: [{ label: "Bandi", url: "/procedimenti" }], version: 1 });
    const trail = await getDb().select().from(auditLog).where(eq(auditLog.action, "branding.update"));
    expect(trail).toHaveLength(1);
  });
});

describe("registry pages", () => {
  it("edit a gestore: validation, deactivation with accreditations, stale refusal", async () => {
    const [g] = await getDb().select().from(gestori).where(eq(gestori.fiscalCode, GESTORE_DEMO));
    const [covid] = await getDb().select().from(measures).where(eq(measures.code, "COVID-LIQ"));
    const [innova] = await getDb().select().from(measures).where(eq(measures.code, "INNOVA-PMI"));
    const base = { name: g!.name, email: g!.email ?? "", pec: "", contacts: "", operatorQuota: "8", measures: [covid!.id], version: String(g!.version) };
    const fields = await refused(updateGestore(getDb(), who, g!.id, { ...base, name: "", operatorQuota: "0", email: "x" }));
    expect(fields).toMatchObject({ name: "Denominazione: campo obbligatorio", operatorQuota: "Numero massimo di operatori: almeno 1", email: "indirizzo e-mail non valido" });
    const after = await updateGestore(getDb(), who, g!.id, { ...base, operatorQuota: "12", contacts: "Ufficio crediti 071 000000", measures: [covid!.id, innova!.id] });
    expect(after).toMatchObject({ operatorQuota: 12, active: false, version: g!.version + 1 });
    expect(await updateGestore(getDb(), who, g!.id, { ...base, active: "on" }).catch((e: unknown) => e)).toBeInstanceOf(StaleEditError);
    const [now] = await getDb().select().from(gestori).where(eq(gestori.id, g!.id));
    expect(now!.active).toBe(false);
    const [entry] = await getDb().select().from(auditLog).where(and(eq(auditLog.action, "gestore.deactivate"), eq(auditLog.objectId, g!.id)));
    expect(entry!.details).toMatchObject({ measuresAdded: [innova!.id], measuresRemoved: [] });
    // Put the demo gestore back as it was for the other tests.
    await updateGestore(getDb(), who, g!.id, { ...base, active: "on", version: String(after.version) });
  });

  it("edit a measure: closing date before opening refused; a procedure links to one measure only", async () => {
    const [covid] = await getDb().select().from(measures).where(eq(measures.code, "COVID-LIQ"));
    const [innova] = await getDb().select().from(measures).where(eq(measures.code, "INNOVA-PMI"));
    const p = await createProcedure(getDb(), who, { title: "Fondo liquidità", categoryId });
    const obligation = { cadence: "none", reminderEveryDays: "7", escalateAfterReminders: "3" };
    const base = { name: covid!.name, description: "", isOpen: "on", gestori: [], ...obligation, version: String(covid!.version) };
    expect((await refused(updateMeasure(getDb(), who, covid!.id, { ...base, opensOn: "2026-05-01", closesOn: "2026-04-30" }))).closesOn).toBe(
      "Data di chiusura: non può precedere la data di apertura",
    );
    expect((await refused(updateMeasure(getDb(), who, covid!.id, { ...base, opensOn: "2026-02-30" }))).opensOn).toBe("Data di apertura: data non valida");
    const saved = await updateMeasure(getDb(), who, covid!.id, { ...base, opensOn: "2026-01-01", procedureId: p.id });
    expect(saved).toMatchObject({ opensOn: "2026-01-01", procedureId: p.id });
    const other = await refused(updateMeasure(getDb(), who, innova!.id, { ...base, name: innova!.name, procedureId: p.id, version: String(innova!.version) }));
    expect(other.procedureId).toBe("Procedimento già collegato alla misura COVID-LIQ");
  });

  it("an org unit is headed only by a person with a dirigente profile", async () => {
    const [unit] = await getDb().select().from(orgUnits).where(eq(orgUnits.code, "DIR-SVILUPPO"));
    const laura = await userOf(PEOPLE.funzionario);
    const paolo = await userOf(PEOPLE.dirigente);
    const base = { name: unit!.name, active: "on", userQuota: "8", version: String(unit!.version) };
    expect((await refused(updateOrgUnit(getDb(), who, unit!.id, { ...base, headUserId: laura.id }))).headUserId).toMatch(/non ha un profilo di dirigente/);
    const saved = await updateOrgUnit(getDb(), who, unit!.id, { ...base, headUserId: paolo.id });
    expect(saved.headUserId).toBe(paolo.id);
  });
});
