import { z } from "zod";
import { audit } from "~/audit/audit.server";
import type { Actor } from "~/auth/guards.server";
import { InputError } from "~/lib/errors";
import { requeueMail } from "./outbox.server";
import { clientIp } from "~/lib/request.server";
import { drizzleOver, getDb, getSql } from "~db/client";
import { MAIL_STATES } from "~db/schema";

export const MAIL_STATE_LABELS: Record<(typeof MAIL_STATES)[number], string> = {
  queued: "In coda",
  sent: "Inviato",
  stored: "Solo in archivio (nessun server SMTP)",
  failed: "Non recapitabile",
};

const PAGE = 50;

/** postgres.js under drizzle hands timestamps over as text. */
const iso = (t: string | Date | null) => (t === null ? null : new Date(t).toISOString());

const filterSchema = z.object({
  stato: z.enum(MAIL_STATES).optional().catch(undefined),
  destinatario: z.string().trim().max(200).optional().catch(undefined),
  modello: z.string().trim().max(100).optional().catch(undefined),
  pagina: z.coerce.number().int().min(1).max(10_000).catch(1),
});

/** The "Posta inviata" list, newest first, with filters; audited because it shows recipients. */
export async function browseOutbox(request: Request, actor: Actor) {
  const url = new URL(request.url);
  const f = filterSchema.parse(Object.fromEntries(url.searchParams));
  const sql = getSql();
  const like = f.destinatario ? `%${f.destinatario.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const rows = await sql<{ id: string; recipient: string; subject: string; template: string; state: (typeof MAIL_STATES)[number]; attempts: number; created_at: string; sent_at: string | null }[]>`
    select id, recipient, subject, template, state, attempts, created_at, sent_at from mail_outbox
    where (${f.stato ?? null}::mail_state is null or state = ${f.stato ?? null}::mail_state)
      and (${like}::text is null or recipient ilike ${like}::text)
      and (${f.modello || null}::text is null or template = ${f.modello || null}::text)
    order by created_at desc, id
    limit ${PAGE + 1} offset ${(f.pagina - 1) * PAGE}`;
  const [counts, templates] = await Promise.all([
    sql<{ state: string; n: number }[]>`select state::text, count(*)::int as n from mail_outbox group by state`,
    sql<{ template: string }[]>`select distinct template from mail_outbox order by template`,
  ]);
  await audit(getDb(), { actor, ip: clientIp(request) }, { action: "mail.list", objectType: "mail_outbox", details: { filter: f } });
  return {
    filter: { stato: f.stato ?? "", destinatario: f.destinatario ?? "", modello: f.modello ?? "", pagina: f.pagina },
    rows: rows.slice(0, PAGE).map((r) => ({ ...r, createdAt: iso(r.created_at)!, sentAt: iso(r.sent_at) })),
    hasMore: rows.length > PAGE,
    counts: Object.fromEntries(counts.map((c) => [c.state, c.n])) as Record<string, number>,
    templates: templates.map((t) => t.template),
  };
}

const idSchema = z.uuid();

/** One message as it was sent, audited. */
export async function viewMail(request: Request, actor: Actor, id: string) {
  if (!idSchema.safeParse(id).success) return null;
  const [m] = await getSql()<{ id: string; recipient: string; subject: string; template: string; html: string; text: string; state: (typeof MAIL_STATES)[number]; attempts: number; last_error: string | null; message_id: string | null; dedupe_key: string | null; created_at: string; sent_at: string | null }[]>`
    select id, recipient, subject, template, html, text, state, attempts, last_error, message_id, dedupe_key, created_at, sent_at
    from mail_outbox where id = ${id}`;
  if (!m) return null;
  await audit(getDb(), { actor, ip: clientIp(request) }, { action: "mail.view", objectType: "mail_outbox", objectId: m.id });
  return { ...m, created_at: iso(m.created_at)!, sent_at: iso(m.sent_at) };
}

/**
 * Sends a failed message again: back to the queue with its attempts reset and a new delivery
 * job, audited, all in one transaction. Only a `failed` message can be re-sent.
 */
export async function resendMail(request: Request, actor: Actor, rawId: unknown) {
  const parsed = idSchema.safeParse(rawId);
  if (!parsed.success) throw new InputError("Messaggio non valido");
  const id = parsed.data;
  await getSql().begin(async (tx) => {
    const [m] = await tx<{ state: string }[]>`select state from mail_outbox where id = ${id} for update`;
    if (!m) throw new InputError("Messaggio non trovato");
    if (m.state !== "failed") throw new InputError("Si possono inviare di nuovo solo i messaggi non recapitabili");
    await requeueMail(tx, id);
    await audit(drizzleOver(tx), { actor, ip: clientIp(request) }, { action: "mail.resend", objectType: "mail_outbox", objectId: id });
  });
}
