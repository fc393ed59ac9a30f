import { isUuid } from "../uuid";
import { and, desc, eq } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { faqEntries, tickets } from "../schema";

/** The frequent answers (docs/decisions/0099): public pages read only published ones. */

export type FaqRow = typeof faqEntries.$inferSelect;


export async function listPublishedFaq(db: DbOrTx) {
  return db
    .select({ id: faqEntries.id, question: faqEntries.question, answer: faqEntries.answer, category: faqEntries.category, publishedAt: faqEntries.publishedAt })
    .from(faqEntries)
    .where(eq(faqEntries.status, "published"))
    .orderBy(faqEntries.question);
}

/** Every entry, drafts first, for administrators; with the number of the ticket it came from. */
export async function listFaqForAdmin(db: DbOrTx) {
  return db
    .select({ entry: faqEntries, ticketNumber: tickets.number })
    .from(faqEntries)
    .leftJoin(tickets, eq(tickets.id, faqEntries.sourceTicketId))
    .orderBy(desc(eq(faqEntries.status, "draft")), desc(faqEntries.updatedAt));
}

export async function getFaq(db: DbOrTx, id: string) {
  if (!isUuid(id)) return null;
  const [row] = await db
    .select({ entry: faqEntries, ticketNumber: tickets.number })
    .from(faqEntries)
    .leftJoin(tickets, eq(tickets.id, faqEntries.sourceTicketId))
    .where(eq(faqEntries.id, id));
  return row ?? null;
}

/** The draft already proposed from a ticket, if any: one proposal per ticket. */
export async function faqFromTicket(db: DbOrTx, ticketId: string) {
  const [row] = await db.select({ id: faqEntries.id }).from(faqEntries).where(and(eq(faqEntries.sourceTicketId, ticketId)));
  return row ?? null;
}
