import { eq } from "drizzle-orm";
import { PDFDocument } from "pdf-lib";
import { beforeAll, describe, expect, it } from "vitest";
import { openThread, reply } from "~/backoffice/threads.server";
import * as documentRoute from "~/routes/documenti.$id";
import * as worklistRoute from "~/routes/lavorazione";
import * as exportRoute from "~/routes/lavorazione.esporta";
import * as threadRoute from "~/routes/messaggi.$id";
import * as threadsRoute from "~/routes/messaggi._index";
import * as pdfRoute from "~/routes/pratiche.$id.fascicolo[.]pdf";
import * as practiceRoute from "~/routes/pratiche.$id";
import { getDb, getSql } from "~db/client";
import { auditLog, documents, gestori, practices, sessions, threads, workItems } from "~db/schema";
import { cookieFor, GESTORE_ALTRO, GESTORE_DEMO, PEOPLE, seedDemo, statusOf, userOf, viewerOf } from "../support/actors";
import { pdfText } from "../support/pdf-text";
import { fixture, uploadAndProcess } from "../support/uploads";

let practiceId: number;
let threadId: string;
let documentId: string;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  await seedDemo();
  await uploadAndProcess(GESTORE_DEMO, fixture("valid-first.txt"));
  const [p] = await getDb().select().from(practices).where(eq(practices.code, "PR-0002"));
  practiceId = p!.id;
  await getSql()`update measures set max_days_istruttoria = 90 where code = 'COVID-LIQ'`;
  for (const who of ["operatore", "altroOperatore", "funzionario", "osservatore"] as const) cookies[who] = await cookieFor(PEOPLE[who]);
  const laura = { ...(await viewerOf(PEOPLE.funzionario)), fiscalCode: PEOPLE.funzionario, name: "Laura", surname: "Neri", email: "laura.neri@regione.example.it", accessId: "" };
  ({ threadId } = await openThread({ actor: laura }, { practiceId, kind: "chiarimento", subject: "Chiarimenti", body: "Testo", dueOn: "2026-12-01" }));
  const g = await userOf(PEOPLE.operatore);
  const giulia = { ...(await viewerOf(PEOPLE.operatore)), fiscalCode: PEOPLE.operatore, name: g.name, surname: g.surname, email: g.email, accessId: "" };
  await reply({ actor: giulia }, threadId, "Risposta", { file: { name: "risposta.pdf", bytes: Buffer.from("%PDF-1.4\n%%EOF\n") }, docType: "chiarimenti" });
  const [d] = await getDb().select().from(documents);
  documentId = d!.id;
});

