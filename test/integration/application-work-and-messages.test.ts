import crypto from "node:crypto";
import { and, count, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { NOT_YOUR_APPLICATION } from "~/backoffice/handling.server";
import { actorOf } from "~/auth/guards.server";
import { worklist } from "~/backoffice/worklist.server";
import { seedDemoApplications } from "~/demo/applications";
import { seedDemoCatalogue } from "~/demo/catalogue";
import { personalFiscalCodeCheckChar } from "~/lib/fiscal-code";
import { addOrgUnit, addUserWithAccess } from "~/registry/registry.server";
import * as officeFile from "~/routes/domande-ricevute.documenti.$fileId";
import * as office from "~/routes/domande-ricevute.$id";
import * as ownFile from "~/routes/domande.documenti.$fileId";
import * as summary from "~/routes/domande.$id.riepilogo";
import * as worklistRoute from "~/routes/lavorazione";
import * as messagesPage from "~/routes/messaggi._index";
import { getDb } from "~db/client";
import { applicationFiles, applications, auditLog, machineHistory, threadMessages, workItems } from "~db/schema";
import { PEOPLE, seedDemo } from "../support/actors";
import { call, personAs, signedInAs, type Who } from "../support/applicants";

/**
 * Issue 15, the officials' side completed: online applications taken in charge with the
 * practices' work items (ADR 112), their threads on the messages page (ADR 114), and
 * attachments on their messages (ADR 113).
 */

const SOFIA = "RMNSFO88C52H501R";
const MARTA = "GRCMRT84H50A271E";
const cf = (first15: string) => first15 + personalFiscalCodeCheckChar(first15);
const OUTSIDER = cf("BNCLSE80A41A271");

let sofia: Who;
let luca: Who;
let marta: Who;
let laura: Who;
let paolo: Who;
let outsider: Who;
let gestore: Who;
let sent: typeof applications.$inferSelect;

const PDF = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), crypto.randomBytes(64)]);
const file = (bytes: Buffer, name: string, type = "application/octet-stream") => new File([new Uint8Array(bytes)], name, { type });

const itemOf = async (applicationId: string) => (await getDb().select().from(workItems).where(eq(workItems.applicationId, applicationId)))[0] ?? null;
const historyCount = async () => (await getDb().select({ n: count() }).from(machineHistory).where(eq(machineHistory.machine, "work_item")))[0]!.n;
const counts = async () => ({
  messages: (await getDb().select({ n: count() }).from(threadMessages))[0]!.n,
  files: (await getDb().select({ n: count() }).from(applicationFiles))[0]!.n,
});
const page = (w: Who) => `/domande-ricevute/${sent.id}`;

beforeAll(async () => {
  await seedDemo();
  await seedDemoCatalogue(process.env.DATABASE_URL!);
  await seedDemoApplications();
  sofia = await signedInAs(SOFIA, "Sofia");
  luca = await signedInAs(cf("SPSLCU90A01F839"), "Luca");
  marta = await personAs(MARTA);
  laura = await personAs(PEOPLE.funzionario);
  paolo = await personAs(PEOPLE.dirigente);
  gestore = await personAs(PEOPLE.operatore);
  await addOrgUnit(getDb(), { system: "test" }, { code: "UFF-ESTRANEO", name: "Ufficio estraneo" });
  await addUserWithAccess(getDb(), { system: "test" }, { cf: OUTSIDER, name: "Elisa", surname: "Bianchi", email: "elisa.bianchi@regione.example.it", role: "funzionario", orgUnit: "UFF-ESTRANEO" });
  outsider = await personAs(OUTSIDER);
  [sent] = await getDb().select().from(applications).where(and(eq(applications.applicantUserId, sofia.user.id), eq(applications.state, "inviata")));
}, 120_000);

