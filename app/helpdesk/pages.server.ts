import { isUuid } from "~db/uuid";
import { json } from "@remix-run/node";
import { audit } from "~/audit/audit.server";
import { forbidden, getSignedIn, requireForm, requireInScope, type Actor, type SignedIn } from "~/auth/guards.server";
import { MAX_DOCUMENT_BYTES, type IncomingFile } from "~/backoffice/documents.server";
import { FieldErrors, InputError, parseFields } from "~/lib/errors";
import { formValues, runForm } from "~/lib/form-action.server";
import { clientIp } from "~/lib/request.server";
import { listExtraHolidays } from "~/timeliness/settings.server";
import { getDb } from "~db/client";
import { applicationsOfApplicant } from "~db/queries/applications";
import { faqFromTicket } from "~db/queries/faq";
import {
  applicationForTicket,
  applicationLabel,
  getTicketByTokenHash,
  getTicketForOperator,
  getTicketForSender,
  listQueueTickets,
  listSenderTickets,
  operatorsOfQueue,
  ticketAttachment,
  ticketThread,
  type TicketRow,
} from "~db/queries/helpdesk";
import { OutOfScopeError } from "~db/scope";
import { TICKET_STATES, type helpdeskQueues } from "~db/schema";
import type { TicketContext } from "~workflows/ticket.machine";
import { REOPEN_WITHIN_MS } from "~workflows/ticket.machine";
import { proposeFaqFromTicket } from "~/faq/faq.server";
import { publicTicketWait, waitMessage } from "./public-limit.server";
import { assignForm, messageForm, optionalMessageForm, phoneTicketForm, ticketForm } from "./input";
import { queuesAdminData, updateQueue } from "./queues.server";
import { slaStatus } from "./sla";
import {
  answerTicket,
  askForInformation,
  assignTicket,
  closeTicket,
  followLinkValid,
  hashToken,
  openTicket,
  reopenTicket,
  senderReply,
  senderRole,
  takeTicket,
  type SenderKey,
} from "./tickets.server";

export type TicketActionResult = { ok: true; message: string; number?: string } | { ok: false; error: string; fields: Record<string, string>; values: Record<string, string> };

/** Runs a change; a refusal the user can act on becomes the page's message, anything else propagates. */
async function guarded(
  values: Record<string, string>,
  run: () => Promise<TicketActionResult>,
  refused?: { request: Request; actor: Actor | null },
): Promise<TicketActionResult> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof FieldErrors) return { ok: false, error: e.message, fields: e.fields, values };
    if (e instanceof InputError) return { ok: false, error: e.message, fields: e.field ? { [e.field]: e.message } : {}, values };
    if (e instanceof OutOfScopeError) {
      // Someone else's practice, upload or application named in the form: refused and audited.
      if (refused?.actor) await forbidden(refused.request, refused.actor, `${e.objectType}_scope`);
      return { ok: false, error: "Non hai i permessi per questa operazione.", fields: {}, values };
    }
    throw e;
  }
}



/** Forms with an optional file: the size is refused before the body is read. */
async function readForm(request: Request, signedIn: SignedIn | null) {
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > MAX_DOCUMENT_BYTES + 64 * 1024) throw new InputError("Il file supera la dimensione massima di 10 MB.", "file");
  if (signedIn) return requireForm(request, signedIn);
  return request.formData();
}

async function fileOf(form: FormData): Promise<IncomingFile | null> {
  const f = form.get("file");
  if (!f || typeof f === "string" || (f.size === 0 && !f.name)) return null;
  return { name: f.name, bytes: Buffer.from(await f.arrayBuffer()) };
}

const textValues = (form: FormData) => {
  const out: Record<string, string> = {};
  for (const [k, v] of form) if (k !== "csrf" && typeof v === "string") out[k] = v;
  return out;
};

const whoOf = (request: Request, actor: Actor | null) => ({ actor, ip: clientIp(request) });

// --- the public form -----------------------------------------------------------------------------

/** The sender as the form knows them: the signed-in gestore or official, or nobody (the public). */
async function senderOf(request: Request) {
  const signedIn = await getSignedIn(request);
  return signedIn && senderRole(signedIn.actor) ? signedIn : null;
}

