import { and, count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "~/auth/guards.server";
import { loadSession } from "~/auth/session.server";
import { decideEnablementRequest, submitEnablementRequests } from "~/enablement/enablement.server";
import {
  answerTicket,
  askForInformation,
  assignTicket,
  closeTicket,
  FOLLOW_AFTER_CLOSE_MS,
  hashToken,
  openTicket,
  reopenTicket,
  senderReply,
  takeTicket,
  type NewTicket,
} from "~/helpdesk/tickets.server";
import { CLIENT_IP_HEADER } from "~/lib/request.server";
import { addOrgUnit, addUserWithAccess } from "~/registry/registry.server";
import * as followRoute from "~/routes/assistenza.segui.$token";
import * as newTicketRoute from "~/routes/assistenza._index";
import * as operatorTicketRoute from "~/routes/helpdesk.$id";
import * as queueRoute from "~/routes/helpdesk._index";
import * as ownTicketRoute from "~/routes/assistenza.richieste.$id";
import * as phoneRoute from "~/routes/helpdesk.telefono";
import * as queuesAdminRoute from "~/routes/admin.helpdesk";
import { getDb, getSql } from "~db/client";
import { accesses, auditLog, helpdeskQueues, machineHistory, mailOutbox, practices, ticketAttachments, ticketCounters, ticketMessages, tickets } from "~db/schema";
import { fixture, uploadAndProcess } from "../support/uploads";
import { cookieFor, GESTORE_DEMO, PEOPLE, seedDemo, statusOf, userOf, viewerOf } from "../support/actors";

const HELPDESK = "MRCSLV87S62A271O";
const OTHER_OPERATOR = "BNCLSE80A41H501L";
const pdf = Buffer.from("%PDF-1.4\n% allegato\n%%EOF\n");

async function actor(cf: string): Promise<Actor> {
  const v = await viewerOf(cf);
  const u = await userOf(cf);
  return { ...v, fiscalCode: cf, name: u.name, surname: u.surname, email: u.email, accessId: "" };
}

let uploadId: string;
let sara: Actor, other: Actor, giulia: Actor, ferri: Actor, paolo: Actor, anna: Actor;

/** Everything a refused help-desk change could have written. */
async function helpdeskState() {
  const db = getDb();
  const n = async (t: typeof tickets | typeof ticketMessages | typeof ticketAttachments | typeof machineHistory | typeof mailOutbox) =>
    (await db.select({ n: count() }).from(t))[0]!.n;
  return JSON.stringify({
    counts: [await n(tickets), await n(ticketMessages), await n(ticketAttachments), await n(machineHistory), await n(mailOutbox)],
    counters: await db.select().from(ticketCounters),
    rows: await db.select({ id: tickets.id, state: tickets.state, assignee: tickets.assigneeUserId, closedAt: tickets.closedAt }).from(tickets),
  });
}

const publicTicket = (over: Partial<NewTicket> = {}): NewTicket => ({
  name: "Mario Bianchi",
  email: "mario.bianchi@example.it",
  category: "tecnica",
  subject: "Non riesco ad accedere",
  body: "Dopo SPID la pagina resta bianca.",
  channel: "web",
  ...over,
});

const anonymous = { actor: null, ip: "127.0.0.1" };

function tokenFromMail(text: string) {
  const m = /\/assistenza\/segui\/([A-Za-z0-9_-]+)/.exec(text);
  if (!m) throw new Error("no follow link in mail");
  return m[1]!;
}

async function lastMailTo(to: string) {
  const rows = await getDb().select().from(mailOutbox).where(eq(mailOutbox.recipient, to));
  return rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).at(-1)!;
}

