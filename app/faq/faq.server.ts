import { eq } from "drizzle-orm";
import { audit, type ChangeAuthor } from "~/audit/audit.server";
import { requireForm, requireInScope, type Actor, type SignedIn } from "~/auth/guards.server";
import { CATEGORY_LABELS } from "~/helpdesk/input";
import { InputError, parseFields } from "~/lib/errors";
import { formValues, runForm } from "~/lib/form-action.server";
import { clientIp } from "~/lib/request.server";
import { getDb, type DbOrTx } from "~db/client";
import { faqFromTicket, getFaq, listFaqForAdmin } from "~db/queries/faq";
import { getTicketForOperator, ticketThread } from "~db/queries/helpdesk";
import { faqEntries } from "~db/schema";
import { faqForm } from "./input";

/**
 * Frequent answers (issue 17, docs/decisions/0099). Administrators write, publish and withdraw
 * them; a help-desk operator may propose one from an answer of a ticket of their queue, as a
 * draft an administrator reviews (administrators never read tickets, ADR 70). Every change audited.
 */

type Who = { actor: Actor; ip: string | null };
/** An administrator, or the demo data loaded through the same function. */
type Author = ChangeAuthor & { actor?: { userId: string } | null };

const parseFaq = (values: Record<string, unknown>) => parseFields(faqForm, values);

const STATUS_OF = { draft: null, publish: "published", unpublish: "draft" } as const;

/** Creates (id null) or updates an entry; `intent` publishes, withdraws or keeps its status. */
export async function saveFaq(db: DbOrTx, who: Author, id: string | null, values: Record<string, unknown>, now = new Date()) {
  const input = parseFaq(values);
  return db.transaction(async (tx) => {
    const existing = id ? await getFaq(tx, id) : null;
    if (id && !existing) throw new InputError("Domanda frequente non trovata.");
    const status = STATUS_OF[input.intent] ?? existing?.entry.status ?? "draft";
    const publishedAt = status === "published" ? (existing?.entry.status === "published" ? existing.entry.publishedAt : now) : null;
    const fields = { question: input.question, answer: input.answer, category: input.category ?? null, status, publishedAt, updatedBy: who.actor?.userId ?? null, updatedAt: now };
    const [row] = existing
      ? await tx.update(faqEntries).set(fields).where(eq(faqEntries.id, existing.entry.id)).returning()
      : await tx.insert(faqEntries).values({ ...fields, createdBy: who.actor?.userId ?? null, createdAt: now }).returning();
    const action = !existing ? "faq.create" : existing.entry.status !== status ? (status === "published" ? "faq.publish" : "faq.unpublish") : "faq.update";
    await audit(tx, who, { action, objectType: "faq_entry", objectId: row!.id, details: { status, ...(existing ? {} : { from: "scratch" }) } });
    if (!existing && status === "published") await audit(tx, who, { action: "faq.publish", objectType: "faq_entry", objectId: row!.id });
    return row!;
  });
}

/**
 * An operator proposes an answer of one of their queue's tickets as a frequent answer: a draft
 * with the ticket's subject as question and the answer's text, for an administrator to review.
 */
export async function proposeFaqFromTicket(db: DbOrTx, who: Who, ticketId: string, messageId: string, now = new Date()) {
  const found = await getTicketForOperator(db, who.actor, ticketId);
  if (!found) throw new InputError("Richiesta di assistenza non trovata.");
  const { messages } = await ticketThread(db, ticketId);
  const answer = messages.find((m) => m.message.id === messageId && m.message.side === "operatore" && m.message.kind === "risposta");
  if (!answer) throw new InputError("Si può proporre come domanda frequente solo una risposta dell'help desk.");
  if (await faqFromTicket(db, ticketId)) throw new InputError("Da questa richiesta è già stata proposta una domanda frequente.");
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(faqEntries)
      .values({
        question: found.ticket.subject,
        answer: answer.message.body,
        category: found.ticket.category,
        status: "draft",
        sourceTicketId: ticketId,
        createdBy: who.actor.userId,
        updatedBy: who.actor.userId,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await audit(tx, who, { action: "faq.propose", objectType: "faq_entry", objectId: row!.id, details: { ticketId, messageId } });
    return row!;
  });
}

// --- pages ---------------------------------------------------------------------------------------

const whoOf = (request: Request, signedIn: SignedIn): Who => ({ actor: signedIn.actor, ip: clientIp(request) });

export async function faqAdminPage() {
  const rows = await listFaqForAdmin(getDb());
  return rows.map(({ entry, ticketNumber }) => ({
    id: entry.id,
    question: entry.question,
    status: entry.status,
    category: entry.category ? CATEGORY_LABELS[entry.category].split(" (")[0]! : null,
    ticketNumber,
    updatedAt: entry.updatedAt.toISOString(),
  }));
}

export async function faqEditPage(request: Request, signedIn: SignedIn, id: string) {
  const row = await requireInScope(request, signedIn.actor, () => getFaq(getDb(), id), "Domanda frequente non trovata.");
  const e = row.entry;
  return { id: e.id, question: e.question, answer: e.answer, category: e.category ?? "", status: e.status, ticketNumber: row.ticketNumber, publishedAt: e.publishedAt?.toISOString() ?? null };
}

const DONE = { draft: "salvata come bozza", published: "pubblicata nelle istruzioni" } as const;

export async function faqSaveAction(request: Request, signedIn: SignedIn, id: string | null) {
  const form = await requireForm(request, signedIn);
  const values = formValues(form);
  return runForm(values, async () => {
    const row = await saveFaq(getDb(), whoOf(request, signedIn), id, values);
    return `Domanda frequente ${DONE[row.status]}.`;
  });
}


export const FAQ_CATEGORY_OPTIONS = Object.entries(CATEGORY_LABELS).map(([value, label]) => ({ value, label: label.split(" (")[0]! }));
