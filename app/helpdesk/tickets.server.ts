import crypto from "node:crypto";
import type { TransactionSql } from "postgres";
import type { ChangeAuthor } from "~/audit/audit.server";
import type { Actor } from "~/auth/guards.server";
import { checkDocument, type IncomingFile } from "~/backoffice/documents.server";
import { getBranding } from "~/branding/branding.server";
import { getConfig } from "~/config.server";
import { romeDate } from "~/lib/dates";
import { InputError } from "~/lib/errors";
import { EventRefused, runMachineEvent, startMachine, TICKET_BINDING, type PersistedSnapshot } from "~/machines/runner.server";
import { queueMail } from "~/mail/outbox.server";
import { drizzleOver, getSql, type Database } from "~db/client";
import { getUploadForViewer } from "~db/queries/uploads";
import {
  getTicketByTokenHash,
  getTicketForOperator,
  applicationForTicket,
  getTicketForSender,
  operatorsOfQueue,
  practiceForTicket,
  type TicketRow,
} from "~db/queries/helpdesk";
import { isGestoreRole } from "~db/scope";
import { ticketAttachments, ticketMessages, tickets, TICKET_CATEGORIES, TICKET_MESSAGE_KINDS } from "~db/schema";
import type { TicketContext, TicketEvent } from "~workflows/ticket.machine";

/** How long a follow link keeps working after its ticket is closed. */
export const FOLLOW_AFTER_CLOSE_MS = 30 * 86_400_000;

export type TicketWho = { actor: Actor | null; ip?: string | null };

export type NewTicket = {
  name: string;
  email: string | null;
  phone?: string | null;
  category: (typeof TICKET_CATEGORIES)[number];
  subject: string;
  body: string;
  channel: "web" | "telefono";
  about?: { kind: "practice"; id: number } | { kind: "upload"; id: string } | { kind: "application"; id: string } | null;
  attachment?: IncomingFile | null;
};

const author = (who: TicketWho): ChangeAuthor => ({
  actor: who.actor ? { userId: who.actor.userId, fiscalCode: who.actor.fiscalCode, role: who.actor.role } : null,
  ip: who.ip ?? null,
});

export const hashToken = (token: string) => crypto.createHash("sha256").update(token).digest("hex");

/** `HD-2026-000042`: the year in Rome and the year's sequence. */
export const ticketNumber = (year: number, seq: number) => `HD-${year}-${String(seq).padStart(6, "0")}`;

/**
 * The next number of the year, without gaps: the counter's row stays locked until the caller's
 * transaction ends, and a rolled-back ticket gives its number back with it.
 */
async function nextNumber(tx: TransactionSql, now: Date) {
  const year = Number(romeDate(now).slice(0, 4));
  const [row] = await tx<{ last: number }[]>`
    insert into ticket_counters (year, last) values (${year}, 1)
    on conflict (year) do update set last = ticket_counters.last + 1
    returning last`;
  return ticketNumber(year, row!.last);
}

function followLink(token: string) {
  return `${getConfig().baseUrl}/assistenza/segui/${token}`;
}

async function storeAttachment(db: Database, ticketId: string, messageId: string, file: IncomingFile) {
  const { fileName, contentType } = checkDocument(file, "altro");
  await db.insert(ticketAttachments).values({
    ticketId,
    messageId,
    fileName,
    contentType,
    sizeBytes: file.bytes.length,
    sha256: crypto.createHash("sha256").update(file.bytes).digest("hex"),
    data: file.bytes,
  });
}

/** Checks what can be checked before a transaction: a bad attachment writes nothing, takes no number. */
function precheck(attachment: IncomingFile | null | undefined) {
  if (attachment) checkDocument(attachment, "altro");
}

/**
 * Opens a ticket: the next number, the machine started through the runner (history + audit), the
 * first message and the attachment, and the acceptance mail through the outbox, in one
 * transaction. A sender who is not signed in (the public area, a phone call) gets a follow link
 * whose token is only in that mail; the database keeps its hash.
 */
