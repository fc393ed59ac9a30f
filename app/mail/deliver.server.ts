import nodemailer, { type Transporter } from "nodemailer";
import { getConfig } from "~/config.server";
import { getSql } from "~db/client";

/** Attempts before a message is marked failed; matches the mail queue's retry limit + 1. */
export const MAX_MAIL_ATTEMPTS = 9;

/** SMTP connections kept open and used at once: a new connection per message (greeting, EHLO, QUIT) capped delivery near 18 a second. */
export const MAIL_CONNECTIONS = 4;

const transports = new Map<string, Transporter>();
function smtp(url: string) {
  let transport = transports.get(url);
  if (!transport) transports.set(url, (transport = nodemailer.createTransport({ url, pool: true, maxConnections: MAIL_CONNECTIONS })));
  return transport;
}

export class MailDeliveryError extends Error {}

/**
 * Delivers one outbox message. The row is locked while sending, so two workers never send it at
 * once; a worker that dies after the SMTP server accepted the message and before recording it
 * sends it again (at least once), with the same Message-ID so mail systems can tell.
 * Without an SMTP server the message is marked `stored`: it stays readable in the outbox.
 */
export async function deliverMail(id: string) {
  const config = getConfig();
  const host = new URL(config.baseUrl).hostname;
  const retry = await getSql().begin(async (tx): Promise<string | null> => {
    const [m] = await tx<{ recipient: string; subject: string; html: string; text: string; attempts: number }[]>`
      select recipient, subject, html, text, attempts from mail_outbox where id = ${id} and state = 'queued' for update skip locked`;
    if (!m) return null;
    if (!config.mail.smtpUrl) {
      await tx`update mail_outbox set state = 'stored', sent_at = now() where id = ${id}`;
      return null;
    }
    try {
      const info = await smtp(config.mail.smtpUrl).sendMail({
        from: config.mail.from,
        to: m.recipient,
        subject: m.subject,
        html: m.html,
        text: m.text,
        messageId: `<${id}@${host}>`,
      });
      await tx`update mail_outbox set state = 'sent', sent_at = now(), attempts = attempts + 1, last_error = null,
        message_id = ${info.messageId} where id = ${id}`;
      return null;
    } catch (e) {
      const reason = (e instanceof Error ? e.message : String(e)).slice(0, 500);
      const attempts = m.attempts + 1;
      await tx`update mail_outbox set attempts = ${attempts}, last_error = ${reason},
        state = ${attempts >= MAX_MAIL_ATTEMPTS ? "failed" : "queued"} where id = ${id}`;
      return attempts < MAX_MAIL_ATTEMPTS ? reason : null;
    }
  });
  // Recorded and committed above; failing the job makes pg-boss try again, with backoff.
  if (retry) throw new MailDeliveryError(retry);
}