describe("taking an online application in charge, with the practices' work items (ADR 112)", () => {
  it("lets an official of its offices take it from the worklist: shown in the worklist and on its page, audited", async () => {
    const r = await call(worklistRoute.action, laura, "/lavorazione", {}, { intent: "work", action: "take", applicationId: sent.id });
    expect(r.data).toEqual({ ok: true, message: "Domanda presa in carico." });
    expect(await itemOf(sent.id)).toMatchObject({ state: "in_charge", assigneeUserId: laura.user.id, practiceId: null, gestoreId: null });
    const [audited] = await getDb().select().from(auditLog).where(and(eq(auditLog.action, "work_item.take"), eq(auditLog.actorUserId, laura.user.id), sql`${auditLog.details}->>'applicationId' = ${sent.id}`));
    expect(audited).toBeDefined();
    const rows = (await worklist(actorOf(laura.user, laura.access), new URL("http://localhost/lavorazione?categoria=domanda"))).rows;
    expect(rows.find((x) => x.application?.id === sent.id)!.handling).toMatchObject({ state: "in_charge", assigneeUserId: laura.user.id, assignee: `${laura.user.name} ${laura.user.surname}` });
    const seen = (await call(office.loader, laura, page(laura), { id: sent.id })).data as unknown as { work: { workItem: { state: string; assignee: string }; colleagues: { userId: string }[] } };
    expect(seen.work.workItem).toMatchObject({ state: "in_charge", assignee: `${laura.user.name} ${laura.user.surname}` });
    // Assignable colleagues are of the official's unit and among the application's offices.
    expect(seen.work.colleagues.map((c) => c.userId)).toContain(paolo.user.id);
    expect(seen.work.colleagues.map((c) => c.userId)).not.toContain(outsider.user.id);
  });

  it("refuses a double take, in Italian, writing nothing", async () => {
    const before = await historyCount();
    const r = await call(office.action, laura, page(laura), { id: sent.id }, { intent: "work", action: "take" });
    expect(r.data).toEqual({ ok: false, error: "La domanda è già in carico a te." });
    expect(await historyCount()).toBe(before);
  });

  it("refuses an official outside its offices (audited), a forged id and an unknown one, writing nothing", async () => {
    const before = { history: await historyCount(), item: await itemOf(sent.id) };
    const r = await call(worklistRoute.action, outsider, "/lavorazione", {}, { intent: "work", action: "take", applicationId: sent.id });
    expect(r.data).toEqual({ ok: false, error: NOT_YOUR_APPLICATION });
    const [denied] = await getDb().select().from(auditLog).where(and(eq(auditLog.action, "access.denied"), eq(auditLog.actorUserId, outsider.user.id)));
    expect(denied).toMatchObject({ objectId: sent.id, details: { reason: "application_scope", intent: "work" } });
    // From the application's page the outsider is stopped earlier: the page's own audited 403.
    expect((await call(office.action, outsider, page(outsider), { id: sent.id }, { intent: "work", action: "take" })).status).toBe(403);
    expect((await call(worklistRoute.action, laura, "/lavorazione", {}, { intent: "work", action: "take", applicationId: crypto.randomUUID() })).data).toEqual({ ok: false, error: "Domanda non trovata." });
    expect((await call(worklistRoute.action, laura, "/lavorazione", {}, { intent: "work", action: "take", applicationId: "1 or 1=1" })).data).toEqual({ ok: false, error: "Domanda non valida." });
    expect((await call(worklistRoute.action, laura, "/lavorazione", {}, { intent: "work", action: "take", applicationId: sent.id, practiceId: "1" })).data).toEqual({ ok: false, error: "Indicare la pratica o la domanda da lavorare." });
    // A draft is nobody's in the back office.
    const [draft] = await getDb().select().from(applications).where(and(eq(applications.applicantUserId, sofia.user.id), eq(applications.state, "bozza")));
    expect((await call(worklistRoute.action, laura, "/lavorazione", {}, { intent: "work", action: "take", applicationId: draft!.id })).data).toEqual({ ok: false, error: NOT_YOUR_APPLICATION });
    expect(await historyCount()).toBe(before.history);
    expect(await itemOf(sent.id)).toEqual(before.item);
    expect(await itemOf(draft!.id)).toBeNull();
  });

  it("asks a colleague to confirm before taking it over, then reassigns and releases it per the practices' rules", async () => {
    const r = await call(office.action, paolo, page(paolo), { id: sent.id }, { intent: "work", action: "take" });
    expect(r.data).toMatchObject({ ok: false, takeOver: { applicationId: sent.id, code: sent.number, holder: `${laura.user.name} ${laura.user.surname}` } });
    expect((await itemOf(sent.id))!.assigneeUserId).toBe(laura.user.id);
    const taken = await call(office.action, paolo, page(paolo), { id: sent.id }, { intent: "work", action: "take", takeOver: "1" });
    expect(taken.data).toEqual({ ok: true, message: "Domanda presa in carico." });
    // Only to a colleague of the same unit among the application's offices.
    const wrong = await call(office.action, paolo, page(paolo), { id: sent.id }, { intent: "work", action: "assign", assignee: outsider.user.id });
    expect(wrong.data).toEqual({ ok: false, error: "Si può assegnare la domanda solo a un funzionario o dirigente della propria struttura, tra gli uffici della domanda." });
    expect((await itemOf(sent.id))!.assigneeUserId).toBe(paolo.user.id);
    expect((await call(office.action, paolo, page(paolo), { id: sent.id }, { intent: "work", action: "assign", assignee: laura.user.id })).data).toEqual({ ok: true, message: "Domanda assegnata." });
    expect((await itemOf(sent.id))!.assigneeUserId).toBe(laura.user.id);
    expect((await call(office.action, laura, page(laura), { id: sent.id }, { intent: "work", action: "release" })).data).toEqual({ ok: true, message: "Domanda rilasciata." });
    expect(await itemOf(sent.id)).toMatchObject({ state: "open", assigneeUserId: null });
    expect((await call(office.action, laura, page(laura), { id: sent.id }, { intent: "work", action: "release" })).data).toEqual({ ok: false, error: "La domanda non è in carico a nessuno." });
    const events = await getDb().select({ event: machineHistory.event }).from(machineHistory).innerJoin(workItems, eq(workItems.id, machineHistory.objectId)).where(eq(workItems.applicationId, sent.id));
    expect(events.map((e) => e.event)).toEqual(expect.arrayContaining(["TAKE", "ASSIGN", "RELEASE"]));
  });
});