beforeAll(async () => {
  await seedDemo();
  uploadId = (await uploadAndProcess(GESTORE_DEMO, fixture("valid-first.txt"))).upload.id;
  const who = { system: "test" };
  await addOrgUnit(getDb(), who, { code: "ASSIST-GIUR", name: "Ufficio legale" });
  await addUserWithAccess(getDb(), who, { cf: OTHER_OPERATOR, name: "Elisa", surname: "Bianco", email: "elisa.bianco@regione.example.it", role: "operatore_helpdesk", orgUnit: "ASSIST-GIUR" });
  await getSql()`update helpdesk_queues set org_unit_id = (select id from org_units where code = 'ASSIST-GIUR') where category = 'giuridica'`;
  [sara, other, giulia, ferri, paolo, anna] = await Promise.all([HELPDESK, OTHER_OPERATOR, PEOPLE.operatore, PEOPLE.altroOperatore, PEOPLE.dirigente, PEOPLE.amministratore].map(actor));
});

describe("opening a ticket", () => {
  it("from the public area: a number without gaps, the acceptance mail with a follow link that opens only that ticket", async () => {
    const year = new Date().getFullYear();
    const { status, data } = await statusOf(newTicketRoute.action, {
      path: "/assistenza",
      form: { name: "Mario Bianchi", email: "mario.bianchi@example.it", category: "tecnica", subject: "Accesso", body: "La pagina resta bianca." },
    });
    expect(status).toBe(200);
    expect(data).toMatchObject({ ok: true, number: `HD-${year}-000001` });
    const mail = await lastMailTo("mario.bianchi@example.it");
    expect(mail.subject).toContain(`HD-${year}-000001`);
    const token = tokenFromMail(mail.text);
    expect(token.length).toBeGreaterThanOrEqual(43);
    const [row] = await getDb().select().from(tickets).where(eq(tickets.number, `HD-${year}-000001`));
    // Only the hash is stored; the token itself is only in the mail.
    expect(row!.followTokenHash).toBe(hashToken(token));
    expect(JSON.stringify(row)).not.toContain(token);
    const page = await statusOf(followRoute.loader, { path: `/assistenza/segui/${token}`, params: { token } });
    expect(page.status).toBe(200);
    expect(page.data).toMatchObject({ number: `HD-${year}-000001`, subject: "Accesso", state: "new" });
    // A different first character: a changed ending could equal the real one (it did once in CI).
    const forged = (token[0] === "A" ? "B" : "A") + token.slice(1);
    const wrong = await statusOf(followRoute.loader, { path: "/assistenza/segui/x", params: { token: forged } });
    expect(wrong.status).toBe(404);
    expect(await wrong.response!.text()).toContain("Collegamento non valido o scaduto");
    const history = await getDb().select().from(machineHistory).where(and(eq(machineHistory.machine, "ticket"), eq(machineHistory.objectId, row!.id)));
    expect(history.map((h) => [h.event, h.toState])).toEqual([["START", "new"]]);
    const audits = (await getDb().select().from(auditLog).where(eq(auditLog.objectId, row!.id))).map((a) => a.action);
    expect(audits).toEqual(expect.arrayContaining(["ticket.start", "ticket.view"]));
  });

  it("numbers concurrent tickets one after the other, and a refused one takes no number", async () => {
    const before = (await getDb().select().from(ticketCounters))[0]?.last ?? 0;
    await expect(openTicket(anonymous, publicTicket({ attachment: { name: "virus.exe", bytes: Buffer.from("MZ") } }))).rejects.toThrow(/Formato non ammesso/);
    const opened = await Promise.all(Array.from({ length: 8 }, (_, i) => openTicket(anonymous, publicTicket({ subject: `Richiesta ${i}` }))));
    const seqs = opened.map((o) => Number(o.number.slice(-6))).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 8 }, (_, i) => before + 1 + i));
  });

  let refusedFrom = 0;
  it.each([
    ["no e-mail", { email: "" }, "E-mail: campo obbligatorio"],
    ["a bad e-mail", { email: "mario@" }, "E-mail: indirizzo non valido"],
    ["an unknown category", { category: "commerciale" }, "Categoria: scegliere tecnica, funzionale o giuridica"],
    ["no text", { body: "   " }, "Testo: campo obbligatorio"],
    ["no subject", { subject: "" }, "Oggetto: campo obbligatorio"],
    ["a NUL in the text", { body: "a\u0000b" }, "Testo"],
  ])("refuses %s with an Italian message, and nothing changes", async (_, over, message) => {
    const before = await helpdeskState();
    const form = { name: "Mario Bianchi", email: "mario.bianchi@example.it", category: "tecnica", subject: "Accesso", body: "Testo", ...over };
    // Each from its own address: the public form's per-address limit has its own test (helpdesk-more).
    const { data } = await statusOf(newTicketRoute.action, { path: "/assistenza", form, headers: { [CLIENT_IP_HEADER]: `203.0.113.${++refusedFrom}` } });
    expect(data).toMatchObject({ ok: false });
    expect((data as { error: string }).error).toContain(message);
    expect(await helpdeskState()).toBe(before);
  });

  it("refuses an attachment of a format not admitted, or whose content is not its format, and nothing changes", async () => {
    const before = await helpdeskState();
    await expect(openTicket(anonymous, publicTicket({ attachment: { name: "finto.pdf", bytes: Buffer.from("non un pdf") } }))).rejects.toThrow(
      "Il contenuto del file non corrisponde al formato .pdf.",
    );
    await expect(openTicket(anonymous, publicTicket({ attachment: { name: "vuoto.pdf", bytes: Buffer.alloc(0) } }))).rejects.toThrow("Il file è vuoto.");
    expect(await helpdeskState()).toBe(before);
  });

  it("by a signed-in gestore about one of their practices; another gestore's practice or upload is refused and nothing changes", async () => {
    const [own] = await getDb().select().from(practices).where(eq(practices.gestoreId, giulia.gestoreId!)).limit(1);
    const opened = await openTicket({ actor: giulia }, publicTicket({ name: "Giulia Bianchi", email: giulia.email, about: { kind: "practice", id: own!.id }, attachment: { name: "schermata.pdf", bytes: pdf } }));
    const [row] = await getDb().select().from(tickets).where(eq(tickets.id, opened.id));
    expect(row).toMatchObject({ senderUserId: giulia.userId, followTokenHash: null, subjectKind: "practice", subjectRef: String(own!.id) });
    expect(opened.token).toBeNull();
    expect((await lastMailTo(giulia.email)).text).toContain(`/assistenza/richieste/${opened.id}`);
    expect(await getDb().select({ n: count() }).from(ticketAttachments).where(eq(ticketAttachments.ticketId, opened.id))).toEqual([{ n: 1 }]);
    const before = await helpdeskState();
    await expect(openTicket({ actor: ferri }, publicTicket({ about: { kind: "practice", id: own!.id } }))).rejects.toThrow(/outside the viewer's scope/);
    await expect(openTicket({ actor: ferri }, publicTicket({ about: { kind: "upload", id: uploadId } }))).rejects.toThrow(/outside the viewer's scope/);
    expect(await helpdeskState()).toBe(before);
    // The sender reads it from the reserved area; another gestore's person is refused.
    expect((await statusOf(ownTicketRoute.loader, { path: "/", params: { id: opened.id }, cookie: await cookieFor(PEOPLE.operatore) })).status).toBe(200);
    expect((await statusOf(ownTicketRoute.loader, { path: "/", params: { id: opened.id }, cookie: await cookieFor(PEOPLE.altroOperatore) })).status).toBe(403);
  });

  it("refuses linking a practice from the public area and a phone ticket by someone who is not an operator", async () => {
    const before = await helpdeskState();
    await expect(openTicket(anonymous, publicTicket({ about: { kind: "practice", id: 1 } }))).rejects.toThrow("Solo chi ha eseguito l'accesso");
    await expect(openTicket({ actor: giulia }, publicTicket({ channel: "telefono" }))).rejects.toThrow("Solo gli operatori dell'help desk registrano le chiamate.");
    expect((await statusOf(phoneRoute.action, { path: "/helpdesk/telefono", cookie: await cookieFor(PEOPLE.funzionario), form: { name: "x" } })).status).toBe(403);
    expect(await helpdeskState()).toBe(before);
  });
});

