import { and, count, desc, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureApplicant } from "~/applications/applicant.server";
import type { Actor } from "~/auth/guards.server";
import { commitSessionCookie, createSession } from "~/auth/session.server";
import { searchCatalogue } from "~/catalogue/catalogue.server";
import { seedDemoApplications } from "~/demo/applications";
import { seedDemoCatalogue } from "~/demo/catalogue";
import { proposeFaqFromTicket, saveFaq } from "~/faq/faq.server";
import { publicTicketWait } from "~/helpdesk/public-limit.server";
import { answerTicket, openTicket, takeTicket } from "~/helpdesk/tickets.server";
import { CLIENT_IP_HEADER } from "~/lib/request.server";
import * as faqPublicRoute from "~/routes/istruzioni.domande-frequenti";
import * as catalogueRoute from "~/routes/procedimenti._index";
import * as newTicketRoute from "~/routes/assistenza._index";
import * as operatorTicketRoute from "~/routes/helpdesk.$id";
import * as faqAdminRoute from "~/routes/admin.faq._index";
import { getDb, getSql } from "~db/client";
import { applications, auditLog, faqEntries, machineHistory, mailOutbox, sessions, ticketCounters, ticketMessages, tickets } from "~db/schema";
import { cookieFor, PEOPLE, seedDemo, statusOf, userOf, viewerOf } from "../support/actors";

/** Issue 17, the rest: frequent answers, the public form's rate limit, tickets about applications (ADRs 99, 100). */

const SILVIA = "MRCSLV87S62A271O";
const SOFIA = "RMNSFO88C52H501R";

async function actor(cf: string): Promise<Actor> {
  const v = await viewerOf(cf);
  const u = await userOf(cf);
  return { ...v, fiscalCode: cf, name: u.name, surname: u.surname, email: u.email, accessId: "" };
}

async function applicant(fiscalCode: string, name: string) {
  const { user, access } = await getSql().begin((tx) => ensureApplicant(tx, { fiscalCode, name, surname: "Prova", email: `${fiscalCode.toLowerCase()}@example.it` }, { system: "test" }, new Date()));
  const token = await createSession(getDb(), { userId: user.id, accessId: access.id });
  const [s] = await getDb().select().from(sessions).where(eq(sessions.userId, user.id)).orderBy(desc(sessions.createdAt)).limit(1);
  return { cookie: (await commitSessionCookie(token)).split(";")[0]!, csrf: s!.csrfToken, user };
}

/** A route call with a multipart body, as the browser posts the ticket form. */
async function post(fn: (args: never) => Promise<unknown>, path: string, fields: Record<string, string>, headers: Record<string, string> = {}, params: Record<string, string> = {}) {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  const request = new Request(`http://localhost:3999${path}`, { method: "POST", headers, body });
  try {
    const result = await fn({ request, params, context: {} } as never);
    if (result instanceof Response) return { status: result.status, response: result, data: (await result.clone().json().catch(() => null)) as { ok: boolean; error?: string } | null };
    return { status: 200, response: null, data: result as { ok: boolean; error?: string; message?: string } };
  } catch (e) {
    if (e instanceof Response) return { status: e.status, response: e, data: null };
    throw e;
  }
}

async function helpdeskState() {
  const db = getDb();
  const n = async (t: typeof tickets | typeof ticketMessages | typeof machineHistory | typeof mailOutbox | typeof faqEntries) => (await db.select({ n: count() }).from(t))[0]!.n;
  return JSON.stringify({ counts: [await n(tickets), await n(ticketMessages), await n(machineHistory), await n(mailOutbox), await n(faqEntries)], counters: await db.select().from(ticketCounters) });
}

const ticket = { name: "Mario Bianchi", email: "mario.bianchi@example.it", category: "tecnica", subject: "Accesso", body: "La pagina resta bianca." };

let silvia: Actor, anna: Actor;

beforeAll(async () => {
  await seedDemo();
  await seedDemoCatalogue(process.env.DATABASE_URL!);
  await seedDemoApplications();
  [silvia, anna] = await Promise.all([SILVIA, PEOPLE.amministratore].map(actor));
}, 120_000);