describe("application threads on the officials' messages page (ADR 114)", () => {
  type Row = { kind: string; href: string; with: string; about: string | null; unread: number };
  const threadsOf = async (w: Who) => ((await call(messagesPage.loader, w, "/messaggi", {})).data as unknown as { threads: Row[] }).threads;

  it("shows the threads of the official's offices with the applicant's unread messages, and none to others", async () => {
    await call(summary.action, sofia, `/domande/${sent.id}/riepilogo`, { id: sent.id }, { intent: "messaggio", body: "Avete ricevuto la visura?" });
    const ofLaura = (await threadsOf(laura)).filter((t) => t.kind === "domanda");
    const row = ofLaura.find((t) => t.href === `/domande-ricevute/${sent.id}#messaggi`)!;
    expect(row).toMatchObject({ with: expect.stringContaining("(richiedente)"), about: expect.stringContaining(sent.number!) });
    expect(row.unread).toBeGreaterThanOrEqual(1);
    expect((await threadsOf(marta)).some((t) => t.href === row.href)).toBe(true);
    expect((await threadsOf(outsider)).filter((t) => t.kind === "domanda")).toEqual([]);
    expect((await threadsOf(gestore)).filter((t) => t.kind === "domanda")).toEqual([]);
    // Opening the application marks the applicant's messages read for the office.
    await call(office.loader, laura, page(laura), { id: sent.id });
    expect((await threadsOf(laura)).find((t) => t.href === row.href)!.unread).toBe(0);
  });
});

