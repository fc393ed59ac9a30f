import { isUuid } from "~db/uuid";
import { and, eq, gt, inArray, sql } from "drizzle-orm";
import { audit, type ChangeAuthor } from "~/audit/audit.server";
import type { SignedIn } from "~/auth/guards.server";
import { InputError } from "~/lib/errors";
import { groupCommit, type BatchOutcome } from "~/lib/group-commit.server";
import { clientIp } from "~/lib/request.server";
import { drizzleOver, getSql } from "~db/client";
import { clickDayEntries, clickDays, comuni, procedures } from "~db/schema";
import { assignedTo, groupOf, municipalitiesOf, rankInGroups } from "./clickday-groups";
import { enqueueMany } from "~/jobs/queue.server";
import { CLICK_DAY_COMPLETE_QUEUE } from "~/jobs/queues";
import { romeDate, timeLeftItalian, todayInRome } from "~/lib/dates";
import { ALREADY_SENT, answersRefusal, CLOSED, isOpen, lockDraft, reserveNumbers } from "./applications.server";

/**
 * Click days (issue 16, docs/decisions/0086): applications marked ready beforehand, then sent
 * by one action per applicant at the opening, ranked in the database's receipt order.
 */

export const NO_CLICK_DAY = "Questo click day non riguarda la domanda o è già aperto: la domanda non può essere segnata come pronta.";
export const NOTHING_READY = "Non ci sono domande pronte per questo click day.";
export const BAD_KEY = "Chiave di invio non valida: nessuna domanda è stata inviata. Ricaricare la pagina del click day.";
export const CLOSED_CLICK_DAY = "Il click day è chiuso: le domande non possono più essere inviate.";
export const NOT_ASSIGNED = "Questa domanda non è assegnata a questo click day (per il suo modello o la sua categoria): va inviata al click day a cui è assegnata.";
export const readyElsewhere = (label: string) => `La domanda è già pronta per un altro click day («${label}»).`;
export const wrongClickDay = (label: string) => `La domanda è pronta per un altro click day («${label}»): va inviata dalla pagina di quel click day. Nessuna domanda è stata inviata.`;

/** What the applicant gets back at once, and again (unchanged) on any repeat with the same key. */
export type Ack = { applicationId: string; sendKey: string; number: string; rank: number; receivedAt: string; withinQuota: boolean; group: string | null; groupRank: number | null };

export const notYetOpen = (ms: number) => `Il click day non è ancora aperto: ${Math.ceil(ms / 1000) === 1 ? "manca" : "mancano"} ${timeLeftItalian(ms)}.`;

/**
 * Marks the applicant's own complete draft "pronta per il click day": the completeness is
 * checked now, so nothing heavy is left for the peak. Only before the opening of a click day of its procedure.
 */
export async function markReady(request: Request, signedIn: SignedIn, clickDayId: string, applicationId: string) {
  return getSql().begin(async (tx) => {
    const db = drizzleOver(tx);
    const draft = await lockDraft(request, signedIn, db, applicationId);
    // Everything the send would check of the answers is checked now: the peak does not parse the form (ADR 64).
    const refused = answersRefusal(draft);
    if (refused) throw new InputError(refused);
    const [day] = await db
      .select()
      .from(clickDays)
      .where(and(eq(clickDays.id, clickDayId), eq(clickDays.procedureId, draft.procedure.id), gt(clickDays.opensAt, sql`clock_timestamp()`)));
    if (!day) throw new InputError(NO_CLICK_DAY);
    if (!assignedTo(day, draft.application.formModelId, draft.application.data)) throw new InputError(NOT_ASSIGNED);
    const inserted = await db
      .insert(clickDayEntries)
      .values({ applicationId, clickDayId: day.id, applicantUserId: signedIn.actor.userId, readyAt: sql`clock_timestamp()` })
      .onConflictDoNothing()
      .returning({ id: clickDayEntries.applicationId });
    if (!inserted.length) {
      // Already ready: for this click day a repeat is harmless; for another one, say which.
      const [other] = await db.select({ label: clickDays.label, id: clickDays.id }).from(clickDayEntries).innerJoin(clickDays, eq(clickDays.id, clickDayEntries.clickDayId)).where(eq(clickDayEntries.applicationId, applicationId));
      if (other && other.id !== day.id) throw new InputError(readyElsewhere(other.label));
      await db.update(clickDayEntries).set({ readyRefusal: null }).where(eq(clickDayEntries.applicationId, applicationId));
    }
    await audit(db, { actor: signedIn.actor, ip: clientIp(request) }, { action: "application.click_day_ready", objectType: "application", objectId: applicationId, details: { clickDayId: day.id } });
    return { clickDayId: day.id };
  });
}