describe("the public form's rate limit", () => {
  it("after 5 posts in an hour from one address the next is 429 with an Italian message and writes nothing; another address goes on", async () => {
    const from = { [CLIENT_IP_HEADER]: "192.0.2.17" };
    for (let i = 0; i < 5; i++) expect((await post(newTicketRoute.action, "/assistenza", { ...ticket, subject: "" }, from)).data).toMatchObject({ ok: false });
    const before = await helpdeskState();
    const refused = await post(newTicketRoute.action, "/assistenza", ticket, from);
    expect(refused.status).toBe(429);
    expect(Number(refused.response!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(refused.data!.error).toMatch(/^Troppe richieste di assistenza .* riprovare tra \d+ minut[oi]\. Nessuna richiesta è stata registrata\.$/);
    expect(await helpdeskState()).toBe(before);
    const [denied] = await getDb().select().from(auditLog).where(and(eq(auditLog.action, "ticket.open"), eq(auditLog.ip, "192.0.2.17")));
    expect(denied).toMatchObject({ outcome: "failure", details: { reason: "rate_limited" } });
    const other = await post(newTicketRoute.action, "/assistenza", ticket, { [CLIENT_IP_HEADER]: "192.0.2.18" });
    expect(other.data).toMatchObject({ ok: true });
  });

  it("counts every address together too: past the hour's total, any address waits", async () => {
    const later = new Date(Date.now() + 5 * 3_600_000); // a window no other test has touched
    const limits = { perAddressPerHour: 100, perHour: 2 };
    const from = (ip: string) => new Request("http://localhost/assistenza", { method: "POST", headers: { [CLIENT_IP_HEADER]: ip } });
    expect(await publicTicketWait(from("198.51.100.1"), limits, later)).toBe(0);
    expect(await publicTicketWait(from("198.51.100.2"), limits, later)).toBe(0);
    expect(await publicTicketWait(from("198.51.100.3"), limits, later)).toBeGreaterThan(0);
  });

  it("does not count signed-in senders", async () => {
    const sofia = await applicant(SOFIA, "Sofia");
    const from = { [CLIENT_IP_HEADER]: "192.0.2.17", cookie: sofia.cookie };
    const r = await post(newTicketRoute.action, "/assistenza", { csrf: sofia.csrf, category: "tecnica", subject: "Firma", body: "Come firmo la domanda?" }, from);
    expect(r.data).toMatchObject({ ok: true });
  });
});

describe("tickets about applications", () => {
  it("an applicant opens a ticket about their own application and the operator sees the link; another's application is refused, audited, nothing written", async () => {
    const sofia = await applicant(SOFIA, "Sofia");
    const [own] = await getDb().select().from(applications).where(and(eq(applications.applicantUserId, sofia.user.id), eq(applications.state, "inviata")));
    const page = await statusOf(newTicketRoute.loader, { path: `/assistenza?domanda=${own!.id}`, cookie: sofia.cookie });
    expect(page.data).toMatchObject({ domanda: own!.id });
    expect((page.data as { applications: { value: string }[] }).applications.map((a) => a.value)).toContain(own!.id);

    const r = await post(newTicketRoute.action, "/assistenza", { csrf: sofia.csrf, category: "funzionale", subject: "Allegato mancante", body: "Devo aggiungere un documento.", domanda: own!.id }, { cookie: sofia.cookie });
    expect(r.data).toMatchObject({ ok: true });
    const [row] = await getDb().select().from(tickets).where(eq(tickets.subject, "Allegato mancante"));
    expect(row).toMatchObject({ senderUserId: sofia.user.id, subjectKind: "application", subjectRef: own!.id });
    const seen = await statusOf(operatorTicketRoute.loader, { path: `/helpdesk/${row!.id}`, params: { id: row!.id }, cookie: await cookieFor(SILVIA) });
    expect((seen.data as { subjectLabel: string }).subjectLabel).toBe(`la domanda ${own!.number} — Contributo per nuove assunzioni 2026`);

    const intruder = await applicant("BNCMRA85T10H501X", "Mara");
    const before = await helpdeskState();
    const refused = await post(newTicketRoute.action, "/assistenza", { csrf: intruder.csrf, category: "funzionale", subject: "Curiosità", body: "Vorrei vedere questa domanda.", domanda: own!.id }, { cookie: intruder.cookie });
    expect(refused.data).toMatchObject({ ok: false, error: "Non hai i permessi per questa operazione." });
    expect((await statusOf(newTicketRoute.loader, { path: `/assistenza?domanda=${own!.id}`, cookie: intruder.cookie })).status).toBe(403);
    expect(await helpdeskState()).toBe(before);
    const denials = await getDb().select().from(auditLog).where(and(eq(auditLog.action, "access.denied"), eq(auditLog.actorUserId, intruder.user.id)));
    expect(denials.map((d) => (d.details as { reason: string }).reason)).toEqual(["application_scope", "application_scope"]);
    // A gestore cannot link an application either, even naming a real one.
    await expect(openTicket({ actor: await actor(PEOPLE.operatore) }, { ...ticket, category: "tecnica", channel: "web", about: { kind: "application", id: own!.id } })).rejects.toThrow(/outside the viewer's scope/);
    expect(await helpdeskState()).toBe(before);
  });
});

describe("frequent answers", () => {
  it("an administrator writes one from scratch: a draft is not public, published it is on the instructions and found by the catalogue's search; withdrawn it is gone; each step audited", async () => {
    const who = { actor: anna, ip: "127.0.0.1" };
    const draft = await saveFaq(getDb(), who, null, { question: "Come recupero la ricevuta di una domanda?", answer: "La ricevuta è nell'area personale, sezione Le mie ricevute.", category: "funzionale", intent: "draft" });
    expect(draft.status).toBe("draft");
    expect(await searchCatalogue(getDb(), "ricevuta", { kinds: ["faq"] })).toEqual([]);
    await saveFaq(getDb(), who, draft.id, { question: draft.question, answer: draft.answer, category: "funzionale", intent: "publish" });
    const hits = await searchCatalogue(getDb(), "ricevuta domanda");
    expect(hits.map((h) => [h.kind, h.id])).toContainEqual(["faq", draft.id]);
    const catalogue = await statusOf(catalogueRoute.loader, { path: "/procedimenti?q=ricevuta" });
    expect((catalogue.data as { results: { href: string }[] }).results.map((r) => r.href)).toContain(`/istruzioni/domande-frequenti#faq-${draft.id}`);
    const publicPage = await statusOf(faqPublicRoute.loader, { path: "/istruzioni/domande-frequenti?q=ricevute" });
    expect(publicPage.data).toMatchObject({ results: [{ id: draft.id, kind: "faq" }] });
    expect((publicPage.data as { entries: { id: string }[] }).entries.map((e) => e.id)).toContain(draft.id);
    // Only published answers: the search restricted to them finds no procedure.
    expect((await searchCatalogue(getDb(), "contributo", { kinds: ["faq"] })).length).toBe(0);
    await saveFaq(getDb(), who, draft.id, { question: draft.question, answer: draft.answer, intent: "unpublish" });
    expect(await searchCatalogue(getDb(), "ricevuta", { kinds: ["faq"] })).toEqual([]);
    const trail = await getDb().select().from(auditLog).where(eq(auditLog.objectId, draft.id)).orderBy(auditLog.id);
    expect(trail.map((a) => a.action)).toEqual(["faq.create", "faq.publish", "faq.unpublish"]);
  });

  it("refuses an empty question or answer with the Italian message and writes nothing; only administrators reach the page", async () => {
    const cookie = await cookieFor(PEOPLE.amministratore);
    const [s] = await getDb().select().from(sessions).where(sql`true`).orderBy(sql`created_at desc`).limit(1);
    const before = await helpdeskState();
    const r = await post(faqAdminRoute.action, "/admin/faq", { csrf: s!.csrfToken, question: "", answer: "", intent: "publish" }, { cookie });
    expect(r.data).toMatchObject({ ok: false, fields: { question: "Domanda: campo obbligatorio", answer: "Risposta: campo obbligatorio" } });
    expect(await helpdeskState()).toBe(before);
    expect((await statusOf(faqAdminRoute.loader, { path: "/admin/faq", cookie: await cookieFor(SILVIA) })).status).toBe(403);
  });

  it("an operator proposes a ticket's answer as a draft, once; the administrator publishes it", async () => {
    const opened = await openTicket({ actor: null, ip: "127.0.0.1" }, { ...ticket, category: "tecnica", subject: "Come cambio la password?", body: "Non la ricordo.", channel: "web" });
    await takeTicket({ actor: silvia }, opened.id);
    await answerTicket({ actor: silvia }, opened.id, "Dalla pagina Sicurezza dell'accesso locale, con «Cambia la password».");
    const messages = await getDb().select().from(ticketMessages).where(eq(ticketMessages.ticketId, opened.id));
    const answer = messages.find((m) => m.kind === "risposta")!;
    const request = messages.find((m) => m.kind === "richiesta")!;
    const who = { actor: silvia, ip: "127.0.0.1" };
    await expect(proposeFaqFromTicket(getDb(), who, opened.id, request.id)).rejects.toThrow("Si può proporre come domanda frequente solo una risposta dell'help desk.");
    const draft = await proposeFaqFromTicket(getDb(), who, opened.id, answer.id);
    expect(draft).toMatchObject({ status: "draft", question: "Come cambio la password?", sourceTicketId: opened.id, category: "tecnica" });
    const before = await helpdeskState();
    await expect(proposeFaqFromTicket(getDb(), who, opened.id, answer.id)).rejects.toThrow("Da questa richiesta è già stata proposta una domanda frequente.");
    // An administrator does not read tickets, so cannot propose one (ADR 70).
    await expect(proposeFaqFromTicket(getDb(), { actor: anna, ip: null }, opened.id, answer.id)).rejects.toThrow(/outside the viewer's scope/);
    expect(await helpdeskState()).toBe(before);
    const admin = await statusOf(faqAdminRoute.loader, { path: "/admin/faq", cookie: await cookieFor(PEOPLE.amministratore) });
    expect((admin.data as { entries: { id: string; ticketNumber: string | null }[] }).entries.find((e) => e.id === draft.id)).toMatchObject({ ticketNumber: opened.number });
    await saveFaq(getDb(), { actor: anna, ip: null }, draft.id, { question: draft.question, answer: draft.answer, intent: "publish" });
    expect((await searchCatalogue(getDb(), "password")).map((h) => h.id)).toContain(draft.id);
    const [proposed] = await getDb().select().from(auditLog).where(and(eq(auditLog.action, "faq.propose"), eq(auditLog.objectId, draft.id)));
    expect(proposed).toMatchObject({ actorUserId: silvia.userId });
  });
});