export async function newTicketPage(request: Request) {
  const signedIn = await senderOf(request);
  const url = new URL(request.url);
  const pratica = signedIn ? url.searchParams.get("pratica") ?? "" : "";
  const caricamento = signedIn ? url.searchParams.get("caricamento") ?? "" : "";
  // An applicant picks one of their own applications (issue 15), preselected by ?domanda=<id>.
  const applicant = signedIn?.actor.role === "richiedente" ? signedIn : null;
  const ownApplications = applicant ? await applicationsOfApplicant(getDb(), applicant.actor) : [];
  const domanda = url.searchParams.get("domanda") ?? "";
  if (applicant && domanda) await requireInScope(request, applicant.actor, () => applicationForTicket(getDb(), applicant.actor, domanda), "Domanda non trovata.");
  return {
    sender: signedIn ? { name: `${signedIn.actor.name} ${signedIn.actor.surname}`, email: signedIn.actor.email } : null,
    about: /^\d{1,15}$/.test(pratica) ? { kind: "pratica", value: pratica } : isUuid(caricamento) ? { kind: "caricamento", value: caricamento } : null,
    applications: ownApplications.map((a) => ({ value: a.id, label: `${a.number ?? "Bozza"} — ${a.procedureTitle}` })),
    domanda: applicant ? domanda : "",
  };
}

export async function newTicketAction(request: Request) {
  const signedIn = await senderOf(request);
  let values: Record<string, string> = {};
  // Counted before the body is read: a refused post writes no ticket, number, message or mail.
  const wait = signedIn ? 0 : await publicTicketWait(request);
  if (wait) {
    const refused: TicketActionResult = { ok: false, error: waitMessage(wait), fields: {}, values: {} };
    return json(refused, { status: 429, headers: { "Retry-After": String(wait) } });
  }
  return guarded(values, async () => {
    const form = await readForm(request, signedIn);
    values = textValues(form);
    const sender = signedIn ? { name: `${signedIn.actor.name} ${signedIn.actor.surname}`, email: signedIn.actor.email } : {};
    const input = parseFields(ticketForm, { ...values, ...sender });
    const file = await fileOf(form);
    const about = input.pratica
      ? { kind: "practice" as const, id: Number(input.pratica) }
      : input.caricamento
        ? { kind: "upload" as const, id: input.caricamento }
        : input.domanda
          ? { kind: "application" as const, id: input.domanda }
          : null;
    const opened = await openTicket(whoOf(request, signedIn?.actor ?? null), { ...input, channel: "web", about, attachment: file });
    return {
      ok: true,
      number: opened.number,
      message: `Richiesta ricevuta con il numero ${opened.number}. Ti abbiamo inviato un'e-mail di conferma${signedIn ? "; la trovi anche tra le tue richieste di assistenza" : " con il collegamento per seguirla"}.`,
    };
  }, { request, actor: signedIn?.actor ?? null });
}

// --- what senders and operators read -------------------------------------------------------------

async function holidays() {
  return (await listExtraHolidays(getDb())).map((h) => ({ month: h.month, day: h.day, year: h.year, name: h.name }));
}

type QueueRow = typeof helpdeskQueues.$inferSelect;

function slaOf(ticket: TicketRow, queue: QueueRow, now: Date, extra: Awaited<ReturnType<typeof holidays>>) {
  const context = (ticket.snapshot as { context: TicketContext }).context;
  return slaStatus(
    { createdAt: ticket.createdAt, firstAnsweredAt: ticket.firstAnsweredAt, closedAt: ticket.closedAt, waits: context.waits, waitingSince: context.waitingSince },
    queue,
    now,
    extra,
  );
}

async function ticketView(found: { ticket: TicketRow; queue: QueueRow }, now: Date) {
  const { messages, attachments } = await ticketThread(getDb(), found.ticket.id);
  const t = found.ticket;
  const application = t.subjectKind === "application" && t.subjectRef ? await applicationLabel(getDb(), t.subjectRef) : null;
  return {
    id: t.id,
    number: t.number,
    category: t.category,
    state: t.state,
    channel: t.channel,
    subject: t.subject,
    senderName: t.senderName,
    senderEmail: t.senderEmail,
    senderPhone: t.senderPhone,
    subjectKind: t.subjectKind,
    subjectRef: t.subjectRef,
    subjectLabel: application ? `la domanda ${application.number ?? "(bozza)"} — ${application.procedure}` : null,
    createdAt: t.createdAt.toISOString(),
    closedAt: t.closedAt?.toISOString() ?? null,
    assigneeUserId: t.assigneeUserId,
    queueName: found.queue.name,
    reopenable: t.state === "closed" && t.closedAt !== null && now.getTime() - t.closedAt.getTime() <= REOPEN_WITHIN_MS,
    messages: messages.map((m) => ({
      id: m.message.id,
      side: m.message.side,
      kind: m.message.kind,
      body: m.message.body,
      createdAt: m.message.createdAt.toISOString(),
      author: m.authorName ? `${m.authorName} ${m.authorSurname}` : null,
    })),
    attachments,
  };
}