describe("back-office pages", () => {
  it("Lavorazione: officials only", async () => {
    expect((await statusOf(worklistRoute.loader, { path: "/lavorazione", cookie: cookies.funzionario })).status).toBe(200);
    expect((await statusOf(worklistRoute.loader, { path: "/lavorazione", cookie: cookies.operatore })).status).toBe(403);
    expect((await statusOf(worklistRoute.loader, { path: "/lavorazione", cookie: cookies.osservatore })).status).toBe(403);
  });

  it("a thread, its attachment and the dossier PDF are refused to another gestore (audited 403)", async () => {
    const c = cookies.altroOperatore;
    expect((await statusOf(threadRoute.loader, { path: `/messaggi/${threadId}`, params: { id: threadId }, cookie: c })).status).toBe(403);
    expect((await statusOf(documentRoute.loader, { path: `/documenti/${documentId}`, params: { id: documentId }, cookie: c })).status).toBe(403);
    expect((await statusOf(pdfRoute.loader, { path: `/pratiche/${practiceId}/fascicolo.pdf`, params: { id: String(practiceId) }, cookie: c })).status).toBe(403);
    const list = await statusOf(threadsRoute.loader, { path: "/messaggi", cookie: c });
    expect((list.data as { threads: unknown[] }).threads).toEqual([]);
    const denied = await getDb().select().from(auditLog).where(eq(auditLog.action, "access.denied"));
    expect(denied.map((d) => (d.details as { reason: string }).reason)).toEqual(expect.arrayContaining(["thread_scope", "document_scope", "practice_scope"]));
  });

  it("the gestore downloads its attachment byte for byte", async () => {
    const { status, response } = await statusOf(documentRoute.loader, { path: `/documenti/${documentId}`, params: { id: documentId }, cookie: cookies.operatore });
    expect(status).toBe(200);
    expect(Buffer.from(await response!.arrayBuffer()).toString()).toBe("%PDF-1.4\n%%EOF\n");
    const rows = await getDb().select().from(auditLog).where(eq(auditLog.objectId, documentId));
    expect(rows.map((r) => [r.action, r.actorFiscalCode])).toContainEqual(["document.download", PEOPLE.operatore]);
  });

  it("the dossier PDF carries the practice code, its documents, the platform name and the generation time", async () => {
    const { status, response } = await statusOf(pdfRoute.loader, { path: `/pratiche/${practiceId}/fascicolo.pdf`, params: { id: String(practiceId) }, cookie: cookies.funzionario });
    expect(status).toBe(200);
    expect(response!.headers.get("content-type")).toBe("application/pdf");
    const bytes = new Uint8Array(await response!.arrayBuffer());
    const doc = await PDFDocument.load(bytes);
    expect(doc.getTitle()).toBe("Fascicolo della pratica PR-0002");
    const text = pdfText(bytes);
    expect(text).toContain("Fascicolo della pratica PR-0002");
    expect(text).toContain("Regione Demo");
    expect(text).toMatch(/Generato il \d{1,2}\/\d{1,2}\/\d{4}/);
    expect(text).toContain("risposta.pdf (v1)");
    expect(text).toContain("Richiesta di chiarimenti (scadenza 01/12/2026, risposta ricevuta): Chiarimenti");
    const rows = await getDb().select().from(auditLog).where(eq(auditLog.action, "practice.dossier_pdf"));
    expect(rows.map((r) => r.objectId)).toEqual([String(practiceId)]);
  });

  it("the practice page takes the practice in charge through a form with its CSRF token, and refuses one without", async () => {
    const [s] = await getDb().select().from(sessions).where(eq(sessions.userId, (await userOf(PEOPLE.funzionario)).id));
    const form = { intent: "work", action: "take", csrf: s!.csrfToken };
    const bad = await statusOf(practiceRoute.action, { path: `/pratiche/${practiceId}`, params: { id: String(practiceId) }, cookie: cookies.funzionario, form: { ...form, csrf: "x" } });
    expect(bad.status).toBe(403);
    expect(await getDb().select().from(workItems)).toEqual([]);
    const ok = await statusOf(practiceRoute.action, { path: `/pratiche/${practiceId}`, params: { id: String(practiceId) }, cookie: cookies.funzionario, form });
    expect(ok.data).toEqual({ ok: true, message: "Pratica presa in carico." });
    const [item] = await getDb().select().from(workItems);
    expect(item!.state).toBe("in_charge");
    const invalid = await statusOf(practiceRoute.action, { path: `/pratiche/${practiceId}`, params: { id: String(practiceId) }, cookie: cookies.funzionario, form: { ...form, action: "elimina" } });
    expect(invalid.data).toEqual({ ok: false, error: "Azione non valida." });
    const gestore = await statusOf(practiceRoute.action, {
      path: `/pratiche/${practiceId}`, params: { id: String(practiceId) }, cookie: cookies.operatore,
      form: { ...form, csrf: (await getDb().select().from(sessions).where(eq(sessions.userId, (await userOf(PEOPLE.operatore)).id)))[0]!.csrfToken },
    });
    expect(gestore.data).toEqual({ ok: false, error: "Solo i funzionari e i dirigenti possono lavorare le pratiche." });
  });

  it("a message to several gestori: preview writes nothing, then one thread per gestore and the refused one with its reason", async () => {
    const csrf = (await getDb().select().from(sessions).where(eq(sessions.userId, (await userOf(PEOPLE.funzionario)).id)))[0]!.csrfToken;
    await getSql()`update gestori set active = false where fiscal_code = ${GESTORE_ALTRO}`;
    const all = await getDb().select().from(gestori);
    const demo = all.find((g) => g.fiscalCode === GESTORE_DEMO)!;
    const altro = all.find((g) => g.fiscalCode === GESTORE_ALTRO)!;
    const body = new URLSearchParams({ csrf, subject: "Avviso", body: "Nuove istruzioni di invio." });
    body.append("gestori", demo.id);
    body.append("gestori", altro.id);
    const send = async (intent: string) => {
      const b = new URLSearchParams(body);
      b.set("intent", intent);
      const request = new Request("http://localhost:3999/messaggi", { method: "POST", headers: { cookie: cookies.funzionario, "content-type": "application/x-www-form-urlencoded" }, body: b });
      return threadsRoute.action({ request, params: {}, context: {} });
    };
    const before = (await getDb().select().from(threads)).length;
    const preview = await send("message-preview");
    expect(preview).toMatchObject({ ok: true, preview: [{ code: demo.name, ok: true }, { code: altro.name, ok: false, outcome: "Ente gestore non attivo." }] });
    expect((await getDb().select().from(threads)).length).toBe(before);
    const sent = await send("message-send");
    expect(sent).toMatchObject({ ok: true, message: "Messaggio inviato a 1 enti su 2.", results: [{ ok: true, outcome: "Inviato." }, { ok: false, outcome: "Ente gestore non attivo." }] });
    const after = await getDb().select().from(threads).where(eq(threads.subject, "Avviso"));
    expect(after.map((t) => t.gestoreId)).toEqual([demo.id]);
    const empty = new URLSearchParams({ csrf, subject: "Avviso", body: "x", intent: "message-send" });
    const refused = await threadsRoute.action({ request: new Request("http://localhost:3999/messaggi", { method: "POST", headers: { cookie: cookies.funzionario, "content-type": "application/x-www-form-urlencoded" }, body: empty }), params: {}, context: {} });
    expect(refused).toEqual({ ok: false, error: "Selezionare almeno un ente gestore." });
    expect((await getDb().select().from(threads)).length).toBe(before + 1);
  });

  it("exports the selected practices as CSV, lists the refused ones, audits the export; refuses gestori", async () => {
    const csrf = (await getDb().select().from(sessions).where(eq(sessions.userId, (await userOf(PEOPLE.funzionario)).id)))[0]!.csrfToken;
    const body = new URLSearchParams({ csrf });
    body.append("ids", String(practiceId));
    body.append("ids", "999999");
    const request = new Request("http://localhost:3999/lavorazione/esporta", { method: "POST", headers: { cookie: cookies.funzionario, "content-type": "application/x-www-form-urlencoded" }, body });
    const response = (await exportRoute.action({ request, params: {}, context: {} })) as Response;
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const text = await response.text();
    expect(text).toMatch(/PR-0002;Confidi Demo Marche;COVID-LIQ;In istruttoria;\d{2}\/\d{2}\/\d{4};\d+,\d{2};/);
    expect(text).toMatch(/;(Da prendere in carico|In carico|Conclusa);/);
    expect(text).not.toMatch(/in_charge|IN_ISTRUTTORIA/);
    expect(text).toContain("999999;;;;;;;;;;esclusa: pratica non trovata");
    const [row] = await getDb().select().from(auditLog).where(eq(auditLog.action, "work_item.bulk_export"));
    expect(row).toMatchObject({ actorFiscalCode: PEOPLE.funzionario, details: { requested: 2, exported: 1 } });
    expect((await statusOf(exportRoute.action, { path: "/lavorazione/esporta", cookie: cookies.operatore, form: { csrf: "x", ids: "1" } })).status).toBe(403);
  });

  it("the gestore adds a document and a new version from the dossier tab; a refused file writes nothing", async () => {
    const csrf = (await getDb().select().from(sessions).where(eq(sessions.userId, (await userOf(PEOPLE.operatore)).id)))[0]!.csrfToken;
    const post = async (file: File, extra: Record<string, string> = {}) => {
      const fd = new FormData();
      fd.set("csrf", csrf);
      fd.set("intent", "document");
      fd.set("docType", "integrazione");
      for (const [k, v] of Object.entries(extra)) fd.set(k, v);
      fd.set("file", file);
      const request = new Request(`http://localhost:3999/pratiche/${practiceId}`, { method: "POST", headers: { cookie: cookies.operatore }, body: fd });
      return practiceRoute.action({ request, params: { id: String(practiceId) }, context: {} });
    };
    const count = async () => (await getDb().select().from(documents)).length;
    const before = await count();
    expect(await post(new File(["MZ"], "virus.exe"))).toEqual({ ok: false, error: expect.stringContaining("Formato non ammesso") });
    expect(await post(new File(["%PDF-1.4"], "x.pdf"), { docType: "segreto" })).toEqual({ ok: false, error: "Tipo di documento non valido." });
    expect(await count()).toBe(before);
    expect(await post(new File(["una riga"], "nota.txt"))).toEqual({ ok: true, message: "Documento nota.txt salvato." });
    const [first] = await getDb().select().from(documents).where(eq(documents.fileName, "nota.txt"));
    expect(first!.side).toBe("gestore");
    expect(await post(new File(["due righe"], "nota.txt"), { seriesId: first!.seriesId })).toEqual({ ok: true, message: "Nuova versione (v2) di nota.txt salvata." });
    const versions = await getDb().select().from(documents).where(eq(documents.seriesId, first!.seriesId));
    expect(versions.map((v) => v.version).sort()).toEqual([1, 2]);
    const audits = await getDb().select().from(auditLog).where(eq(auditLog.action, "document.add"));
    expect(audits.map((a) => a.actorFiscalCode)).toEqual([PEOPLE.operatore, PEOPLE.operatore]);
  });
});
