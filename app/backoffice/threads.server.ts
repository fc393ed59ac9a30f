import { and, eq, isNull, ne } from "drizzle-orm";
import type { TransactionSql } from "postgres";
import { audit } from "~/audit/audit.server";
import type { Actor } from "~/auth/guards.server";
import { getBranding } from "~/branding/branding.server";
import { getConfig } from "~/config.server";
import { InputError } from "~/lib/errors";
import { queueMail } from "~/mail/outbox.server";
import { italianDate } from "~/lib/dates";
import { drizzleOver, getSql, type Database } from "~db/client";
import { getThread } from "~db/queries/backoffice";
import { confinedGestoreId, isGestoreRole, OutOfScopeError } from "~db/scope";
import { gestori, practices, threadMessages, threads, workItems, type THREAD_MESSAGE_SIDES } from "~db/schema";
import { storeDocument, type IncomingFile } from "./documents.server";
import { assertBackOffice, type Who } from "./handling.server";

export type NewThread = {
  gestoreId?: string;
  practiceId?: number;
  /** A thread about an upload or an obligation (a measure) of the gestore. */
  uploadId?: string | null;
  measureId?: string | null;
  kind: "messaggio" | "chiarimento";
  subject: string;
  body: string;
  dueOn?: string | null;
  attachment?: { file: IncomingFile; docType: string } | null;
};

/** The side a person writes from: a gestore's people, an applicant (ADR 92), or the office. */
export const sideOf = (actor: Actor) =>
  isGestoreRole(actor.role) ? ("gestore" as const) : actor.role === "richiedente" ? ("richiedente" as const) : ("ufficio" as const);

/** The other side's messages of a thread, marked read by whoever of this side opens it. */
export async function markRead(db: Database, threadId: string, side: (typeof THREAD_MESSAGE_SIDES)[number], now: Date) {
  await db
    .update(threadMessages)
    .set({ readAt: now })
    .where(and(eq(threadMessages.threadId, threadId), ne(threadMessages.side, side), isNull(threadMessages.readAt)));
}

/**
 * An official opens a thread with a gestore (about a practice or in general): a plain message
 * or a clarification request with a due date. The gestore's people are told by mail.
 */
export async function openThread(who: Who, input: NewThread, now = new Date()) {
  if (isGestoreRole(who.actor.role)) {
    // A gestore writes to the office: always its own gestore, never a clarification request.
    if (input.kind !== "messaggio") throw new InputError("Solo gli uffici possono chiedere chiarimenti.", "kind");
    input = { ...input, gestoreId: confinedGestoreId(who.actor)! };
  } else {
    assertBackOffice(who.actor);
  }
  if (input.kind === "chiarimento" && !input.dueOn) throw new InputError("Una richiesta di chiarimenti deve avere una scadenza.", "dueOn");
  if (input.kind === "chiarimento" && !input.practiceId) throw new InputError("Una richiesta di chiarimenti riguarda una pratica.", "practiceId");
  return getSql().begin(async (tx) => {
    const db = drizzleOver(tx);
    let gestoreId = input.gestoreId;
    if (input.practiceId !== undefined) {
      const [p] = await db.select({ gestoreId: practices.gestoreId }).from(practices).where(eq(practices.id, input.practiceId));
      if (!p) throw new InputError("Pratica non trovata.", "practiceId");
      if (input.gestoreId && isGestoreRole(who.actor.role) && p.gestoreId !== input.gestoreId) throw new OutOfScopeError("practice");
      gestoreId = p.gestoreId;
    }
    if (!gestoreId) throw new InputError("Indicare l'ente gestore.", "gestoreId");
    const [g] = await db.select({ id: gestori.id }).from(gestori).where(eq(gestori.id, gestoreId));
    if (!g) throw new InputError("Ente gestore non trovato.", "gestoreId");
    if (input.uploadId) {
      const [u] = await tx<{ gestore_id: string }[]>`select gestore_id from uploads where id = ${input.uploadId}`;
      if (!u || u.gestore_id !== gestoreId) throw new InputError("Caricamento non trovato per questo ente.", "uploadId");
    }
    if (input.measureId) {
      const [m] = await tx<{ n: number }[]>`select count(*)::int as n from measure_gestori where measure_id = ${input.measureId} and gestore_id = ${gestoreId}`;
      if (!m?.n) throw new InputError("Misura non trovata per questo ente.", "measureId");
    }
    const [thread] = await db
      .insert(threads)
      .values({
        gestoreId,
        kind: input.kind,
        subject: input.subject,
        practiceId: input.practiceId ?? null,
        uploadId: input.uploadId ?? null,
        measureId: input.measureId ?? null,
        dueOn: input.kind === "chiarimento" ? input.dueOn! : null,
        createdBy: who.actor.userId,
        createdAt: now,
        lastMessageAt: now,
      })
      .returning();
    const message = await addMessage(tx, db, who, thread!, input.body, input.attachment ?? null, now);
    await audit(db, who, {
      action: input.kind === "chiarimento" ? "thread.clarification_request" : "thread.open",
      objectType: "thread",
      objectId: thread!.id,
      gestoreId,
      details: { practiceId: input.practiceId ?? null, uploadId: input.uploadId ?? null, measureId: input.measureId ?? null, dueOn: thread!.dueOn, messageId: message.id },
    });
    return { threadId: thread!.id };
  });
}

