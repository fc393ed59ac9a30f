import { and, asc, eq, gt, inArray, sql } from "drizzle-orm";
import { audit } from "~/audit/audit.server";
import type { SignedIn } from "~/auth/guards.server";
import { parseFormDefinition } from "~/forms/definition";
import { missingAnswers } from "~/forms/validate";
import { timeLeftItalian } from "~/lib/dates";
import { InputError } from "~/lib/errors";
import { clientIp } from "~/lib/request.server";
import { drizzleOver, getSql } from "~db/client";
import { applications, clickDayEntries, clickDays, formModels, procedures } from "~db/schema";
import { ALREADY_SENT, lockDraft, submitLocked } from "./applications.server";

/**
 * Click days (issue 16, docs/decisions/0086): applications marked ready beforehand, then sent
 * by one action per applicant at the opening, ranked in the database's receipt order.
 */

export const NO_CLICK_DAY = "Questo click day non riguarda la domanda o è già aperto: la domanda non può essere segnata come pronta.";
export const NOTHING_READY = "Non ci sono domande pronte per questo click day.";
export const BAD_KEY = "Chiave di invio non valida: nessuna domanda è stata inviata. Ricaricare la pagina del click day.";
export const CLOSED_CLICK_DAY = "Il click day è chiuso: le domande non possono più essere inviate.";

/** What the applicant gets back at once, and again (unchanged) on any repeat with the same key. */
export type Ack = { applicationId: string; sendKey: string; number: string; rank: number; receivedAt: string; withinQuota: boolean };

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
    await db
      .insert(clickDayEntries)
      .values({ applicationId, clickDayId: day.id, applicantUserId: signedIn.actor.userId, readyAt: sql`clock_timestamp()` })
      .onConflictDoNothing();
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
});

/**
 * The one send of an applicant at a click day, in ONE transaction: every ready application of
 * theirs is numbered and ranked from the click day's counter row, in the order the database
 * receives them (its clock, never the client's); beyond the quota still ranked, "fuori quota".
 * Entries already sent return their stored acknowledgement (idempotency key per application).
 * The acknowledgement leaves only after the commit (synchronous commit, the default).
 */
export async function sendClickDay(request: Request, signedIn: SignedIn, clickDayId: string, keys: string[]): Promise<Ack[]> {
  return getSql().begin(async (tx) => {
    const db = drizzleOver(tx);
    const [day] = /^[0-9a-f-]{36}$/i.test(clickDayId)
      ? await db.select({ day: clickDays, now: sql<Date>`clock_timestamp()`.mapWith((v: string) => new Date(v)) }).from(clickDays).where(eq(clickDays.id, clickDayId))
      : [];
    if (!day) throw new Response("Click day non trovato.", { status: 404 });
    const early = day.day.opensAt.getTime() - day.now.getTime();
    if (early > 0) throw new InputError(notYetOpen(early));
    const entries = await db
      .select()
      .from(clickDayEntries)
      .where(and(eq(clickDayEntries.clickDayId, clickDayId), eq(clickDayEntries.applicantUserId, signedIn.actor.userId)))
      .orderBy(asc(clickDayEntries.readyAt), asc(clickDayEntries.applicationId))
      .for("update");
    if (keys.some((k) => !entries.some((e) => e.sendKey === k))) throw new InputError(BAD_KEY);
    if (!entries.length) throw new InputError(NOTHING_READY);
    const pending = entries.filter((e) => e.rank === null);
    if (pending.length && day.day.closesAt && day.now >= day.day.closesAt) throw new InputError(CLOSED_CLICK_DAY);
    const sentNumbers = new Map(
      (await db.select({ id: applications.id, number: applications.number }).from(applications).where(inArray(applications.id, entries.map((e) => e.applicationId)))).map((r) => [r.id, r.number]),
    );
    const acks: Ack[] = [];
    for (const e of entries) {
      if (e.rank !== null) {
        acks.push(ackOf(e, sentNumbers.get(e.applicationId)!));
        continue;
      }
      const [row] = await db
        .select({ application: applications, model: formModels, procedure: procedures })
        .from(applications)
        .innerJoin(formModels, eq(formModels.id, applications.formModelId))
        .innerJoin(procedures, eq(procedures.id, applications.procedureId))
        .where(eq(applications.id, e.applicationId))
        .for("update", { of: applications });
      if (row!.application.state !== "bozza") throw new InputError(ALREADY_SENT);
      const parsed = parseFormDefinition(row!.model.definition);
      if (!parsed.ok) throw new Error("stored form definition no longer valid");
      // The rank and the receipt time are taken together under the counter row's lock, held to the commit:
      // ranks follow receipt. Taken as late as possible in the sending (ADR 86).
      let ranked: { rank: number; quota: number; at: Date } | undefined;
      const { number } = await submitLocked(tx, { ...row!, applicant: null as never, form: parsed.form }, { actor: signedIn.actor, ip: clientIp(request) }, day.now, async () => {
        [ranked] = await db
          .update(clickDays)
          .set({ lastRank: sql`${clickDays.lastRank} + 1` })
          .where(eq(clickDays.id, clickDayId))
          .returning({ rank: clickDays.lastRank, quota: clickDays.quota, at: sql<Date>`clock_timestamp()`.mapWith((v: string) => new Date(v)) });
        return ranked!.at;
      });
      const [sent] = await db
        .update(clickDayEntries)
        .set({ rank: ranked!.rank, receivedAt: ranked!.at, withinQuota: ranked!.rank <= ranked!.quota })
        .where(eq(clickDayEntries.applicationId, e.applicationId))
        .returning();
      acks.push(ackOf(sent!, number));
    }
    return acks;
  });
}
