import { isUuid } from "../uuid";
import { and, asc, desc, eq, inArray, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { confinedGestoreId, OutOfScopeError, type Viewer } from "../scope";
import { accesses, applications, helpdeskQueues, practices, procedures, ticketAttachments, ticketMessages, tickets, TICKET_STATES, users } from "../schema";
import { activeNow } from "./enablement";

/**
 * Help-desk reads (docs/decisions/0070). A ticket is seen by its sender (signed in: by user;
 * anonymous: by the follow link's token hash) and by the help-desk operators of its queue, i.e.
 * of the org unit the queue is assigned to; by nobody else, administrators included.
 */

export type TicketRow = typeof tickets.$inferSelect;

export async function listQueues(db: DbOrTx) {
  return db.select().from(helpdeskQueues).orderBy(asc(helpdeskQueues.category));
}

/** The queues an operator works: those of the org unit of their help-desk access. */
export async function queuesOf(db: DbOrTx, viewer: Viewer) {
  if (viewer.role !== "operatore_helpdesk" || !viewer.orgUnitId) return [];
  return db.select().from(helpdeskQueues).where(eq(helpdeskQueues.orgUnitId, viewer.orgUnitId)).orderBy(asc(helpdeskQueues.category));
}

export type QueueFilter = { state: (typeof TICKET_STATES)[number] | "open" | null; mine: boolean };

export async function listQueueTickets(db: DbOrTx, viewer: Viewer, filter: QueueFilter) {
  const queues = await queuesOf(db, viewer);
  if (!queues.length) return { queues, rows: [] };
  const where: SQL[] = [inArray(tickets.category, queues.map((q) => q.category))];
  if (filter.state === "open") where.push(inArray(tickets.state, ["new", "in_charge", "waiting", "answered"]));
  else if (filter.state) where.push(eq(tickets.state, filter.state));
  if (filter.mine) where.push(eq(tickets.assigneeUserId, viewer.userId));
  const rows = await db
    .select({ ticket: tickets, assigneeName: users.name, assigneeSurname: users.surname })
    .from(tickets)
    .leftJoin(users, eq(users.id, tickets.assigneeUserId))
    .where(and(...where))
    .orderBy(asc(tickets.createdAt))
    .limit(500);
  return { queues, rows };
}


/** A ticket with its queue, by id or by the follow link's hash; no scope: callers apply it. */
async function ticketWithQueue(db: DbOrTx, id: string | null, hash?: string) {
  if (id !== null && !isUuid(id)) return null;
  const [row] = await db
    .select({ ticket: tickets, queue: helpdeskQueues })
    .from(tickets)
    .innerJoin(helpdeskQueues, eq(helpdeskQueues.category, tickets.category))
    .where(id !== null ? eq(tickets.id, id) : eq(tickets.followTokenHash, hash!));
  return row ?? null;
}

/** One ticket for an operator of its queue; another queue's ticket is refused, not hidden. */
export async function getTicketForOperator(db: DbOrTx, viewer: Viewer, id: string) {
  const row = await ticketWithQueue(db, id);
  if (!row) return null;
  if (viewer.role !== "operatore_helpdesk" || !viewer.orgUnitId || row.queue.orgUnitId !== viewer.orgUnitId) throw new OutOfScopeError("ticket");
  return row;
}

/** One ticket for the signed-in person who sent it. */
export async function getTicketForSender(db: DbOrTx, viewer: Viewer, id: string) {
  const row = await ticketWithQueue(db, id);
  if (!row) return null;
  if (row.ticket.senderUserId !== viewer.userId) throw new OutOfScopeError("ticket");
  return row;
}

/** The ticket a follow link opens (by the SHA-256 of its token), whatever its age: the caller checks the term. */
export async function getTicketByTokenHash(db: DbOrTx, hash: string) {
  return ticketWithQueue(db, null, hash);
}

export async function listSenderTickets(db: DbOrTx, viewer: Viewer) {
  return db.select().from(tickets).where(eq(tickets.senderUserId, viewer.userId)).orderBy(desc(tickets.createdAt)).limit(200);
}

/** A ticket's messages, oldest first, with the attachments' names (never their bytes). */
export async function ticketThread(db: DbOrTx, ticketId: string) {
  const [messages, attachments] = await Promise.all([
    db
      .select({ message: ticketMessages, authorName: users.name, authorSurname: users.surname })
      .from(ticketMessages)
      .leftJoin(users, eq(users.id, ticketMessages.authorUserId))
      .where(eq(ticketMessages.ticketId, ticketId))
      .orderBy(asc(ticketMessages.createdAt), asc(ticketMessages.id)),
    db
      .select({ id: ticketAttachments.id, messageId: ticketAttachments.messageId, fileName: ticketAttachments.fileName, sizeBytes: ticketAttachments.sizeBytes })
      .from(ticketAttachments)
      .where(eq(ticketAttachments.ticketId, ticketId))
      .orderBy(asc(ticketAttachments.createdAt)),
  ]);
  return { messages, attachments };
}

export async function ticketAttachment(db: DbOrTx, ticketId: string, attachmentId: string) {
  if (!isUuid(attachmentId)) return null;
  const [row] = await db
    .select()
    .from(ticketAttachments)
    .where(and(eq(ticketAttachments.id, attachmentId), eq(ticketAttachments.ticketId, ticketId)));
  return row ?? null;
}

/** The people with an active help-desk access in the org unit a queue is assigned to. */
export async function operatorsOfQueue(db: DbOrTx, category: string, now: Date) {
  return db
    .selectDistinct({ userId: users.id, name: users.name, surname: users.surname, email: users.email })
    .from(helpdeskQueues)
    .innerJoin(accesses, and(eq(accesses.orgUnitId, helpdeskQueues.orgUnitId), eq(accesses.role, "operatore_helpdesk")))
    .innerJoin(users, eq(users.id, accesses.userId))
    .where(and(eq(helpdeskQueues.category, category as never), activeNow(now)))
    .orderBy(asc(users.surname), asc(users.name));
}

/** A practice a ticket may be about: the viewer's own gestore's, or any for officials. */
export async function practiceForTicket(db: DbOrTx, viewer: Viewer, id: number) {
  const [row] = await db.select({ id: practices.id, code: practices.code, gestoreId: practices.gestoreId }).from(practices).where(eq(practices.id, id));
  if (!row) return null;
  const confined = confinedGestoreId(viewer);
  if (confined && confined !== row.gestoreId) throw new OutOfScopeError("practice");
  return row;
}


/**
 * An application a ticket may be about: only its own applicant's. Another person's (a guessed
 * id) throws OutOfScopeError; officials and gestori link practices, not applications.
 */
export async function applicationForTicket(db: DbOrTx, viewer: Viewer, id: string) {
  if (!isUuid(id)) return null;
  const [row] = await db.select({ id: applications.id, applicantUserId: applications.applicantUserId }).from(applications).where(eq(applications.id, id));
  if (!row) return null;
  if (viewer.role !== "richiedente" || row.applicantUserId !== viewer.userId) throw new OutOfScopeError("application");
  return row;
}

/** What a ticket's link to an application reads as: its number (a draft has none) and procedure. */
export async function applicationLabel(db: DbOrTx, id: string) {
  if (!isUuid(id)) return null;
  const [row] = await db
    .select({ number: applications.number, procedure: procedures.title })
    .from(applications)
    .innerJoin(procedures, eq(procedures.id, applications.procedureId))
    .where(eq(applications.id, id));
  return row ?? null;
}