/** A reply by either side; a gestore's first reply answers a clarification request. */
export async function reply(who: Who, threadId: string, body: string, attachment: NewThread["attachment"] = null, now = new Date()) {
  return getSql().begin(async (tx) => {
    const db = drizzleOver(tx);
    const found = await getThread(db, who.actor, threadId);
    if (!found) throw new InputError("Conversazione non trovata.");
    if (!isGestoreRole(who.actor.role)) assertBackOffice(who.actor);
    const message = await addMessage(tx, db, who, found.thread, body, attachment ?? null, now);
    const answers = sideOf(who.actor) === "gestore" && found.thread.kind === "chiarimento" && !found.thread.answeredAt;
    await db
      .update(threads)
      .set({ lastMessageAt: now, ...(answers ? { answeredAt: now } : {}) })
      .where(eq(threads.id, threadId));
    await audit(db, who, {
      action: answers ? "thread.clarification_answer" : "thread.reply",
      objectType: "thread",
      objectId: threadId,
      gestoreId: found.thread.gestoreId,
      details: { messageId: message.id, attachment: message.attachmentId },
    });
    return { messageId: message.id };
  });
}

async function addMessage(
  tx: TransactionSql,
  db: Database,
  who: Who,
  thread: typeof threads.$inferSelect,
  body: string,
  attachment: NewThread["attachment"] | null,
  now: Date,
) {
  const side = sideOf(who.actor);
  // An application's thread has no gestore and is written through app/applications/messages.server.ts.
  if (side === "richiedente" || !thread.gestoreId) throw new OutOfScopeError("thread");
  const gestoreThread = { ...thread, gestoreId: thread.gestoreId };
  const [message] = await db
    .insert(threadMessages)
    .values({ threadId: thread.id, authorUserId: who.actor.userId, side, body, createdAt: now })
    .returning();
  let attachmentId: string | null = null;
  if (attachment) {
    const doc = await storeDocument(tx, {
      file: attachment.file,
      docType: attachment.docType,
      gestoreId: gestoreThread.gestoreId,
      practiceId: thread.practiceId,
      threadId: thread.id,
      messageId: message!.id,
      side,
      uploadedBy: who.actor.userId,
    });
    attachmentId = doc.id;
  }
  await notify(tx, gestoreThread, side, message!.id);
  return { id: message!.id, attachmentId };
}

/**
 * Tells the other side a message arrived. The mail carries only the platform's name, the kind of
 * message and a link that requires sign-in: never the subject, the text or a beneficiary's data.
 */
async function notify(tx: TransactionSql, thread: typeof threads.$inferSelect & { gestoreId: string }, side: "ufficio" | "gestore", messageId: string) {
  let recipients: string[];
  if (side === "ufficio") {
    const rows = await tx<{ email: string }[]>`
      select distinct u.email from accesses a join users u on u.id = a.user_id
      where a.gestore_id = ${thread.gestoreId} and a.status = 'active' and a.role in ('gestore_operatore', 'gestore_referente')`;
    recipients = rows.map((r) => r.email);
    if (!recipients.length) {
      const [g] = await tx<{ email: string | null }[]>`select email from gestori where id = ${thread.gestoreId}`;
      if (g?.email) recipients = [g.email];
    }
  } else {
    // The official who opened the thread and whoever has the practice in charge; for a thread a
    // gestore opened, otherwise the officials of the units responsible for its measures.
    const rows = await tx<{ email: string }[]>`
      select u.email from users u where u.id = ${thread.createdBy}
        and exists (select 1 from accesses a where a.user_id = u.id and a.status = 'active' and a.role in ('funzionario', 'dirigente', 'amministratore'))
      union
      select u.email from work_items w join users u on u.id = w.assignee_user_id
      where w.practice_id = ${thread.practiceId} and w.state = 'in_charge'`;
    recipients = rows.map((r) => r.email);
    if (!recipients.length) {
      const units = await tx<{ email: string }[]>`
        select distinct u.email from measure_gestori mg join measures m on m.id = mg.measure_id
        join accesses a on a.org_unit_id = m.org_unit_id and a.status = 'active' and a.role in ('funzionario', 'dirigente')
        join users u on u.id = a.user_id
        where mg.gestore_id = ${thread.gestoreId}`;
      recipients = units.map((r) => r.email);
    }
  }
  const branding = await getBranding(drizzleOver(tx));
  for (const to of [...new Set(recipients)]) {
    await queueMail(tx, {
      to,
      template: "nuovo-messaggio",
      dedupeKey: `message:${messageId}:${to.toLowerCase()}`,
      data: {
        piattaforma: branding.bodyName,
        tipo: thread.kind === "chiarimento" && side === "ufficio" ? "una richiesta di chiarimenti" : "un nuovo messaggio",
        scadenza: thread.kind === "chiarimento" && side === "ufficio" && thread.dueOn ? italianDate(thread.dueOn) : "",
        link: `${getConfig().baseUrl}/messaggi/${thread.id}`,
      },
    });
  }
}

/**
 * Opens a thread for reading: audited, and the other side's messages are marked read
 * (the read status each side sees on its own messages).
 */
export async function readThread(who: Who, threadId: string, now = new Date()) {
  return getSql().begin(async (tx) => {
    const db = drizzleOver(tx);
    const found = await getThread(db, who.actor, threadId);
    if (!found) return null;
    const side = sideOf(who.actor);
    await markRead(db, threadId, side, now);
    await audit(db, who, { action: "thread.view", objectType: "thread", objectId: threadId, gestoreId: found.thread.gestoreId });
    const [item] = found.thread.practiceId ? await db.select().from(workItems).where(eq(workItems.practiceId, found.thread.practiceId)) : [];
    return { ...found, side, workItemState: item?.state ?? null };
  });
}
