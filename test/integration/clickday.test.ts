import { count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { startDraft } from "~/applications/applications.server";
import { BAD_KEY, markReady, NOTHING_READY, sendClickDay } from "~/applications/clickday.server";
import { timeLeftItalian } from "~/lib/dates";
import { fillDemoPages } from "~/demo/applications";
import { InputError } from "~/lib/errors";
import { getDb } from "~db/client";
import { applicationCounters, applications, clickDayEntries, clickDays, mailOutbox } from "~db/schema";
import { applicantWithDraft as freshApplicant, insertClickDay, openClickDayIn, seedClickDayProcedure } from "../support/click-days";

let procedureId: string;
const request = new Request("http://127.0.0.1/click-day");
let serial = 0;

/** A fresh applicant with one complete draft of the demo procedure. */
const applicantWithDraft = () => freshApplicant(procedureId, "CLKDAY", ++serial);

const clickDay = (inSeconds: number, quota = 100) => insertClickDay(procedureId, inSeconds, quota);

const refusal = (p: Promise<unknown>) => p.then(() => null, (e) => (e instanceof InputError ? e.message : e instanceof Response ? String(e.status) : Promise.reject(e)));
const waitUntil = async (at: Date) => { while (Date.now() < at.getTime() + 50) await new Promise((r) => setTimeout(r, 50)); };
const counterOf = async () => (await getDb().select({ n: count() }).from(applicationCounters))[0]!.n;
const mails = async () => (await getDb().select({ n: count() }).from(mailOutbox))[0]!.n;

beforeAll(async () => {
  procedureId = await seedClickDayProcedure();
}, 120_000);

describe("time left", () => {
  it("is said in Italian, whole seconds rounded up", () => {
    expect(timeLeftItalian(1)).toBe("1 secondo");
    expect(timeLeftItalian(999)).toBe("1 secondo");
    expect(timeLeftItalian(61_000)).toBe("1 minuto e 1 secondo");
    expect(timeLeftItalian(2 * 86_400_000 + 3 * 3_600_000 + 5000)).toBe("2 giorni, 3 ore e 5 secondi");
  });
});

describe("click day", () => {
  it("refuses an incomplete draft as ready, and refuses the send 1 s early with nothing written", async () => {
    const a = await applicantWithDraft();
    const incomplete = await startDraft(request, a.signedIn, procedureId);
    const day = await clickDay(2);
    expect(await refusal(markReady(request, a.signedIn, day.id, incomplete))).toMatch(/^La domanda è incompleta: mancano \d+ risposte obbligatorie\.$/);
    expect(await getDb().select().from(clickDayEntries).where(eq(clickDayEntries.applicationId, incomplete))).toHaveLength(0);
    await markReady(request, a.signedIn, day.id, a.id);
    await waitUntil(new Date(day.opensAt.getTime() - 1000 - 50));
    const before = { counters: await counterOf(), mails: await mails() };
    expect(await refusal(sendClickDay(request, a.signedIn, day.id, []))).toMatch(/^Il click day non è ancora aperto: manca 1 secondo\.$/);
    const [row] = await getDb().select().from(applications).where(eq(applications.id, a.id));
    expect(row!.state).toBe("bozza");
    expect(row!.number).toBeNull();
    expect((await getDb().select().from(clickDayEntries).where(eq(clickDayEntries.applicationId, a.id)))[0]!.rank).toBeNull();
    expect((await getDb().select().from(clickDays).where(eq(clickDays.id, day.id)))[0]!.lastRank).toBe(0);
    expect({ counters: await counterOf(), mails: await mails() }).toEqual(before);
    await waitUntil(day.opensAt);
    const [ack] = await sendClickDay(request, a.signedIn, day.id, []);
    expect(ack).toMatchObject({ applicationId: a.id, rank: 1, withinQuota: true });
    expect(ack!.number).toMatch(/^DOM-\d{4}-\d{6}$/);
    expect(new Date(ack!.receivedAt).getTime()).toBeGreaterThanOrEqual(day.opensAt.getTime());
  }, 30_000);

  it("ranks concurrent sends without gaps in receipt order; a retry with the same key returns the same ack; beyond the quota is fuori quota", async () => {
    const people = [];
    for (let i = 0; i < 8; i++) people.push(await applicantWithDraft());
    // One applicant with two ready applications: both go in the one send.
    const second = await startDraft(request, people[0]!.signedIn, procedureId);
    await fillDemoPages(people[0]!.signedIn, second);
    const day = await clickDay(3600, 5);
    for (const p of people) await markReady(request, p.signedIn, day.id, p.id);
    await markReady(request, people[0]!.signedIn, day.id, second);
    expect(await refusal(markReady(request, people[1]!.signedIn, day.id, second))).toBe("403");
    // The opening moved close once everyone is ready: on a loaded machine the marking can outlast a fixed delay.
    await waitUntil(await openClickDayIn(day.id, 1));
    const results = await Promise.all(people.map((p) => sendClickDay(request, p.signedIn, day.id, [])));
    const acks = results.flat();
    expect(acks).toHaveLength(9);
    expect(results[0]!.map((a) => a.applicationId).sort()).toEqual([people[0]!.id, second].sort());
    expect(acks.map((a) => a.rank).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const byRank = [...acks].sort((x, y) => x.rank - y.rank);
    for (let i = 1; i < byRank.length; i++) expect(byRank[i]!.receivedAt >= byRank[i - 1]!.receivedAt).toBe(true);
    expect(byRank.map((a) => a.withinQuota)).toEqual([true, true, true, true, true, false, false, false, false]);
    expect(new Set(acks.map((a) => a.number)).size).toBe(9);

    // A repeated click (concurrently) and a retry with the key: the original acknowledgement, nothing new.
    const p = people[3]!;
    const original = results[3]!;
    const again = await Promise.all([sendClickDay(request, p.signedIn, day.id, [original[0]!.sendKey]), sendClickDay(request, p.signedIn, day.id, [])]);
    expect(again[0]).toEqual(original);
    expect(again[1]).toEqual(original);
    expect((await getDb().select().from(clickDays).where(eq(clickDays.id, day.id)))[0]!.lastRank).toBe(9);

    // Someone else's key is refused, nothing written.
    expect(await refusal(sendClickDay(request, people[4]!.signedIn, day.id, [original[0]!.sendKey]))).toBe(BAD_KEY);
    const stranger = await applicantWithDraft();
    expect(await refusal(sendClickDay(request, stranger.signedIn, day.id, []))).toBe(NOTHING_READY);
    expect((await getDb().select().from(clickDays).where(eq(clickDays.id, day.id)))[0]!.lastRank).toBe(9);
  }, 60_000);
});