export async function openTicket(who: TicketWho, input: NewTicket, now = new Date()) {
  precheck(input.attachment);
  if (input.about && !who.actor) throw new InputError("Solo chi ha eseguito l'accesso può collegare una richiesta a una pratica, a un caricamento o a una domanda.");
  if (input.channel === "telefono" && who.actor?.role !== "operatore_helpdesk") throw new InputError("Solo gli operatori dell'help desk registrano le chiamate.");
  return getSql().begin(async (tx) => {
    const db = drizzleOver(tx);
    let subjectRef: string | null = null;
    if (input.about && who.actor) {
      if (input.about.kind === "practice") {
        const p = await practiceForTicket(db, who.actor, input.about.id);
        if (!p) throw new InputError("Pratica non trovata.", "pratica");
        subjectRef = String(p.id);
      } else if (input.about.kind === "application") {
        const a = await applicationForTicket(db, who.actor, input.about.id);
        if (!a) throw new InputError("Domanda non trovata.", "domanda");
        subjectRef = a.id;
      } else {
        const u = await getUploadForViewer(db, who.actor, input.about.id);
        if (!u) throw new InputError("Caricamento non trovato.", "caricamento");
        subjectRef = u.upload.id;
      }
    }
    const number = await nextNumber(tx, now);
    const signedInSender = input.channel === "web" && who.actor ? who.actor : null;
    const token = !signedInSender && input.email ? crypto.randomBytes(32).toString("base64url") : null;
    const started = await startMachine(tx, TICKET_BINDING, {
      input: {},
      at: now,
      who: author(who),
      details: { number, category: input.category, channel: input.channel, about: input.about?.kind ?? null },
      create: async (d, snapshot: PersistedSnapshot) => {
        const [row] = await d
          .insert(tickets)
          .values({
            number,
            category: input.category,
            state: snapshot.value as TicketRow["state"],
            channel: input.channel,
            subject: input.subject,
            senderName: input.name,
            senderEmail: input.email ?? "",
            senderPhone: input.phone ?? null,
            senderUserId: signedInSender?.userId ?? null,
            subjectKind: subjectRef ? input.about!.kind : null,
            subjectRef,
            followTokenHash: token ? hashToken(token) : null,
            snapshot,
            createdBy: who.actor?.userId ?? null,
            createdAt: now,
            updatedAt: now,
          })
          .returning();
        return row!;
      },
    });
    const ticket = started.row;
    const [message] = await db
      .insert(ticketMessages)
      .values({ ticketId: ticket.id, side: "richiedente", kind: "richiesta", authorUserId: signedInSender?.userId ?? null, body: input.body, createdAt: now })
      .returning();
    if (input.attachment) await storeAttachment(db, ticket.id, message!.id, input.attachment);
    if (input.email) {
      const branding = await getBranding(db);
      await queueMail(tx, {
        to: input.email,
        template: "assistenza-ricevuta",
        dedupeKey: `ticket:${ticket.id}:received`,
        data: {
          piattaforma: branding.bodyName,
          numero: number,
          link: token ? followLink(token) : `${getConfig().baseUrl}/assistenza/richieste/${ticket.id}`,
          accesso: Boolean(signedInSender),
        },
      });
    }
    return { id: ticket.id, number, token };
  });
}

type Access = (db: Database) => Promise<{ ticket: TicketRow } | null>;

const REFUSED: Partial<Record<TicketEvent["type"], string>> = {
  TAKE: "La richiesta è già in carico a te o è chiusa.",
  ASSIGN: "La richiesta non si può assegnare a questo operatore nel suo stato attuale.",
  ASK_INFO: "Si possono chiedere informazioni solo su una richiesta in lavorazione.",
  ANSWER: "Si può rispondere solo a una richiesta in lavorazione.",
  CLOSE: "La richiesta è già chiusa.",
  SENDER_REPLY: "La richiesta è chiusa: riaprila per scrivere ancora.",
  REOPEN: "La richiesta si può riaprire solo entro 10 giorni dalla chiusura: inviane una nuova.",
};

/**
 * Applies one event to a ticket the caller may act on (`access` reads it in scope), with an
 * optional message, in one transaction through the runner; tells the sender by mail when the
 * operator writes or closes.
 */
async function act(
  who: TicketWho,
  access: Access,
  event: TicketEvent,
  message: { side: "richiedente" | "operatore"; kind: (typeof TICKET_MESSAGE_KINDS)[number]; body: string; attachment?: IncomingFile | null } | null,
  details: Record<string, unknown> = {},
) {
  if (message?.attachment) precheck(message.attachment);
  try {
    return await getSql().begin(async (tx) => {
      const db = drizzleOver(tx);
      const found = await access(db);
      if (!found) throw new InputError("Richiesta di assistenza non trovata.");
      const done = await runMachineEvent(tx, TICKET_BINDING, { id: found.ticket.id, event, who: author(who), details });
      if (message && message.body) {
        const [m] = await db
          .insert(ticketMessages)
          .values({ ticketId: found.ticket.id, side: message.side, kind: message.kind, authorUserId: who.actor?.userId ?? null, body: message.body, createdAt: new Date(event.at) })
          .returning();
        if (message.attachment) await storeAttachment(db, found.ticket.id, m!.id, message.attachment);
      }
      const tell = { ASK_INFO: "una richiesta di informazioni", ANSWER: "una risposta", CLOSE: "la chiusura della richiesta" }[event.type as string];
      if (tell && found.ticket.senderEmail) await tellSender(tx, db, found.ticket, tell, event.at);
      return { state: done.to, context: done.snapshot.context as TicketContext };
    });
  } catch (e) {
    if (e instanceof EventRefused) throw new InputError(REFUSED[event.type] ?? "Operazione non ammessa nello stato attuale della richiesta.");
    throw e;
  }
}