const ackOf = (e: BatchEntry): Ack => ({
  applicationId: e.application_id,
  sendKey: e.send_key,
  number: e.number!,
  rank: e.rank!,
  receivedAt: new Date(e.received_at!).toISOString(),
  withinQuota: e.within_quota!,
  group: e.group_key,
  groupRank: e.group_rank,
});

/**
 * The one send of an applicant at a click day: every ready application of theirs is numbered and
 * ranked in the order the server receives the sends (never a client time); beyond the quota still
 * ranked, "fuori quota". Entries already sent return their stored acknowledgement (idempotency key
 * per application). The send joins the click day's next group commit (clickday-batch.server.ts,
 * ADR 96) and is acknowledged only after that transaction commits.
 */
export function sendClickDay(request: Request, signedIn: SignedIn, clickDayId: string, keys: string[]): Promise<Ack[]> {
  if (!isUuid(clickDayId)) return Promise.reject(new Response("Click day non trovato.", { status: 404 }));
  return joinBatch(clickDayId, { userId: signedIn.actor.userId, keys, author: { actor: signedIn.actor, ip: clientIp(request) } });
}

type Sender = { userId: string; keys: string[]; author: ChangeAuthor };

/** An entry of the batch's senders, with what the peak reads of its application (ADR 64). */
type BatchEntry = {
  application_id: string;
  applicant_user_id: string;
  send_key: string;
  rank: number | null;
  /** As PostgreSQL's text: drizzle's postgres.js driver leaves timestamps unparsed. */
  received_at: string | Date | null;
  within_quota: boolean | null;
  group_key: string | null;
  group_rank: number | null;
  number: string | null;
  ready_refusal: string | null;
  state: string;
  form_model_id: string;
  /** Only the answers the click day's assignment and quota split read, not the whole form. */
  answers: Record<string, unknown> | null;
};

/**
 * Ranks a batch of sends of one click day in ONE transaction, in the batch's (arrival) order, and
 * stores only the acknowledgement (ADR 64): the click day's row is locked first (batches of other
 * processes wait), each applicant's entries are locked and checked (a refusal concerns that
 * applicant only, nothing of theirs is written), then ONE counter update takes the ranks of the
 * whole batch, ONE the numbers, and ONE statement stores on the entries rank, receipt time, quota,
 * number and who sent. Issue 15's sending (machine, history, audit, answers' SHA-256, receipt,
 * mail) is completed from these rows by the click-day completion job (clickday-complete.server.ts),
 * enqueued in the same transaction. The answers were checked when marked ready and again at every
 * edit since (`ready_refusal`), so the form is not parsed here. Returns each sender's outcome; the
 * caller hands them out after the commit.
 */
