import { and, count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { startDraft } from "~/applications/applications.server";
import { DefinitionRefused, importFormModel } from "~/applications/form-models.server";
import { makeReceipt } from "~/applications/receipt.server";
import { actorOf } from "~/auth/guards.server";
import { seedDemoApplications } from "~/demo/applications";
import { seedDemoCatalogue } from "~/demo/catalogue";
import * as wizard from "~/routes/domande.$id._index";
import * as send from "~/routes/domande.$id.invio";
import * as summary from "~/routes/domande.$id.riepilogo";
import * as download from "~/routes/domande.documenti.$fileId";
import { getDb, getSql } from "~db/client";
import { applicationCounters, applicationFiles, applications, auditLog, formModels, mailOutbox, procedures, users } from "~db/schema";
import { pdfText } from "../support/pdf-text";
import { seedDemo } from "../support/actors";
import { call, signedInAs, type Who } from "../support/applicants";

const SOFIA = "RMNSFO88C52H501R";
const year = new Date().getFullYear();

async function dataOf(id: string) {
  const [row] = await getDb().select().from(applications).where(eq(applications.id, id));
  return row!;
}

async function fileCount() {
  return (await getDb().select({ n: count() }).from(applicationFiles))[0]!.n;
}

let sofia: Who;
let procedureId: string;
const page1 = { page: "impresa", intent: "avanti", qualita: "legale_rappresentante", ragioneSociale: "Prova srl", partitaIva: "01234567897", comuneSede: "058091", capSede: "00185", pecImpresa: "prova@pec.example.it" };

beforeAll(async () => {
  await seedDemo();
  await seedDemoCatalogue(process.env.DATABASE_URL!);
  await seedDemoApplications();
  sofia = await signedInAs(SOFIA, "Sofia");
  const [p] = await getDb().select().from(procedures).where(eq(procedures.title, "Contributo per nuove assunzioni 2026"));
  procedureId = p!.id;
}, 120_000);

describe("demo applications", () => {
  it("gives Sofia a draft, a sent application and one under integration, numbered without gaps", async () => {
    const rows = await getDb().select().from(applications).where(eq(applications.applicantUserId, sofia.user.id));
    expect(rows.map((r) => r.state).sort()).toEqual(["bozza", "integrazione_richiesta", "inviata"]);
    expect(rows.map((r) => r.number).filter(Boolean).sort()).toEqual([`DOM-${year}-000001`, `DOM-${year}-000002`]);
    const sent = rows.find((r) => r.state === "inviata")!;
    expect(sent.dataSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(rows.filter((r) => r.receiptFileId)).toHaveLength(2);
    const integrated = rows.find((r) => r.state === "integrazione_richiesta")!;
    expect(Object.keys((integrated.snapshot as { context: { opinions: object } }).context.opinions).sort()).toEqual(["SPORTELLO-IMPRESE", "UFF-LAVORO"]);
  });

  it("queues the confirmation mail with the number and a link, and no other personal data", async () => {
    const mails = await getDb().select().from(mailOutbox).where(eq(mailOutbox.template, "domanda-inviata"));
    expect(mails).toHaveLength(2);
    const mail = mails.find((m) => m.text.includes(`DOM-${year}-000001`))!;
    expect(mail.recipient).toBe("sofia.romano@example.it");
    expect(mail.text).toMatch(/\/domande\/[0-9a-f-]{36}\/riepilogo/);
    for (const secret of ["Romano Servizi", "01234567897", "IT60X", "24.000", SOFIA]) expect(mail.text + mail.html + mail.subject).not.toContain(secret);
  });
});

describe("filling in: bad input is refused in Italian and nothing is written", () => {
  let id: string;
  beforeAll(async () => {
    id = await startDraft(new Request("http://localhost/"), { actor: actorOf(sofia.user, sofia.access), session: null as never }, procedureId);
  });

  it("stores a good page and moves on", async () => {
    const r = await call(wizard.action, sofia, `/domande/${id}`, { id }, page1);
    expect(r.location).toBe(`/domande/${id}?pagina=assunzioni`);
    expect((await dataOf(id)).data).toMatchObject({ ragioneSociale: "Prova srl" });
  });

  for (const [what, fields, message] of [
    ["an unknown field", { ...page1, ragioneSociale: "Cambiata", importoBonus: "1000000" }, "Il modulo contiene campi non previsti (importoBonus): nessun dato è stato salvato."],
    ["a tampered hidden field (page)", { ...page1, ragioneSociale: "Cambiata", page: "amministrazione" }, "Pagina del modulo non valida: ricaricare la domanda e riprovare."],
  ] as const) {
    it(`refuses ${what}`, async () => {
      const before = (await dataOf(id)).data;
      const r = await call(wizard.action, sofia, `/domande/${id}`, { id }, fields);
      expect(r.data).toMatchObject({ ok: false, message });
      expect((await dataOf(id)).data).toEqual(before);
    });
  }

  for (const [what, fields, key, message] of [
    ["an over-long value", { ...page1, ragioneSociale: "x".repeat(201) }, "ragioneSociale", "Ragione sociale: al massimo 200 caratteri"],
    ["a wrong fiscal code", { ...page1, qualita: "delegato", codiceFiscaleDelegante: "RSSMRA80A01H501A" }, "codiceFiscaleDelegante", "Codice fiscale del legale rappresentante: codice fiscale non valido"],
  ] as const) {
    it(`refuses ${what} beside the field`, async () => {
      const before = (await dataOf(id)).data;
      const r = await call(wizard.action, sofia, `/domande/${id}`, { id }, fields);
      expect(r.data).toMatchObject({ ok: false, errors: { [key]: message } });
      expect((await dataOf(id)).data).toEqual(before);
    });
  }

  it("refuses a file too large or of the wrong type, storing no file", async () => {
    const files = await fileCount();
    const page3 = { page: "pagamento", intent: "salva", iban: "IT60X0542811101000000123456" };
    const big = new File([Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.alloc(2 * 1024 * 1024)])], "visura.pdf", { type: "application/pdf" });
    const tooBig = await call(wizard.action, sofia, `/domande/${id}`, { id }, { ...page3, visura: big });
    expect(tooBig.data).toMatchObject({ ok: false, errors: { visura: "Visura camerale (PDF): il file supera la dimensione massima di 2MB" } });
    const exe = new File([Buffer.from("MZ\x90\x00 not a pdf")], "visura.pdf", { type: "application/pdf" });
    const wrong = await call(wizard.action, sofia, `/domande/${id}`, { id }, { ...page3, visura: exe });
    expect(wrong.data).toMatchObject({ ok: false, errors: { visura: "Visura camerale (PDF): tipo di file non ammesso (application/pdf, .pdf)" } });
    expect(await fileCount()).toBe(files);
    expect((await dataOf(id)).data).not.toHaveProperty("iban");
  });

  it("refuses someone else's draft with an audited 403, also by guessed id", async () => {
    const luca = await signedInAs("SPSLCU90A01F839P", "Luca");
    const before = await dataOf(id);
    const r = await call(wizard.action, luca, `/domande/${id}`, { id }, { ...page1, ragioneSociale: "Di Luca" });
    expect(r.status).toBe(403);
    const s = await call(send.action, luca, `/domande/${id}/invio`, { id }, {});
    expect(s.status).toBe(403);
    expect(await dataOf(id)).toEqual(before);
    const denied = await getDb().select().from(auditLog).where(and(eq(auditLog.action, "access.denied"), eq(auditLog.actorUserId, luca.user.id)));
    expect(denied.length).toBeGreaterThanOrEqual(2);
    expect((await call(wizard.loader, luca, `/domande/00000000-0000-4000-8000-000000000000`, { id: "00000000-0000-4000-8000-000000000000" })).status).toBe(404);
  });

  it("lists what is missing before sending and refuses an incomplete one", async () => {
    const page = await call(send.loader, sofia, `/domande/${id}/invio`, { id });
    expect((page.data as unknown as { missing: { key: string }[] }).missing.map((m) => m.key)).toContain("iban");
    const r = await call(send.action, sofia, `/domande/${id}/invio`, { id }, {});
    expect(r.data).toMatchObject({ ok: false, error: expect.stringContaining("La domanda è incompleta") });
    expect((await dataOf(id)).number).toBeNull();
  });
});

