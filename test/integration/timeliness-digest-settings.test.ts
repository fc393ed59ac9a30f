import { beforeAll, describe, expect, it } from "vitest";
import { InputError } from "~/lib/errors";
import { overLimitCounts, overLimitPractices, runWeeklyDigest } from "~/timeliness/digest.server";
import { stateLimitOf } from "~/timeliness/pages.server";
import { addExtraHoliday, setMeasureObligation } from "~/timeliness/settings.server";
import { getDb, getSql } from "~db/client";
import { GESTORE_DEMO, seedDemo } from "../support/actors";
import { fixture, gestoreId, uploadAndProcess } from "../support/uploads";

const who = { system: "test" };

const measuresSnapshot = async () =>
  JSON.stringify(await getSql()`select * from measures order by code`) + JSON.stringify(await getSql()`select * from extra_holidays order by month, day`);

beforeAll(async () => {
  await seedDemo();
  await uploadAndProcess(GESTORE_DEMO, fixture("valid-first.txt"), { today: "2020-07-01" });
});

describe("state limits and the weekly digest", () => {
  it("flags practices over their measure's limits and sends the digest once a week", async () => {
    // No limits yet: nothing is over them.
    expect((await overLimitPractices(getSql(), "2020-07-15")).size).toBe(0);
    await setMeasureObligation(getDb(), who, { code: "COVID-LIQ", cadence: "none", maxDaysIstruttoria: 60, maxDaysSospesa: 90 });
    // PR-0002 in istruttoria since 10/04/2020 (96 days); PR-0005 sospesa since 30/04/2020 (76 days, under its 90).
    const over = await overLimitPractices(getSql(), "2020-07-15");
    const mine = over.get(await gestoreId(GESTORE_DEMO))!;
    expect(mine.total).toBe(1);
    expect(mine.practices.map((p) => [p.code, p.state, p.days, p.maxDays])).toEqual([["PR-0002", "IN_ISTRUTTORIA", 96, 60]]);
    const [covid] = await getSql()<{ id: string }[]>`select id from measures where code = 'COVID-LIQ'`;
    expect([...(await overLimitCounts(getSql(), "2020-08-03"))]).toEqual([[`${await gestoreId(GESTORE_DEMO)}:${covid!.id}`, 2]]);

    const [pr2] = await getSql()<{ measureId: string; state: string; stateDate: string }[]>`
      select measure_id as "measureId", state::text, state_date::text as "stateDate" from practices where code = 'PR-0002'`;
    expect(await stateLimitOf(pr2!, "2020-07-15")).toEqual({ days: 96, maxDays: 60 });
    expect(await stateLimitOf(pr2!, "2020-06-09")).toBeNull();
    expect(await stateLimitOf({ ...pr2!, state: "EROGATA" }, "2020-07-15")).toBeNull();
    const first = await runWeeklyDigest({ now: new Date("2020-07-15T06:00:00Z") });
    expect(first).toMatchObject({ week: "2020-07-13", gestori: 1, messages: 3 });
    const again = await runWeeklyDigest({ now: new Date("2020-07-17T06:00:00Z") });
    expect(again.messages).toBe(0);
    const rows = await getSql()<{ recipient: string; subject: string; text: string }[]>`
      select recipient, subject, text from mail_outbox where template = 'riepilogo-settimanale' order by recipient`;
    expect(rows.map((r) => r.recipient)).toEqual(["confididemo@pec.example.it", "info@confidi-demo.example.it", "marco.verdi@confidi-demo.example.it"]);
    expect(rows[0]!.subject).toBe("Riepilogo settimanale: 1 pratica oltre i tempi massimi");
    expect(rows[0]!.text).toContain("- pratica PR-0002 (COVID-LIQ): in istruttoria dal 10/04/2020, 96 giorni (massimo 60)");
    // The practice's beneficiary is personal data and stays out of the mail.
    expect(rows[0]!.text).not.toContain("Rossi Mario");

    // Three weeks later PR-0005 is over its limit too: a new digest with both.
    const next = await runWeeklyDigest({ now: new Date("2020-08-03T06:00:00Z") });
    expect(next.messages).toBe(3);
    const [latest] = await getSql()<{ subject: string; text: string }[]>`
      select subject, text from mail_outbox where template = 'riepilogo-settimanale' and dedupe_key like ${"%:2020-08-03:%"} limit 1`;
    expect(latest!.subject).toBe("Riepilogo settimanale: 2 pratiche oltre i tempi massimi");
    expect(latest!.text).toContain("- pratica PR-0002 (COVID-LIQ): in istruttoria dal 10/04/2020, 115 giorni (massimo 60)");
    expect(latest!.text).toContain("- pratica PR-0005 (COVID-LIQ): sospesa dal 30/04/2020, 95 giorni (massimo 90)");
  });
});

describe("obligation settings refuse bad input in Italian and change nothing", () => {
  const cases: [string, Parameters<typeof setMeasureObligation>[2], RegExp][] = [
    ["unknown measure", { code: "NESSUNA", cadence: "monthly", day: 15, startsOn: "2026-01-01" }, /Misura NESSUNA non registrata/],
    ["unknown cadence", { code: "COVID-LIQ", cadence: "weekly" as never, day: 15, startsOn: "2026-01-01" }, /cadenza non valida/],
    ["missing day", { code: "COVID-LIQ", cadence: "monthly", startsOn: "2026-01-01" }, /day: obbligatorio/],
    ["day 32 of a month", { code: "COVID-LIQ", cadence: "monthly", day: 32, startsOn: "2026-01-01" }, /giorno da 1 a 31/],
    ["missing start", { code: "COVID-LIQ", cadence: "every_n_days", day: 30 }, /data di inizio/],
    ["impossible date", { code: "COVID-LIQ", cadence: "monthly", day: 15, startsOn: "2026-02-30" }, /data inesistente/],
    ["end before start", { code: "COVID-LIQ", cadence: "monthly", day: 15, startsOn: "2026-06-01", endsOn: "2026-01-01" }, /precede/],
    ["zero reminder interval", { code: "COVID-LIQ", cadence: "monthly", day: 15, startsOn: "2026-01-01", reminderEveryDays: 0 }, /giorni tra i promemoria: almeno 1/],
    ["unknown org unit", { code: "COVID-LIQ", cadence: "monthly", day: 15, startsOn: "2026-01-01", orgUnit: "NESSUNA" }, /Struttura NESSUNA non registrata/],
  ];
  for (const [name, input, message] of cases) {
    it(`refuses ${name}`, async () => {
      const before = await measuresSnapshot();
      const error = await setMeasureObligation(getDb(), who, input).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toMatch(message);
      expect(await measuresSnapshot()).toBe(before);
    });
  }

  it("refuses a bad or repeated holiday", async () => {
    await addExtraHoliday(getDb(), who, { date: "05-04", name: "San Ciriaco" });
    const before = await measuresSnapshot();
    for (const [date, message] of [["04-31", /data inesistente/], ["2026-13-01", /data inesistente/], ["4 maggio", /MM-GG/], ["05-04", /già registrata per questa data: San Ciriaco/]] as const) {
      const error = await addExtraHoliday(getDb(), who, { date, name: "Festa" }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toMatch(message);
    }
    expect(await measuresSnapshot()).toBe(before);
  });
});
