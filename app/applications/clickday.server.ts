import { isUuid } from "~db/uuid";
import { and, asc, eq, gt, inArray, sql } from "drizzle-orm";
import { audit, type ChangeAuthor } from "~/audit/audit.server";
import type { SignedIn } from "~/auth/guards.server";
import { parseFormDefinition, type FormDefinition } from "~/forms/definition";
import { missingAnswers } from "~/forms/validate";
import { romeDate, timeLeftItalian } from "~/lib/dates";
import { InputError } from "~/lib/errors";
import { groupCommit, type BatchOutcome } from "~/lib/group-commit.server";
import { clientIp } from "~/lib/request.server";
import { drizzleOver, getSql } from "~db/client";
import { applications, clickDayEntries, clickDays, comuni, formModels, procedures } from "~db/schema";
import { assignedTo, groupOf, municipalitiesOf, rankInGroups } from "./clickday-groups";
import { ALREADY_SENT, lockDraft, reserveNumbers, sendingRefusal, submitMany } from "./applications.server";

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
    const missing = missingAnswers(draft.form, draft.application.data);
    if (missing.length) throw new InputError(`La domanda è incompleta: mancano ${missing.length} risposte obbligatorie.`);
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
    }
    await audit(db, { actor: signedIn.actor, ip: clientIp(request) }, { action: "application.click_day_ready", objectType: "application", objectId: applicationId, details: { clickDayId: day.id } });
    return { clickDayId: day.id };
  });
}

const ackOf = (e: typeof clickDayEntries.$inferSelect, number: string): Ack => ({
  applicationId: e.applicationId,
  sendKey: e.sendKey,
  number,
  rank: e.rank!,
  receivedAt: e.receivedAt!.toISOString(),
  withinQuota: e.withinQuota!,
  group: e.groupKey,
  groupRank: e.groupRank,
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

/**
 * Ranks a batch of sends of one click day in ONE transaction, in the batch's (arrival) order: the
 * click day's row is locked first (batches of other processes wait), each applicant's entries and
 * applications are locked and checked (a refusal concerns that applicant only, nothing of theirs
 * is written), then ONE counter update takes the ranks of the whole batch and ONE the numbers, the
 * sendings run pipelined on the transaction's connection, and one statement stores the ranks.
 * Returns each sender's outcome; the caller hands them out after the commit.
 */
export async function rankBatch(clickDayId: string, senders: Sender[]): Promise<BatchOutcome<Ack[]>[]> {
  return getSql().begin(async (tx) => {
    const db = drizzleOver(tx);
    const [day] = await db
      .select({ day: clickDays, now: sql<Date>`clock_timestamp()`.mapWith((v: string) => new Date(v)) })
      .from(clickDays)
      .where(eq(clickDays.id, clickDayId))
      .for("update", { of: clickDays });
    if (!day) return senders.map(() => ({ ok: false as const, error: new Response("Click day non trovato.", { status: 404 }) }));
    const early = day.day.opensAt.getTime() - day.now.getTime();
    if (early > 0) return senders.map(() => ({ ok: false as const, error: new InputError(notYetOpen(early)) }));
    const closed = day.day.closesAt !== null && day.now >= day.day.closesAt;
    const entries = await db
      .select()
      .from(clickDayEntries)
      .where(and(eq(clickDayEntries.clickDayId, clickDayId), inArray(clickDayEntries.applicantUserId, [...new Set(senders.map((s) => s.userId))])))
      .orderBy(asc(clickDayEntries.readyAt), asc(clickDayEntries.applicationId))
      .for("update");
    const rows = entries.length
      ? await db
          .select({ application: applications, model: formModels, procedure: procedures })
          .from(applications)
          .innerJoin(formModels, eq(formModels.id, applications.formModelId))
          .innerJoin(procedures, eq(procedures.id, applications.procedureId))
          .where(inArray(applications.id, entries.map((e) => e.applicationId)))
          .for("update", { of: applications })
      : [];
    const forms = new Map<string, FormDefinition>();
    const drafts = new Map(
      rows.map((r) => {
        let form = forms.get(r.model.id);
        if (!form) {
          const parsed = parseFormDefinition(r.model.definition);
          if (!parsed.ok) throw new Error("stored form definition no longer valid");
          forms.set(r.model.id, (form = parsed.form));
        }
        return [r.application.id, { ...r, applicant: null as never, form }] as const;
      }),
    );
    const outcomes: (BatchOutcome<Ack[]> | "pending")[] = [];
    const toSend: { entry: (typeof entries)[number]; author: ChangeAuthor }[] = [];
    const claimed = new Set<string>();
    for (const sender of senders) {
      const mine = entries.filter((e) => e.applicantUserId === sender.userId);
      const pending = mine.filter((e) => e.rank === null && !claimed.has(e.applicationId));
      const foreign = sender.keys.filter((k) => !mine.some((e) => e.sendKey === k));
      const refusal =
        foreign.length ? await foreignKeyRefusal(db, sender.userId, foreign) :
        !mine.length ? NOTHING_READY :
        pending.length && closed ? CLOSED_CLICK_DAY :
        pending.some((e) => { const d = drafts.get(e.applicationId)!; return !assignedTo(day.day, d.model.id, d.application.data); }) ? NOT_ASSIGNED :
        pending.map((e) => drafts.get(e.applicationId)!).map((d) => (d.application.state !== "bozza" ? ALREADY_SENT : sendingRefusal(d, day.now))).find(Boolean);
      if (refusal) {
        outcomes.push({ ok: false, error: new InputError(refusal) });
        continue;
      }
      for (const e of pending) {
        claimed.add(e.applicationId);
        toSend.push({ entry: e, author: sender.author });
      }
      outcomes.push("pending");
    }
    const numbers = new Map(rows.map((r) => [r.application.id, r.application.number]));
    if (toSend.length) {
      // The ranks and the receipt time of the whole batch together, under the click day's row lock held to the commit.
      // With a quota split, each is also ranked in its group (ADR 120): the last rank per group lives on the same locked row.
      const sentData = toSend.map((s) => drafts.get(s.entry.applicationId)!.application.data);
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
      const procedure = drafts.get(toSend[0]!.entry.applicationId)!.procedure;
      const numbered = await reserveNumbers(db, procedure, Number(romeDate(at).slice(0, 4)), toSend.length);
      await submitMany(tx, toSend.map((s) => ({ draft: drafts.get(s.entry.applicationId)!, author: s.author })), day.now, { numbers: numbered, at });
      const ranked = toSend.map((s, i) => ({ id: s.entry.applicationId, rank: first + i, ...grouped.ranked[i]! }));
      await tx`
        update click_day_entries e set rank = v.rank, received_at = ${taken!.atText}::timestamptz, within_quota = v."withinQuota", group_key = v."groupKey", group_rank = v."groupRank"
        from jsonb_to_recordset(${JSON.stringify(ranked)}::jsonb) as v(id uuid, rank int, "withinQuota" boolean, "groupKey" text, "groupRank" int)
        where e.application_id = v.id`;
      toSend.forEach((s, i) => {
        Object.assign(s.entry, { rank: first + i, receivedAt: at, ...grouped.ranked[i]! });
        numbers.set(s.entry.applicationId, numbered[i]!);
      });
    }
    return outcomes.map((o, i) => (o !== "pending" ? o : { ok: true as const, value: entries.filter((e) => e.applicantUserId === senders[i]!.userId).map((e) => ackOf(e, numbers.get(e.applicationId)!)) }));
  });
}

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