async function auditView(request: Request, actor: Actor | null, ticketId: string, via: string) {
  await audit(getDb(), whoOf(request, actor), { action: "ticket.view", objectType: "ticket", objectId: ticketId, details: { via } });
}

const NOT_FOUND = "Richiesta di assistenza non trovata.";
const LINK_GONE = "Collegamento non valido o scaduto: i collegamenti per seguire una richiesta valgono fino a 30 giorni dopo la sua chiusura.";

async function byToken(token: string, now: Date) {
  const found = /^[A-Za-z0-9_-]{20,100}$/.test(token) ? await getTicketByTokenHash(getDb(), hashToken(token)) : null;
  if (!found || !followLinkValid(found.ticket, now)) throw new Response(LINK_GONE, { status: 404 });
  return found;
}

export async function followPage(request: Request, token: string, now = new Date()) {
  const found = await byToken(token, now);
  await auditView(request, null, found.ticket.id, "follow_link");
  return { ...(await ticketView(found, now)), token };
}

export async function ownTicketsPage(request: Request, signedIn: SignedIn) {
  const rows = await listSenderTickets(getDb(), signedIn.actor);
  await audit(getDb(), whoOf(request, signedIn.actor), { action: "ticket.list_own", objectType: "ticket" });
  return rows.map((t) => ({ id: t.id, number: t.number, subject: t.subject, state: t.state, category: t.category, createdAt: t.createdAt.toISOString() }));
}

export async function ownTicketPage(request: Request, signedIn: SignedIn, id: string, now = new Date()) {
  const found = await requireInScope(request, signedIn.actor, () => getTicketForSender(getDb(), signedIn.actor, id), NOT_FOUND);
  await auditView(request, signedIn.actor, id, "sender");
  return ticketView(found, now);
}

/** The sender's two moves, from the follow link or from the reserved area. */
async function senderAction(request: Request, signedIn: SignedIn | null, key: SenderKey): Promise<TicketActionResult> {
  let values: Record<string, string> = {};
  return guarded(values, async () => {
    const form = await readForm(request, signedIn);
    values = textValues(form);
    const who = whoOf(request, signedIn?.actor ?? null);
    if (values.intent === "reopen") {
      const { body } = parseFields(optionalMessageForm, values);
      await reopenTicket(who, key, body);
      return { ok: true, message: "Richiesta riaperta: l'help desk la riprenderà in lavorazione." };
    }
    const { body } = parseFields(messageForm, values);
    await senderReply(who, key, body, await fileOf(form));
    return { ok: true, message: "Messaggio inviato all'help desk." };
  });
}

export async function followAction(request: Request, token: string, now = new Date()) {
  await byToken(token, now);
  return senderAction(request, null, { token });
}

export async function ownTicketAction(request: Request, signedIn: SignedIn, id: string) {
  return senderAction(request, signedIn, { actor: signedIn.actor, id });
}

// --- operators -----------------------------------------------------------------------------------

const FILTERS = ["open", ...TICKET_STATES] as const;

export async function queuePage(request: Request, signedIn: SignedIn, now = new Date()) {
  const url = new URL(request.url);
  const stateParam = url.searchParams.get("stato") ?? "open";
  const state = (FILTERS as readonly string[]).includes(stateParam) ? (stateParam as (typeof FILTERS)[number]) : "open";
  const mine = url.searchParams.get("mie") === "1";
  const db = getDb();
  const [{ queues, rows }, extra] = await Promise.all([listQueueTickets(db, signedIn.actor, { state, mine }), holidays()]);
  await audit(db, whoOf(request, signedIn.actor), { action: "ticket.list", objectType: "ticket", details: { state, mine } });
  const byCategory = new Map(queues.map((q) => [q.category, q]));
  return {
    state,
    mine,
    queues: queues.map((q) => ({ category: q.category, name: q.name, firstAnswerHours: q.firstAnswerHours, resolutionHours: q.resolutionHours })),
    rows: rows.map(({ ticket, assigneeName, assigneeSurname }) => {
      const sla = slaOf(ticket, byCategory.get(ticket.category)!, now, extra);
      return {
        id: ticket.id,
        number: ticket.number,
        subject: ticket.subject,
        category: ticket.category,
        state: ticket.state,
        channel: ticket.channel,
        createdAt: ticket.createdAt.toISOString(),
        assignee: assigneeName ? `${assigneeName} ${assigneeSurname}` : null,
        mine: ticket.assigneeUserId === signedIn.actor.userId,
        firstAnswerBreached: sla.firstAnswerBreached && ticket.state !== "closed",
        resolutionBreached: sla.resolutionBreached && ticket.state !== "closed",
      };
    }),
  };
}