describe("attachments on application messages (ADR 113)", () => {
  it("stores the applicant's attachment with its SHA-256 and lets the offices download it, audited", async () => {
    const r = await call(summary.action, sofia, `/domande/${sent.id}/riepilogo`, { id: sent.id }, { intent: "messaggio", body: "Allego la visura aggiornata.", file: file(PDF, "visura-2026.pdf", "application/pdf") });
    expect(r.data).toEqual({ ok: true, message: "Messaggio inviato con l'allegato." });
    const [stored] = await getDb().select().from(applicationFiles).where(and(eq(applicationFiles.applicationId, sent.id), eq(applicationFiles.kind, "messaggio")));
    expect(stored).toMatchObject({ fileName: "visura-2026.pdf", contentType: "application/pdf", sizeBytes: PDF.length, sha256: crypto.createHash("sha256").update(PDF).digest("hex") });
    const [message] = await getDb().select().from(threadMessages).where(eq(threadMessages.id, stored!.messageId!));
    expect(message).toMatchObject({ side: "richiedente", body: "Allego la visura aggiornata." });
    const seen = (await call(office.loader, laura, page(laura), { id: sent.id })).data as unknown as { thread: { messages: { id: string; files: { id: string; fileName: string }[] }[] } };
    expect(seen.thread.messages.find((m) => m.id === message!.id)!.files).toEqual([{ id: stored!.id, fileName: "visura-2026.pdf", sizeBytes: PDF.length }]);
    for (const w of [laura, marta]) {
      const got = await call(officeFile.loader, w, `/domande-ricevute/documenti/${stored!.id}`, { fileId: stored!.id });
      expect(got.status).toBe(200);
      expect(Buffer.from(await got.response!.arrayBuffer()).equals(PDF)).toBe(true);
      const [audited] = await getDb().select().from(auditLog).where(and(eq(auditLog.action, "application.file_download"), eq(auditLog.actorUserId, w.user.id), sql`${auditLog.details}->>'fileId' = ${stored!.id}`));
      expect(audited).toMatchObject({ objectId: sent.id, details: { kind: "messaggio" } });
    }
  });

  it("stores the office's attachment and lets only the applicant download it; others get an audited 403", async () => {
    const r = await call(office.action, laura, page(laura), { id: sent.id }, { intent: "messaggio", body: "Ecco il modello da compilare.", file: file(PNG, "modello.png", "image/png") });
    expect(r.data).toEqual({ ok: true, message: "Messaggio inviato con l'allegato." });
    const [stored] = await getDb().select().from(applicationFiles).where(and(eq(applicationFiles.applicationId, sent.id), eq(applicationFiles.fileName, "modello.png")));
    expect(stored).toMatchObject({ kind: "messaggio", contentType: "image/png", uploadedBy: laura.user.id });
    const got = await call(ownFile.loader, sofia, `/domande/documenti/${stored!.id}`, { fileId: stored!.id });
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.response!.arrayBuffer()).equals(PNG)).toBe(true);
    const [audited] = await getDb().select().from(auditLog).where(and(eq(auditLog.action, "application.file_download"), eq(auditLog.actorUserId, sofia.user.id), sql`${auditLog.details}->>'fileId' = ${stored!.id}`));
    expect(audited).toBeDefined();
    // Another applicant and an official of another office, also through the guessed id: 403, audited.
    expect((await call(ownFile.loader, luca, `/domande/documenti/${stored!.id}`, { fileId: stored!.id })).status).toBe(403);
    expect((await call(officeFile.loader, outsider, `/domande-ricevute/documenti/${stored!.id}`, { fileId: stored!.id })).status).toBe(403);
    for (const w of [luca, outsider]) {
      const denied = await getDb().select().from(auditLog).where(and(eq(auditLog.action, "access.denied"), eq(auditLog.actorUserId, w.user.id), sql`${auditLog.objectId} like ${`%${stored!.id}`}`));
      expect(denied.length).toBe(1);
    }
    expect((await call(ownFile.loader, sofia, `/domande/documenti/${crypto.randomUUID()}`, { fileId: crypto.randomUUID() })).status).toBe(404);
  });

  it("refuses a file too large, of the wrong type or not what it claims, and someone else's thread: Italian error, nothing written", async () => {
    const before = await counts();
    const big = Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024)]);
    const post = (w: Who, f: File) => call(summary.action, w, `/domande/${sent.id}/riepilogo`, { id: sent.id }, { intent: "messaggio", body: "Con allegato", file: f });
    expect((await post(sofia, file(big, "grande.pdf"))).data).toEqual({ ok: false, error: "Allegato: il file supera la dimensione massima di 10MB: il messaggio non è stato inviato." });
    expect((await post(sofia, file(Buffer.from("MZ\x90\x00"), "programma.exe"))).data).toEqual({ ok: false, error: "Allegato: tipo di file non ammesso (PDF, JPEG, PNG): il messaggio non è stato inviato." });
    expect((await post(sofia, file(PNG, "finto.pdf"))).data).toEqual({ ok: false, error: "Allegato: tipo di file non ammesso (PDF, JPEG, PNG): il messaggio non è stato inviato." });
    expect((await call(office.action, laura, page(laura), { id: sent.id }, { intent: "messaggio", body: "Vuoto", file: file(Buffer.alloc(0), "vuoto.pdf") })).data).toEqual({ ok: false, error: "Allegato: il file è vuoto: il messaggio non è stato inviato." });
    expect((await post(luca, file(PDF, "intruso.pdf"))).status).toBe(403);
    expect((await call(office.action, outsider, page(outsider), { id: sent.id }, { intent: "messaggio", body: "Intruso", file: file(PDF, "intruso.pdf") })).status).toBe(403);
    expect(await counts()).toEqual(before);
  });
});
