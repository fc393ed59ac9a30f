import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { ALREADY_SENT, CLOSED, savePage } from "~/applications/applications.server";
import { completeClickDaySends } from "~/applications/clickday-complete.server";
import { CLOSED_CLICK_DAY, markReady, sendClickDay } from "~/applications/clickday.server";
import { SOFIA_ANSWERS } from "~/demo/applications";
import { InputError } from "~/lib/errors";
import { CLIENT_IP_HEADER } from "~/lib/request.server";
import { getDb } from "~db/client";
import { applicationForViewer, applicationsOfApplicant } from "~db/queries/applications";
import { applications, auditLog, clickDayEntries, clickDays, machineHistory, mailOutbox, procedures } from "~db/schema";
import { applicantWithDraft as freshApplicant, insertClickDay, openClickDayIn, seedClickDayProcedure } from "../support/click-days";

/**
 * Deferred sending (ADR 64): the click day's acknowledgement stores rank, receipt time, number and
 * who sent, durably; issue 15's sending is completed afterwards by the completion job, once.
 */

let procedureId: string;
const request = new Request("http://127.0.0.1/click-day", { headers: { [CLIENT_IP_HEADER]: "127.0.0.1" } });
let serial = 0;
const applicantWithDraft = () => freshApplicant(procedureId, "CLKDEF", ++serial);
const refusal = (p: Promise<unknown>) => p.then(() => null, (e) => (e instanceof InputError ? e.message : Promise.reject(e)));
const waitUntil = async (at: Date) => { while (Date.now() < at.getTime() + 50) await new Promise((r) => setTimeout(r, 50)); };
const appRow = async (id: string) => (await getDb().select().from(applications).where(eq(applications.id, id)))[0]!;
const entryRow = async (id: string) => (await getDb().select().from(clickDayEntries).where(eq(clickDayEntries.applicationId, id)))[0]!;

/** What issue 15's sending writes for an application, counted. */
async function sendingWrites(id: string) {
  const [counts] = await getDb().execute<{ submits: number; audits: number; mails: number; receipts: number }>(sql`
    select (select count(*)::int from ${machineHistory} where object_id = ${id} and event = 'SUBMIT') as submits,
           (select count(*)::int from ${auditLog} where object_id = ${id} and action = 'application.submit') as audits,
           (select count(*)::int from ${mailOutbox} where dedupe_key = ${`application-sent:${id}`}) as mails,
           (select count(*)::int from pgboss.job where name = 'applications.receipt' and data->>'applicationId' = ${id}) as receipts`);
  return counts!;
}

const posted = (page: string, fields: Record<string, string>) => {
  const form = new FormData();
  form.set("page", page);
  form.set("intent", "salva");
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  return form;
};

beforeAll(async () => {
  procedureId = await seedClickDayProcedure();
}, 120_000);

