import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { audit, type ChangeAuthor } from "~/audit/audit.server";
import type { Actor } from "~/auth/guards.server";
import { markRead, sideOf } from "~/backoffice/threads.server";
import { getBranding } from "~/branding/branding.server";
import { getConfig } from "~/config.server";
import { InputError } from "~/lib/errors";
import { checkAttachment, storeApplicationFile } from "./applications.server";
import { queueMail } from "~/mail/outbox.server";
import { drizzleOver, getDb, getSql } from "~db/client";
import { applicantEmail, applicationOfficialsEmails, applicationThread, messageFilesOf } from "~db/queries/applications";
import { applications, threadMessages, threads } from "~db/schema";

/**
 * The message thread of an online application between its applicant and the handling office
 * (ADR 92): the back office's threads and messages, with the application in place of a gestore.
 * Callers check first that the writer may open the application (openApplication: own data for
 * the applicant, the office's reach for officials).
 */

export const NOT_YET_SENT = "Potrai scrivere all'ufficio dopo l'invio della domanda.";

export const messageSchema = z.object({
  body: z.string().trim().min(1, "Scrivere il testo del messaggio").max(4000, "Messaggio: al massimo 4000 caratteri"),
});

/** The limits of a message's attachment (ADR 113): the form fields' defaults, PDF, JPEG or PNG up to 10 MB. */
const MESSAGE_ATTACHMENT = { label: "Allegato", fileMaxSize: "10MB" };

/** A posted attachment, checked before anything is written; a string is the Italian refusal. */
export async function messageAttachmentOf(form: FormData): Promise<MessageAttachment | null | string> {
  const f = form.get("file");
  if (!f || typeof f === "string" || (f.size === 0 && !f.name)) return null;
  const bytes = Buffer.from(await f.arrayBuffer());
  const checked = checkAttachment(MESSAGE_ATTACHMENT, f, bytes);
  return typeof checked === "string" ? checked : { name: f.name, type: checked.type, bytes };
}

export type MessageAttachment = { name: string; type: string; bytes: Buffer };

/**
 * Adds a message (opening the thread with the first one), with its attachment if any (an
 * application file of kind `messaggio`, ADR 113), and tells the other side by mail, in one transaction.
 */
export async function writeApplicationMessage(who: ChangeAuthor & { actor: Actor }, applicationId: string, body: string, attachment: MessageAttachment | null = null, now = new Date()) {
  return getSql().begin(async (tx) => {
    const db = drizzleOver(tx);
    const [app] = await db.select().from(applications).where(eq(applications.id, applicationId)).for("update");
    if (!app?.number) throw new InputError(NOT_YET_SENT);
    const side = sideOf(who.actor);
    if (side === "gestore") throw new InputError("Solo il richiedente e gli uffici scrivono sulle domande online.");
    await db
      .insert(threads)
      .values({ applicationId, kind: "messaggio", subject: `Domanda ${app.number}`, createdBy: who.actor.userId, createdAt: now, lastMessageAt: now })
      .onConflictDoNothing();
    const [thread] = await db.select().from(threads).where(eq(threads.applicationId, applicationId));
    const [message] = await db.insert(threadMessages).values({ threadId: thread!.id, authorUserId: who.actor.userId, side, body, createdAt: now }).returning();
    await db.update(threads).set({ lastMessageAt: sql`greatest(${threads.lastMessageAt}, ${now.toISOString()}::timestamptz)` }).where(eq(threads.id, thread!.id));
    const file = attachment
      ? await storeApplicationFile(db, { applicationId, kind: "messaggio", messageId: message!.id, name: attachment.name, type: attachment.type, bytes: attachment.bytes, uploadedBy: who.actor.userId })
      : null;
    await audit(db, who, {
      action: "thread.reply",
      objectType: "thread",
      objectId: thread!.id,
      details: { applicationId, messageId: message!.id, side, ...(file ? { fileId: file.id, sha256: file.sha256, size: file.sizeBytes } : {}) },
    });
    // The mail names neither the text nor the applicant: only the platform and a link behind sign-in.
    const recipients = side === "richiedente" ? await applicationOfficialsEmails(db, applicationId) : [await applicantEmail(db, app.applicantUserId)].filter((e): e is string => !!e);
    const link = `${getConfig().baseUrl}${side === "richiedente" ? `/domande-ricevute/${applicationId}` : `/domande/${applicationId}/riepilogo`}#messaggi`;
    const branding = await getBranding(db);
    for (const to of [...new Set(recipients)]) {
      await queueMail(tx, {
        to,
        template: "nuovo-messaggio",
        dedupeKey: `message:${message!.id}:${to.toLowerCase()}`,
        data: { piattaforma: branding.bodyName, tipo: "un nuovo messaggio su una domanda online", scadenza: "", link },
      });
    }
    return { threadId: thread!.id, messageId: message!.id, fileId: file?.id ?? null };
  });
}

/** The thread as one side sees it; the other side's messages are marked read by opening the page. */
export async function readApplicationThread(actor: Actor, applicationId: string, now = new Date()) {
  const db = getDb();
  const found = await applicationThread(db, applicationId);
  if (!found) return { side: sideOf(actor), messages: [] };
  const files = await messageFilesOf(db, applicationId);
  const side = sideOf(actor);
  await markRead(db, found.thread.id, side, now);
  return {
    side,
    messages: found.messages.map((m) => ({
      id: m.id,
      side: m.side,
      author: side === "richiedente" && m.side === "ufficio" ? "Ufficio" : `${m.authorName} ${m.authorSurname}`,
      body: m.body,
      createdAt: m.createdAt.toISOString(),
      readAt: m.readAt?.toISOString() ?? null,
      files: files.filter((f) => f.messageId === m.id).map((f) => ({ id: f.id, fileName: f.fileName, sizeBytes: f.sizeBytes })),
    })),
  };
}