describe("sending", () => {
  async function completeDraft() {
    const id = await startDraft(new Request("http://localhost/"), { actor: actorOf(sofia.user, sofia.access), session: null as never }, procedureId);
    await call(wizard.action, sofia, `/domande/${id}`, { id }, page1);
    await call(wizard.action, sofia, `/domande/${id}`, { id }, { page: "assunzioni", intent: "avanti", numeroAssunti: "2", dataPrimaAssunzione: "2026-03-01", settore: "commercio", importoRichiesto: "10.000,50" });
    const pdf = new File([Buffer.from("%PDF-1.7\n%demo\n")], "visura.pdf", { type: "application/pdf" });
    const last = await call(wizard.action, sofia, `/domande/${id}`, { id }, { page: "pagamento", intent: "avanti", iban: "IT60X0542811101000000123456", dichiarazione: "true", visura: pdf });
    expect(last.location).toBe(`/domande/${id}/invio`);
    return id;
  }

  it("sends once on a double click, with the next number, ms time and hash; the receipt PDF follows", async () => {
    const id = await completeDraft();
    const results = await Promise.all([call(send.action, sofia, `/domande/${id}/invio`, { id }, {}), call(send.action, sofia, `/domande/${id}/invio`, { id }, {})]);
    expect(results.filter((r) => r.location === `/domande/${id}/riepilogo?inviata=1`)).toHaveLength(1);
    expect(results.filter((r) => r.data)).toEqual([expect.objectContaining({ data: { ok: false, error: "La domanda è già stata inviata: non può essere modificata né inviata di nuovo." } })]);
    const row = await dataOf(id);
    expect(row.state).toBe("inviata");
    expect(row.number).toBe(`DOM-${year}-000003`);
    expect(row.data).toMatchObject({ importoRichiesto: "10000.50" });
    const [counter] = await getDb().select().from(applicationCounters).where(eq(applicationCounters.procedureId, procedureId));
    expect(counter!.last).toBe(3);

    const again = await call(send.action, sofia, `/domande/${id}/invio`, { id }, {});
    expect(again.data).toMatchObject({ ok: false, error: "La domanda è già stata inviata: non può essere modificata né inviata di nuovo." });
    expect((await getDb().select().from(applicationCounters).where(eq(applicationCounters.procedureId, procedureId)))[0]!.last).toBe(3);

    const fileId = await makeReceipt(id);
    expect(await makeReceipt(id)).toBeNull();
    const got = await call(download.loader, sofia, `/domande/documenti/${fileId}`, { fileId: fileId! });
    const text = pdfText(new Uint8Array(await got.response!.arrayBuffer()));
    for (const s of [`Ricevuta della domanda DOM-${year}-000003`, "Contributo per nuove assunzioni 2026", "Richiedente: Sofia Romano", SOFIA, row.dataSha256!, "10.000,50", "Prova srl"]) expect(text).toContain(s);
    const luca = await signedInAs("SPSLCU90A01F839P", "Luca");
    expect((await call(download.loader, luca, `/domande/documenti/${fileId}`, { fileId: fileId! })).status).toBe(403);
  });

  it("refuses sending after the procedure closed, giving no number", async () => {
    const id = await completeDraft();
    await getDb().update(procedures).set({ applicationsCloseOn: "2020-01-01" }).where(eq(procedures.id, procedureId));
    try {
      const r = await call(send.action, sofia, `/domande/${id}/invio`, { id }, {});
      expect(r.data).toMatchObject({ ok: false, error: "Il termine per presentare domanda per questo procedimento è scaduto: la domanda non può essere inviata." });
      const row = await dataOf(id);
      expect([row.state, row.number]).toEqual(["bozza", null]);
    } finally {
      await getDb().update(procedures).set({ applicationsCloseOn: null }).where(eq(procedures.id, procedureId));
    }
  });
});