export async function operatorTicketPage(request: Request, signedIn: SignedIn, id: string, now = new Date()) {
  const db = getDb();
  const found = await requireInScope(request, signedIn.actor, () => getTicketForOperator(db, signedIn.actor, id), NOT_FOUND);
  await auditView(request, signedIn.actor, id, "operator");
  const [view, operators, extra] = await Promise.all([ticketView(found, now), operatorsOfQueue(db, found.ticket.category, now), holidays()]);
  const sla = slaOf(found.ticket, found.queue, now, extra);
  return {
    ...view,
    me: signedIn.actor.userId,
    faqProposed: Boolean(await faqFromTicket(db, id)),
    operators: operators.map((o) => ({ value: o.userId, label: `${o.name} ${o.surname}` })),
    sla: { ...sla, firstAnswerHours: found.queue.firstAnswerHours, resolutionHours: found.queue.resolutionHours },
  };
}

export async function operatorTicketAction(request: Request, signedIn: SignedIn, id: string): Promise<TicketActionResult> {
  let values: Record<string, string> = {};
  return guarded(values, async () => {
    const form = await readForm(request, signedIn);
    values = textValues(form);
    const who = { actor: signedIn.actor, ip: clientIp(request) };
    switch (values.intent) {
      case "take":
        await takeTicket(who, id);
        return { ok: true, message: "Richiesta presa in carico." };
      case "assign": {
        const { userId } = parseFields(assignForm, values);
        await assignTicket(who, id, userId);
        return { ok: true, message: "Richiesta assegnata." };
      }
      case "ask":
        await askForInformation(who, id, parseFields(messageForm, values).body);
        return { ok: true, message: "Richiesta di informazioni inviata: il tempo di servizio è sospeso fino alla risposta." };
      case "answer":
        await answerTicket(who, id, parseFields(messageForm, values).body);
        return { ok: true, message: "Risposta inviata." };
      case "close":
        await closeTicket(who, id, parseFields(optionalMessageForm, { body: values.note }).body);
        return { ok: true, message: "Richiesta chiusa." };
      case "faq":
        await proposeFaqFromTicket(getDb(), who, id, values.messageId ?? "");
        return { ok: true, message: "Risposta proposta come domanda frequente: un amministratore la rivede, toglie eventuali dati personali e la pubblica." };
      default:
        throw new InputError("Operazione non valida.");
    }
  });
}

export async function phoneTicketAction(request: Request, signedIn: SignedIn): Promise<TicketActionResult> {
  let values: Record<string, string> = {};
  return guarded(values, async () => {
    const form = await readForm(request, signedIn);
    values = textValues(form);
    const input = parseFields(phoneTicketForm, values);
    const opened = await openTicket(whoOf(request, signedIn.actor), { ...input, email: input.email ?? null, channel: "telefono" });
    return { ok: true, number: opened.number, message: `Chiamata registrata con il numero ${opened.number}.` };
  });
}

/** An attachment's bytes, for whoever may read its ticket; audited. */
export async function attachmentDownload(request: Request, access: { actor: Actor | null; read: () => Promise<{ ticket: TicketRow } | null> }, attachmentId: string) {
  const found = access.actor ? await requireInScope(request, access.actor, access.read, NOT_FOUND) : await access.read();
  if (!found) throw new Response(NOT_FOUND, { status: 404 });
  const file = await ticketAttachment(getDb(), found.ticket.id, attachmentId);
  if (!file) throw new Response("Allegato non trovato.", { status: 404 });
  await audit(getDb(), whoOf(request, access.actor), { action: "ticket.attachment_download", objectType: "ticket", objectId: found.ticket.id, details: { attachmentId } });
  return new Response(new Uint8Array(file.data), {
    headers: {
      "content-type": file.contentType,
      "content-disposition": `attachment; filename="${file.fileName.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
      "cache-control": "private, no-store",
    },
  });
}

export const attachmentReaders = {
  operator: (signedIn: SignedIn, id: string) => ({ actor: signedIn.actor, read: () => getTicketForOperator(getDb(), signedIn.actor, id) }),
  sender: (signedIn: SignedIn, id: string) => ({ actor: signedIn.actor, read: () => getTicketForSender(getDb(), signedIn.actor, id) }),
  token: (token: string, now = new Date()) => ({ actor: null, read: () => byToken(token, now) }),
};


// --- administrators: the queues ------------------------------------------------------------------

export async function queuesAdminPage() {
  return queuesAdminData(getDb());
}

export async function queuesAdminAction(request: Request, signedIn: SignedIn) {
  const form = await requireForm(request, signedIn);
  const values = formValues(form);
  return runForm(values, async () => {
    const row = await updateQueue(getDb(), { actor: signedIn.actor, ip: clientIp(request) }, values);
    return `Coda «${row.name}» aggiornata.`;
  });
}
