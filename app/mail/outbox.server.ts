import type { TransactionSql } from "postgres";
import { enqueue, enqueueMany } from "~/jobs/queue.server";
import { MAIL_QUEUE } from "~/jobs/queues";
import { renderMail, renderMails } from "./render.server";

export type MailRequest = {
  to: string;
  template: string;
  data: Record<string, unknown>;
  /** Makes the message unique: a second request with the same key is not queued again. */
  dedupeKey?: string;
};

/**
 * The one way to send mail. Renders the template now (a broken template fails the caller's
 * transaction instead of a message later) and writes the message to the outbox with its
 * delivery job, in `tx`: the mail exists exactly when the event that causes it commits.
 * Returns null when a message with the same dedupe key already exists.
 */
export async function queueMail(tx: TransactionSql, mail: MailRequest): Promise<{ id: string } | null> {
  const { subject, html, text } = await renderMail(mail.template, mail.data, tx);
  const [row] = await tx<{ id: string }[]>`
    insert into mail_outbox (recipient, subject, template, data, html, text, dedupe_key)
    values (${mail.to}, ${subject}, ${mail.template}, ${JSON.stringify(mail.data)}::jsonb, ${html}, ${text}, ${mail.dedupeKey ?? null})
    on conflict (dedupe_key) do nothing
    returning id`;
  if (!row) return null;
  await enqueue(MAIL_QUEUE, { id: row.id }, { within: tx });
  return { id: row.id };
}

/** `queueMail` for many messages of one template: one insert into the outbox, one of their jobs. */
export async function queueMails(tx: TransactionSql, template: string, mails: Omit<MailRequest, "template">[]) {
  if (!mails.length) return;
  const rendered = await renderMails(template, mails.map((m) => m.data), tx);
  const rows = mails.map((m, i) => ({ recipient: m.to, ...rendered[i]!, template, data: m.data, dedupe_key: m.dedupeKey ?? null }));
  const ids = await tx<{ id: string }[]>`
    insert into mail_outbox (recipient, subject, template, data, html, text, dedupe_key)
    select recipient, subject, template, data, html, text, dedupe_key
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as m(recipient text, subject text, template text, data jsonb, html text, text text, dedupe_key text)
    on conflict (dedupe_key) do nothing
    returning id`;
  await enqueueMany(MAIL_QUEUE, ids.map((r) => ({ id: r.id })), { within: tx });
}

/** Puts a message back in the queue, attempts reset, with a new delivery job in `tx`. */
export async function requeueMail(tx: TransactionSql, id: string) {
  await tx`update mail_outbox set state = 'queued', attempts = 0, last_error = null where id = ${id}`;
  await enqueue(MAIL_QUEUE, { id }, { within: tx });
}