describe("withdrawal", () => {
  it("lets the applicant withdraw before a decision, only their own", async () => {
    const id = await startDraft(new Request("http://localhost/"), { actor: actorOf(sofia.user, sofia.access), session: null as never }, procedureId);
    const luca = await signedInAs("SPSLCU90A01F839P", "Luca");
    expect((await call(summary.action, luca, `/domande/${id}/riepilogo`, { id }, { intent: "ritira" })).status).toBe(403);
    expect((await dataOf(id)).state).toBe("bozza");
    const r = await call(summary.action, sofia, `/domande/${id}/riepilogo`, { id }, { intent: "ritira" });
    expect(r.data).toEqual({ ok: true, message: "Domanda ritirata." });
    expect((await dataOf(id)).state).toBe("ritirata");
    const again = await call(summary.action, sofia, `/domande/${id}/riepilogo`, { id }, { intent: "ritira" });
    expect(again.data).toMatchObject({ ok: false, error: expect.stringContaining("non è ammessa nel suo stato") });
  });
});

describe("form models", () => {
  it("refuses an import with unknown components, storing nothing", async () => {
    const before = (await getDb().select({ n: count() }).from(formModels))[0]!.n;
    const bad = { display: "wizard", components: [{ type: "panel", key: "p", title: "P", components: [{ type: "signature", key: "firma", label: "Firma" }, { type: "textfield", key: "a", label: "A", calculateValue: "1" }] }] };
    await expect(importFormModel(getDb(), { system: "test" }, procedureId, bad)).rejects.toThrow(DefinitionRefused);
    await expect(importFormModel(getDb(), { system: "test" }, procedureId, bad)).rejects.toThrow(
      "Modello non importato (nessuna modifica salvata): components[0] («p»).components[0] («firma»): tipo di componente non supportato: «signature»; components[0] («p»).components[1] («a»): proprietà non supportata per «textfield»: «calculateValue»",
    );
    expect((await getDb().select({ n: count() }).from(formModels))[0]!.n).toBe(before);
  });

  it("never changes a published version", async () => {
    const [published] = await getDb().select().from(formModels).where(eq(formModels.status, "published"));
    await expect(getDb().update(formModels).set({ definition: { display: "wizard", components: [] } }).where(eq(formModels.id, published!.id))).rejects.toThrow();
  });
});

describe("sign-in", () => {
  it("keeps the applicant's name from the SAML attributes", async () => {
    const [u] = await getDb().select().from(users).where(eq(users.fiscalCode, SOFIA));
    expect(u!.name).toBe("Sofia");
  });
});