describe("deferred sending of a click day", () => {
  it("stores the acknowledgement before the completion; the completion sends once, and a re-run does nothing twice", async () => {
    const a = await applicantWithDraft();
    const day = await insertClickDay(procedureId, 3600, 10);
    await markReady(request, a.signedIn, day.id, a.id);
    await waitUntil(await openClickDayIn(day.id, 1));
    const [ack] = await sendClickDay(request, a.signedIn, day.id, []);

    // No worker ran: the entry is ranked and numbered, who sent is kept, the application not yet sent.
    const entry = await entryRow(a.id);
    expect(entry).toMatchObject({ rank: 1, number: ack!.number, withinQuota: true, completedAt: null });
    expect(entry.sentBy).toEqual({ actor: { userId: a.signedIn.actor.userId, fiscalCode: a.signedIn.actor.fiscalCode, role: "richiedente" }, ip: "127.0.0.1" });
    const before = await appRow(a.id);
    expect({ state: before.state, number: before.number, submittedAt: before.submittedAt, sha: before.dataSha256 }).toEqual({ state: "bozza", number: null, submittedAt: null, sha: null });
    expect(await sendingWrites(a.id)).toEqual({ submits: 0, audits: 0, mails: 0, receipts: 0 });

    // Its applicant sees it sent at once, with number and receipt time; editing is refused, nothing changed.
    const [listed] = (await applicationsOfApplicant(getDb(), a.signedIn.actor)).filter((r) => r.id === a.id);
    expect(listed).toMatchObject({ state: "inviata", number: ack!.number, completing: true });
    expect(listed!.submittedAt!.getTime()).toBe(new Date(ack!.receivedAt).getTime());
    const opened = await applicationForViewer(getDb(), a.signedIn.actor, a.id);
    expect(opened).toMatchObject({ completing: true, application: { state: "inviata", number: ack!.number } });
    expect(await refusal(savePage(request, a.signedIn, a.id, posted("impresa", { ...SOFIA_ANSWERS.impresa, ragioneSociale: "Altro nome srl" })))).toBe(ALREADY_SENT);
    expect((await appRow(a.id)).data).toEqual(before.data);

    // The completion: issue 15's sending, with the acknowledgement's number, time and sender.
    expect(await completeClickDaySends(day.id)).toBe(1);
    const after = await appRow(a.id);
    expect({ state: after.state, number: after.number }).toEqual({ state: "inviata", number: ack!.number });
    expect(after.submittedAt!.getTime()).toBe(new Date(ack!.receivedAt).getTime());
    expect(after.dataSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await sendingWrites(a.id)).toEqual({ submits: 1, audits: 1, mails: 1, receipts: 1 });
    const [submit] = await getDb().select().from(machineHistory).where(and(eq(machineHistory.objectId, a.id), eq(machineHistory.event, "SUBMIT")));
    expect({ actor: submit!.actorUserId, at: submit!.at.getTime() }).toEqual({ actor: a.signedIn.actor.userId, at: new Date(ack!.receivedAt).getTime() });
    const [audited] = await getDb().select().from(auditLog).where(and(eq(auditLog.objectId, a.id), eq(auditLog.action, "application.submit")));
    expect({ fiscalCode: audited!.actorFiscalCode, ip: audited!.ip }).toEqual({ fiscalCode: a.signedIn.actor.fiscalCode, ip: "127.0.0.1" });
    expect((await entryRow(a.id)).completedAt).not.toBeNull();
    expect((await applicationForViewer(getDb(), a.signedIn.actor, a.id))!.completing).toBe(false);

    // A re-run (a retried job, the sweep) finds nothing; even with the marker lost it writes nothing twice.
    expect(await completeClickDaySends(day.id)).toBe(0);
    expect(await completeClickDaySends()).toBe(0);
    await getDb().update(clickDayEntries).set({ completedAt: null }).where(eq(clickDayEntries.applicationId, a.id));
    expect(await completeClickDaySends(day.id)).toBe(1);
    expect(await sendingWrites(a.id)).toEqual({ submits: 1, audits: 1, mails: 1, receipts: 1 });
    expect((await appRow(a.id)).number).toBe(ack!.number);
    // A repeat of the send still returns the original acknowledgement.
    expect(await sendClickDay(request, a.signedIn, day.id, [ack!.sendKey])).toEqual([ack]);
  }, 60_000);

  it("an answer changed after the marking is checked at the edit: the send is refused in Italian while it fails, nothing written", async () => {
    const a = await applicantWithDraft();
    const day = await insertClickDay(procedureId, 3600, 10);
    await markReady(request, a.signedIn, day.id, a.id);
    // "Salva e continua più tardi" takes a page with a required answer left empty.
    expect((await savePage(request, a.signedIn, a.id, posted("impresa", { ...SOFIA_ANSWERS.impresa, ragioneSociale: "" }))).ok).toBe(true);
    expect((await entryRow(a.id)).readyRefusal).toMatch(/^La domanda è incompleta: mancano 1 risposte obbligatorie\.$/);
    await waitUntil(await openClickDayIn(day.id, 1));
    expect(await refusal(sendClickDay(request, a.signedIn, day.id, []))).toMatch(/^La domanda è incompleta: mancano 1 risposte obbligatorie\.$/);
    expect(await entryRow(a.id)).toMatchObject({ rank: null, number: null });
    expect(await completeClickDaySends(day.id)).toBe(0);
    expect((await appRow(a.id)).state).toBe("bozza");
    // Answered again: the send goes.
    expect((await savePage(request, a.signedIn, a.id, posted("impresa", SOFIA_ANSWERS.impresa))).ok).toBe(true);
    expect((await entryRow(a.id)).readyRefusal).toBeNull();
    const [ack] = await sendClickDay(request, a.signedIn, day.id, []);
    expect(ack).toMatchObject({ applicationId: a.id, rank: 1 });
  }, 60_000);

  it("the click day's closing and the procedure's closing still refuse the send, nothing written", async () => {
    const a = await applicantWithDraft();
    const day = await insertClickDay(procedureId, 3600, 10);
    await markReady(request, a.signedIn, day.id, a.id);
    await getDb().update(clickDays).set({ opensAt: sql`clock_timestamp() - interval '1 hour'`, closesAt: sql`clock_timestamp() - interval '1 second'` }).where(eq(clickDays.id, day.id));
    expect(await refusal(sendClickDay(request, a.signedIn, day.id, []))).toBe(CLOSED_CLICK_DAY);
    expect(await entryRow(a.id)).toMatchObject({ rank: null, number: null, sentBy: null });
    await getDb().update(clickDays).set({ closesAt: null }).where(eq(clickDays.id, day.id));
    const [procedure] = await getDb().select().from(procedures).where(eq(procedures.id, procedureId));
    await getDb().update(procedures).set({ applicationsCloseOn: "2026-01-01" }).where(eq(procedures.id, procedureId));
    try {
      expect(await refusal(sendClickDay(request, a.signedIn, day.id, []))).toBe(CLOSED);
    } finally {
      await getDb().update(procedures).set({ applicationsCloseOn: procedure!.applicationsCloseOn }).where(eq(procedures.id, procedureId));
    }
    expect(await entryRow(a.id)).toMatchObject({ rank: null, number: null, sentBy: null });
    expect((await getDb().select().from(clickDays).where(eq(clickDays.id, day.id)))[0]!.lastRank).toBe(0);
    expect(await completeClickDaySends(day.id)).toBe(0);
  }, 60_000);

  it("waits for the click day's peak to end before completing, then completes every send of it", async () => {
    const a = await applicantWithDraft();
    const day = await insertClickDay(procedureId, 3600, 100);
    // 60 sends acknowledged "now" (received up to 2 s ahead, so the peak outlasts a slow machine's setup): copies of one complete draft.
    await getDb().execute(sql`
      with u as (
        insert into users (fiscal_code, name, surname, email)
        select 'CLKPEAK' || lpad(i::text, 9, '0'), 'Persona', 'Picco' || i, 'picco' || i || '@example.it' from generate_series(1, 60) i returning id),
      ap as (
        insert into applications (procedure_id, form_model_id, applicant_user_id, state, snapshot, data)
        select t.procedure_id, t.form_model_id, u.id, 'bozza', t.snapshot, t.data from u, applications t where t.id = ${a.id} returning id, applicant_user_id)
      insert into click_day_entries (application_id, click_day_id, applicant_user_id, ready_at, rank, received_at, within_quota, number, sent_by)
      select ap.id, ${day.id}, ap.applicant_user_id, clock_timestamp(), row_number() over (), clock_timestamp() + interval '2 seconds', true,
             'PICCO-' || lpad((row_number() over ())::text, 6, '0'), jsonb_build_object('actor', jsonb_build_object('userId', ap.applicant_user_id, 'role', 'richiedente'), 'ip', '127.0.0.1')
      from ap`);
    const completing = completeClickDaySends(day.id);
    await new Promise((r) => setTimeout(r, 500));
    const [early] = await getDb().execute<{ n: number }>(sql`select count(*)::int n from click_day_entries where click_day_id = ${day.id} and completed_at is not null`);
    expect(early!.n).toBe(0);
    expect(await completing).toBe(60);
    const [sent] = await getDb().execute<{ n: number }>(sql`select count(*)::int n from click_day_entries e join applications a on a.id = e.application_id where e.click_day_id = ${day.id} and a.state = 'inviata' and a.number = e.number`);
    expect(sent!.n).toBe(60);
    // Completed only once the peak was over: after the receipt times (set 2 s ahead), never before.
    const [order] = await getDb().execute<{ before: number }>(sql`select count(*)::int as before from click_day_entries where click_day_id = ${day.id} and completed_at <= received_at`);
    expect(order!.before).toBe(0);
  }, 60_000);
});