/** The sender hears that something happened, never what: the text is read on the platform. */
async function tellSender(tx: TransactionSql, db: Database, ticket: TicketRow, tipo: string, at: string) {
  const branding = await getBranding(db);
  await queueMail(tx, {
    to: ticket.senderEmail,
    template: "assistenza-aggiornamento",
    dedupeKey: `ticket:${ticket.id}:${tipo}:${at}`,
    data: {
      piattaforma: branding.bodyName,
      numero: ticket.number,
      tipo,
      link: ticket.senderUserId ? `${getConfig().baseUrl}/assistenza/richieste/${ticket.id}` : "",
    },
  });
}

// --- operators ---------------------------------------------------------------------------------

const asOperator = (actor: Actor, id: string): Access => (db) => getTicketForOperator(db, actor, id);

function mustHold(found: { ticket: TicketRow } | null, actor: Actor) {
  if (found && found.ticket.assigneeUserId !== actor.userId)
    throw new InputError("Prendi in carico la richiesta prima di rispondere o di chiedere informazioni.");
  return found;
}

export function takeTicket(who: { actor: Actor; ip?: string | null }, id: string, now = new Date()) {
  return act(who, asOperator(who.actor, id), { type: "TAKE", at: now.toISOString(), userId: who.actor.userId }, null);
}

export function assignTicket(who: { actor: Actor; ip?: string | null }, id: string, userId: string, now = new Date()) {
  return act(
    who,
    async (db) => {
      const found = await getTicketForOperator(db, who.actor, id);
      if (!found) return null;
      const operators = await operatorsOfQueue(db, found.ticket.category, now);
      if (!operators.some((o) => o.userId === userId)) throw new InputError("Si può assegnare solo a un operatore della coda della richiesta.", "userId");
      return found;
    },
    { type: "ASSIGN", at: now.toISOString(), userId },
    null,
    { assignee: userId },
  );
}

export function askForInformation(who: { actor: Actor; ip?: string | null }, id: string, body: string, now = new Date()) {
  return act(who, async (db) => mustHold(await getTicketForOperator(db, who.actor, id), who.actor), { type: "ASK_INFO", at: now.toISOString() }, { side: "operatore", kind: "richiesta_informazioni", body });
}

export function answerTicket(who: { actor: Actor; ip?: string | null }, id: string, body: string, now = new Date()) {
  return act(who, async (db) => mustHold(await getTicketForOperator(db, who.actor, id), who.actor), { type: "ANSWER", at: now.toISOString() }, { side: "operatore", kind: "risposta", body });
}

export function closeTicket(who: { actor: Actor; ip?: string | null }, id: string, body: string, now = new Date()) {
  return act(who, asOperator(who.actor, id), { type: "CLOSE", at: now.toISOString() }, body ? { side: "operatore", kind: "risposta", body } : null);
}

// --- senders -----------------------------------------------------------------------------------

/** Who is following a ticket: a signed-in sender by id, or anyone holding the follow link's token. */
export type SenderKey = { actor: Actor; id: string } | { token: string };

/** Is a follow link still good: while the ticket is open, and 30 days after it was closed. */
export function followLinkValid(ticket: Pick<TicketRow, "closedAt">, now: Date) {
  return !ticket.closedAt || now.getTime() - ticket.closedAt.getTime() <= FOLLOW_AFTER_CLOSE_MS;
}

export const asSender = (key: SenderKey, now: Date): Access => async (db) => {
  if ("actor" in key) return getTicketForSender(db, key.actor, key.id);
  const found = await getTicketByTokenHash(db, hashToken(key.token));
  return found && followLinkValid(found.ticket, now) ? found : null;
};

export function senderReply(who: TicketWho, key: SenderKey, body: string, attachment: IncomingFile | null, now = new Date()) {
  return act(who, asSender(key, now), { type: "SENDER_REPLY", at: now.toISOString() }, { side: "richiedente", kind: "messaggio", body, attachment });
}

export function reopenTicket(who: TicketWho, key: SenderKey, body: string, now = new Date()) {
  return act(who, asSender(key, now), { type: "REOPEN", at: now.toISOString() }, body ? { side: "richiedente", kind: "messaggio", body } : null);
}

/** Who may open tickets from the reserved area (the others use the public form). */
export const senderRole = (actor: Actor) =>
  isGestoreRole(actor.role) || actor.role === "funzionario" || actor.role === "dirigente" || actor.role === "richiedente";