describe("working a ticket", () => {
  it("take, ask for information (clock stops), the visitor answers by the link, answer, close, reopen within 10 days", async () => {
    const opened = await openTicket(anonymous, publicTicket({ email: "visitatore@example.it" }));
    const token = opened.token!;
    const t0 = Date.now();
    const at = (min: number) => new Date(t0 + min * 60_000);
    await takeTicket({ actor: sara }, opened.id, at(1));
    await askForInformation({ actor: sara }, opened.id, "Quale browser usa?", at(2));
    expect((await lastMailTo("visitatore@example.it")).text).toContain("una richiesta di informazioni");
    const waiting = await statusOf(followRoute.loader, { path: "/", params: { token } });
    expect(waiting.data).toMatchObject({ state: "waiting" });
    await senderReply(anonymous, { token }, "Firefox 128", null, at(30));
    await answerTicket({ actor: sara }, opened.id, "Svuoti la cache e riprovi.", at(31));
    await closeTicket({ actor: sara }, opened.id, "", at(32));
    const [closed] = await getDb().select().from(tickets).where(eq(tickets.id, opened.id));
    expect(closed).toMatchObject({ state: "closed", assigneeUserId: sara.userId });
    const context = (closed!.snapshot as { context: { waits: unknown[]; firstAnsweredAt: string } }).context;
    expect(context.waits).toEqual([{ from: at(2).toISOString(), to: at(30).toISOString() }]);
    expect(context.firstAnsweredAt).toBe(at(2).toISOString());
    const history = await getDb().select().from(machineHistory).where(eq(machineHistory.objectId, opened.id));
    expect(history.map((h) => h.event)).toEqual(["START", "TAKE", "ASK_INFO", "SENDER_REPLY", "ANSWER", "CLOSE"]);
    // Reopened within 10 days of closing; later the same move is refused with nothing changed.
    await reopenTicket(anonymous, { token }, "Non funziona ancora", at(32 + 60 * 24 * 9));
    await closeTicket({ actor: sara }, opened.id, "", at(32 + 60 * 24 * 9 + 1));
    const before = await helpdeskState();
    await expect(reopenTicket(anonymous, { token }, "", at(32 + 60 * 24 * 20))).rejects.toThrow(
      "La richiesta si può riaprire solo entro 10 giorni dalla chiusura: inviane una nuova.",
    );
    expect(await helpdeskState()).toBe(before);
    // The follow link stops working 30 days after the ticket was closed.
    const closedAt = (await getDb().select().from(tickets).where(eq(tickets.id, opened.id)))[0]!.closedAt!;
    await expect(senderReply(anonymous, { token }, "ancora", null, new Date(closedAt.getTime() + FOLLOW_AFTER_CLOSE_MS + 1000))).rejects.toThrow("Richiesta di assistenza non trovata.");
    expect(await helpdeskState()).toBe(before);
  });

  it("refuses answering a ticket one does not hold, and a second take by the holder, with nothing changed", async () => {
    const opened = await openTicket(anonymous, publicTicket());
    const before = await helpdeskState();
    await expect(answerTicket({ actor: sara }, opened.id, "Risposta")).rejects.toThrow("Prendi in carico la richiesta prima di rispondere");
    expect(await helpdeskState()).toBe(before);
    await takeTicket({ actor: sara }, opened.id);
    const taken = await helpdeskState();
    await expect(takeTicket({ actor: sara }, opened.id)).rejects.toThrow("La richiesta è già in carico a te o è chiusa.");
    expect(await helpdeskState()).toBe(taken);
    const via = await statusOf(operatorTicketRoute.action, { path: "/", params: { id: opened.id }, cookie: await cookieFor(HELPDESK), form: { csrf: "x", intent: "ask", body: "" } });
    expect(via.status).toBe(403); // no CSRF token: refused before anything
  });

  it("assigns only within the ticket's queue", async () => {
    const opened = await openTicket(anonymous, publicTicket());
    const before = await helpdeskState();
    await expect(assignTicket({ actor: sara }, opened.id, other.userId)).rejects.toThrow("Si può assegnare solo a un operatore della coda della richiesta.");
    expect(await helpdeskState()).toBe(before);
  });

  it("shows a queue's tickets only to the operators of its org unit: not to other operators, officials or administrators", async () => {
    const tecnica = await openTicket(anonymous, publicTicket({ category: "tecnica" }));
    const giuridica = await openTicket(anonymous, publicTicket({ category: "giuridica" }));
    const saraCookie = await cookieFor(HELPDESK);
    const otherCookie = await cookieFor(OTHER_OPERATOR);
    expect((await statusOf(operatorTicketRoute.loader, { path: "/", params: { id: tecnica.id }, cookie: saraCookie })).status).toBe(200);
    expect((await statusOf(operatorTicketRoute.loader, { path: "/", params: { id: giuridica.id }, cookie: saraCookie })).status).toBe(403);
    expect((await statusOf(operatorTicketRoute.loader, { path: "/", params: { id: tecnica.id }, cookie: otherCookie })).status).toBe(403);
    expect((await statusOf(operatorTicketRoute.loader, { path: "/", params: { id: giuridica.id }, cookie: otherCookie })).status).toBe(200);
    for (const cf of [PEOPLE.dirigente, PEOPLE.amministratore, PEOPLE.funzionario, PEOPLE.operatore])
      expect((await statusOf(queueRoute.loader, { path: "/helpdesk", cookie: await cookieFor(cf) })).status).toBe(403);
    const list = await statusOf(queueRoute.loader, { path: "/helpdesk", cookie: otherCookie });
    const numbers = (list.data as { rows: { number: string; category: string }[] }).rows.map((r) => r.category);
    expect(new Set(numbers)).toEqual(new Set(["giuridica"]));
    await expect(takeTicket({ actor: other }, tecnica.id)).rejects.toThrow(/outside the viewer's scope/);
  });

  it("registers a phone call with the caller's details and the channel", async () => {
    const { cookie, csrf } = await sessionOf(HELPDESK);
    const { data } = await statusOf(phoneRoute.action, {
      path: "/helpdesk/telefono",
      cookie,
      form: { csrf, name: "Carla Verdi", phone: "+39 071 1234567", email: "", category: "funzionale", subject: "Come invio il flusso", body: "Chiede come si invia il flusso mensile." },
    });
    expect(data).toMatchObject({ ok: true });
    const [row] = await getDb().select().from(tickets).where(eq(tickets.number, (data as { number: string }).number));
    expect(row).toMatchObject({ channel: "telefono", senderName: "Carla Verdi", senderPhone: "+39 071 1234567", senderEmail: "", createdBy: sara.userId });
    const before = await helpdeskState();
    const bad = await statusOf(phoneRoute.action, {
      path: "/helpdesk/telefono",
      cookie,
      form: { csrf, name: "Carla Verdi", phone: "chiamami", category: "funzionale", subject: "x", body: "y" },
    });
    expect((bad.data as { error: string }).error).toContain("Telefono: solo cifre");
    expect(await helpdeskState()).toBe(before);
  });
});

describe("the operatore help desk role", () => {
  it("is asked for by a dirigente for their org unit and granted by an administrator, through the enablement requests", async () => {
    const submitted = await submitEnablementRequests({ actor: { ...paolo }, ip: null }, [
      { surname: "Galli", name: "Marta", fiscalCode: "GLLMRT85M41A271X", email: "marta.galli@regione.example.it", role: "operatore_helpdesk" },
    ], { confirmMismatch: true });
    expect(submitted.ok).toBe(true);
    const id = (submitted as { ids: string[] }).ids[0]!;
    await decideEnablementRequest({ actor: anna, ip: null }, id, { decision: "approve" });
    const [granted] = await getDb().select().from(accesses).where(and(eq(accesses.role, "operatore_helpdesk"), eq(accesses.orgUnitId, paolo.orgUnitId!)));
    expect(granted).toBeDefined();
  });
});

describe("the queues, set by an administrator", () => {
  const queues = () => getDb().select().from(helpdeskQueues).orderBy(helpdeskQueues.category);

  it.each([
    ["hours that are not a number", { firstAnswerHours: "otto" }, "Prima risposta (ore lavorative): indicare un numero intero"],
    ["zero hours", { firstAnswerHours: "0" }, "Prima risposta (ore lavorative): almeno 1"],
    ["a resolution before the first answer", { firstAnswerHours: "10", resolutionHours: "5" }, "Soluzione (ore lavorative): non meno della prima risposta"],
    ["an unknown org unit", { orgUnitId: "00000000-0000-4000-8000-000000000000" }, "Struttura non trovata"],
    ["a form older than the stored queue", { version: "0" }, "Un altro amministratore ha modificato questi dati"],
  ])("refuses %s with an Italian message, and nothing changes", async (_, over, message) => {
    const { cookie, csrf } = await sessionOf(PEOPLE.amministratore);
    const [tecnica] = (await queues()).filter((q) => q.category === "tecnica");
    await getSql()`update helpdesk_queues set version = 2 where category = 'tecnica'`;
    const before = JSON.stringify(await queues());
    const form = { csrf, category: "tecnica", orgUnitId: tecnica!.orgUnitId ?? "", firstAnswerHours: "8", resolutionHours: "40", version: "2", ...over };
    const { data } = await statusOf(queuesAdminRoute.action, { path: "/admin/helpdesk", cookie, form });
    expect(data).toMatchObject({ ok: false });
    expect((data as { error: string }).error).toContain(message);
    expect(JSON.stringify(await queues())).toBe(before);
  });

  it("saves a queue's org unit and service levels, audited; only administrators may", async () => {
    const { cookie, csrf } = await sessionOf(PEOPLE.amministratore);
    const [q] = (await queues()).filter((r) => r.category === "funzionale");
    const { data } = await statusOf(queuesAdminRoute.action, {
      path: "/admin/helpdesk",
      cookie,
      form: { csrf, category: "funzionale", orgUnitId: other.orgUnitId!, firstAnswerHours: "4", resolutionHours: "16", version: String(q!.version) },
    });
    expect(data).toMatchObject({ ok: true, message: "Coda «Assistenza funzionale» aggiornata." });
    expect((await queues()).find((r) => r.category === "funzionale")).toMatchObject({ orgUnitId: other.orgUnitId, firstAnswerHours: 4, resolutionHours: 16, version: q!.version + 1 });
    expect(await getDb().select().from(auditLog).where(and(eq(auditLog.action, "helpdesk_queue.update"), eq(auditLog.objectId, "funzionale")))).toHaveLength(1);
    for (const cf of [PEOPLE.dirigente, HELPDESK]) expect((await statusOf(queuesAdminRoute.loader, { path: "/admin/helpdesk", cookie: await cookieFor(cf) })).status).toBe(403);
  });
});

/** A demo person's session cookie and its CSRF token, as the page's form carries it. */
async function sessionOf(cf: string) {
  const cookie = await cookieFor(cf);
  const session = await loadSession(new Request("http://localhost:3999/", { headers: { cookie } }));
  return { cookie, csrf: session!.csrfToken };
}