export async function rankBatch(clickDayId: string, senders: Sender[]): Promise<BatchOutcome<Ack[]>[]> {
  return getSql().begin(async (tx) => {
    const db = drizzleOver(tx);
    const [day] = await db
      .select({ day: clickDays, procedure: procedures, now: sql<Date>`clock_timestamp()`.mapWith((v: string) => new Date(v)) })
      .from(clickDays)
      .innerJoin(procedures, eq(procedures.id, clickDays.procedureId))
      .where(eq(clickDays.id, clickDayId))
      .for("update", { of: clickDays });
    if (!day) return senders.map(() => ({ ok: false as const, error: new Response("Click day non trovato.", { status: 404 }) }));
    const early = day.day.opensAt.getTime() - day.now.getTime();
    if (early > 0) return senders.map(() => ({ ok: false as const, error: new InputError(notYetOpen(early)) }));
    const closed = day.day.closesAt !== null && day.now >= day.day.closesAt ? CLOSED_CLICK_DAY : !isOpen(day.procedure, todayInRome(day.now)) ? CLOSED : null;
    const read = [day.day.assignField, day.day.groupField].filter((f): f is string => Boolean(f));
    const entries = await tx<BatchEntry[]>`
      select e.application_id, e.applicant_user_id, e.send_key, e.rank, e.received_at, e.within_quota, e.group_key, e.group_rank, e.number, e.ready_refusal,
             a.state, a.form_model_id, (select jsonb_object_agg(k, a.data -> k) from unnest(${read}::text[]) k) as answers
      from click_day_entries e join applications a on a.id = e.application_id
      where e.click_day_id = ${clickDayId} and e.applicant_user_id = any(${[...new Set(senders.map((s) => s.userId))]}::uuid[])
      order by e.ready_at, e.application_id
      for update of e`;
    const outcomes: (BatchOutcome<Ack[]> | "pending")[] = [];
    const toSend: { entry: BatchEntry; author: ChangeAuthor }[] = [];
    const claimed = new Set<string>();
    for (const sender of senders) {
      const mine = entries.filter((e) => e.applicant_user_id === sender.userId);
      const pending = mine.filter((e) => e.rank === null && !claimed.has(e.application_id));
      const foreign = sender.keys.filter((k) => !mine.some((e) => e.send_key === k));
      const refusal =
        foreign.length ? await foreignKeyRefusal(db, sender.userId, foreign) :
        !mine.length ? NOTHING_READY :
        pending.length && closed ? closed :
        pending.some((e) => !assignedTo(day.day, e.form_model_id, e.answers ?? {})) ? NOT_ASSIGNED :
        pending.map((e) => (e.state !== "bozza" ? ALREADY_SENT : e.ready_refusal)).find(Boolean);
      if (refusal) {
        outcomes.push({ ok: false, error: new InputError(refusal) });
        continue;
      }
      for (const e of pending) {
        claimed.add(e.application_id);
        toSend.push({ entry: e, author: sender.author });
      }
      outcomes.push("pending");
    }
    if (toSend.length) {
      // The ranks and the receipt time of the whole batch together, under the click day's row lock held to the commit.
      // With a quota split, each is also ranked in its group (ADR 120): the last rank per group lives on the same locked row.
      const sentData = toSend.map((s) => s.entry.answers ?? {});
      const codes = municipalitiesOf(day.day, sentData);
      const provinceOf = new Map(codes.length ? (await db.select({ code: comuni.code, abbr: comuni.provinceAbbr }).from(comuni).where(inArray(comuni.code, codes))).map((c) => [c.code, c.abbr]) : []);
      const grouped = rankInGroups(day.day, day.day.lastRank + 1, sentData.map((d) => groupOf(day.day, d, provinceOf)));
      const [taken] = await db
        .update(clickDays)
        .set({ lastRank: sql`${clickDays.lastRank} + ${toSend.length}`, ...(day.day.groupBy === "none" ? {} : { groupLastRanks: grouped.groupLastRanks }) })
        .where(eq(clickDays.id, clickDayId))
        .returning({ last: clickDays.lastRank, atText: sql<string>`clock_timestamp()::text` });
      const at = new Date(taken!.atText);
      const first = taken!.last - toSend.length + 1;
      const numbered = await reserveNumbers(db, day.procedure, Number(romeDate(at).slice(0, 4)), toSend.length);
      // The `= any` lets PostgreSQL find the rows by the primary key: joined with the recordset alone, it read every entry (ADR 64).
      const ranked = toSend.map((s, i) => ({ id: s.entry.application_id, rank: first + i, number: numbered[i]!, by: sentBy(s.author), ...grouped.ranked[i]! }));
      await tx`
        update click_day_entries e set rank = v.rank, received_at = ${taken!.atText}::timestamptz, within_quota = v."withinQuota", group_key = v."groupKey", group_rank = v."groupRank", number = v.number, sent_by = v.by
        from jsonb_to_recordset(${JSON.stringify(ranked)}::jsonb) as v(id uuid, rank int, "withinQuota" boolean, "groupKey" text, "groupRank" int, number text, by jsonb)
        where e.application_id = v.id and e.application_id = any(${ranked.map((r) => r.id)}::uuid[])`;
      // The rest of the sending, right after the commit; the sweep (clickday-complete.server.ts) covers a job lost.
      await enqueueMany(CLICK_DAY_COMPLETE_QUEUE, [{ clickDayId }], { within: tx });
      toSend.forEach((s, i) => Object.assign(s.entry, { rank: first + i, received_at: at, number: numbered[i]!, within_quota: grouped.ranked[i]!.withinQuota, group_key: grouped.ranked[i]!.groupKey, group_rank: grouped.ranked[i]!.groupRank }));
    }
    return outcomes.map((o, i) => (o !== "pending" ? o : { ok: true as const, value: entries.filter((e) => e.applicant_user_id === senders[i]!.userId).map(ackOf) }));
  });
}

/** Who sent, as the audit and the machine's history record it later (ADR 64): no more of the person than they keep. */
const sentBy = (a: ChangeAuthor) => ({ actor: a.actor ? { userId: a.actor.userId ?? null, fiscalCode: a.actor.fiscalCode ?? null, role: a.actor.role ?? null } : null, ip: a.ip ?? null });

const joinBatch = groupCommit<Sender, Ack[]>(rankBatch);

/** Keys not among the sender's entries of this click day: their ready application of another click day (named), or a bad key. */
async function foreignKeyRefusal(db: ReturnType<typeof drizzleOver>, userId: string, keys: string[]) {
  const valid = keys.filter(isUuid);
  const [other] = valid.length
    ? await db
        .select({ label: clickDays.label })
        .from(clickDayEntries)
        .innerJoin(clickDays, eq(clickDays.id, clickDayEntries.clickDayId))
        .where(and(eq(clickDayEntries.applicantUserId, userId), inArray(clickDayEntries.sendKey, valid)))
        .limit(1)
    : [];
  return other ? wrongClickDay(other.label) : BAD_KEY;
}
