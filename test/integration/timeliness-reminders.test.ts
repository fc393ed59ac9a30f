import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverMail } from "~/mail/deliver.server";
import { addMeasure } from "~/registry/registry.server";
import { assessObligations } from "~/timeliness/obligations.server";
import { runReminders } from "~/timeliness/reminders.server";
import { setMeasureObligation } from "~/timeliness/settings.server";
import { getDb, getSql } from "~db/client";
import { GESTORE_ALTRO, GESTORE_DEMO, seedDemo } from "../support/actors";
import { startSmtpServer } from "../support/smtp";
import { gestoreId, uploadAndProcess } from "../support/uploads";

// The SMTP server must be known before the configuration is first read.
const smtp = await startSmtpServer();
process.env.SMTP_URL = smtp.url;
afterAll(() => smtp.close());

const who = { system: "test" };
const DEMO_RECIPIENTS = ["marco.verdi@confidi-demo.example.it", "info@confidi-demo.example.it", "confididemo@pec.example.it"];
const OFFICIALS = ["laura.neri@regione.example.it", "paolo.rossi@regione.example.it"];

/** The message as a reader sees it: quoted-printable soft breaks and escapes undone. */
function quotedPrintable(raw: string) {
  const joined = raw.replace(/=\r?\n/g, "");
  return Buffer.from(joined.replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), "latin1").toString("utf8");
}

async function measureId(code: string) {
  const [m] = await getSql()<{ id: string }[]>`select id from measures where code = ${code}`;
  return m!.id;
}

async function remindersOf(code: string) {
  return getSql()<{ step: number; days_late: number; sent_on: string; period_end: string; recipients: string[] }[]>`
    select r.step, r.days_late, r.sent_on::text, r.period_end::text, r.recipients from reminders r
    join measures m on m.id = r.measure_id where m.code = ${code} order by r.step`;
}

async function escalationsOf(code: string) {
  return getSql()<{ days_late: number; reminders_sent: number; recipients: string[] }[]>`
    select e.days_late, e.reminders_sent, e.recipients from escalations e join measures m on m.id = e.measure_id where m.code = ${code}`;
}

async function outboxFor(template: string, like: string) {
  return getSql()<{ id: string; recipient: string; subject: string; text: string; dedupe_key: string }[]>`
    select id, recipient, subject, text, dedupe_key from mail_outbox where template = ${template} and dedupe_key like ${like} order by recipient`;
}

async function stateOf(code: string, cf: string, today: string) {
  const states = await assessObligations(getSql(), today, { gestoreId: await gestoreId(cf), measureId: await measureId(code) });
  return states[0]!.assessment;
}

beforeAll(async () => {
  await seedDemo();
  await addMeasure(getDb(), who, { code: "PUNTUALE", name: "Misura della prova di puntualità", gestori: [GESTORE_DEMO] });
  await setMeasureObligation(getDb(), who, {
    code: "PUNTUALE",
    cadence: "monthly",
    day: 15,
    startsOn: "2030-01-01",
    reminderEveryDays: 7,
    escalateAfterReminders: 2,
    orgUnit: "SETT-CREDITO",
  });
});

describe("a gestore through on time, late, reminded, escalated and fulfilled", () => {
  it("walks the whole way with an injected clock", async () => {
    // 15 February 2030, a Friday: January's file is due today; not late yet.
    let run = await runReminders({ now: new Date("2030-02-15T10:00:00Z") });
    expect(run.today).toBe("2030-02-15");
    expect(await remindersOf("PUNTUALE")).toEqual([]);
    let state = await stateOf("PUNTUALE", GESTORE_DEMO, "2030-02-15");
    expect(state.periods[0]).toMatchObject({ end: "2030-01-31", due: "2030-02-15", status: "pending" });

    // 23:30 UTC on the 15th is already the 16th in Rome: the first day late, the first reminder.
    run = await runReminders({ now: new Date("2030-02-15T23:30:00Z") });
    expect(run.today).toBe("2030-02-16");
    let rows = await remindersOf("PUNTUALE");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ step: 1, days_late: 1, sent_on: "2030-02-16", period_end: "2030-01-31" });
    expect(rows[0]!.recipients.sort()).toEqual([...DEMO_RECIPIENTS].sort());
    const first = await outboxFor("promemoria-invio", `reminder:%:2030-01-31:1:%`);
    expect(first.map((m) => m.recipient).sort()).toEqual([...DEMO_RECIPIENTS].sort());
    expect(first[0]!.subject).toBe("Promemoria n. 1: flusso di monitoraggio PUNTUALE — Misura della prova di puntualità in ritardo di 1 giorno");

    // The reminder reaches the SMTP server, in Italian, addressed to the gestore's referente.
    for (const m of first) await deliverMail(m.id);
    const delivered = smtp.received.find((r) => r.to.includes("marco.verdi@confidi-demo.example.it"));
    expect(delivered).toBeDefined();
    const body = quotedPrintable(delivered!.raw);
    expect(body).toContain("Subject: =?UTF-8?Q?Promemoria_n._1");
    expect(body).toContain("Spettabile Confidi Demo Marche,");
    expect(body).toContain("non risulta ancora accettato il flusso di monitoraggio della misura PUNTUALE — Misura della prova di puntualità");
    expect(body).toContain("in scadenza il 15/02/2030.");

    // A week later: still the first step, nothing new; the day after, the second reminder.
    await runReminders({ now: new Date("2030-02-22T08:00:00Z") });
    expect(await remindersOf("PUNTUALE")).toHaveLength(1);
    await runReminders({ now: new Date("2030-02-23T08:00:00Z") });
    rows = await remindersOf("PUNTUALE");
    expect(rows.map((r) => [r.step, r.days_late])).toEqual([[1, 1], [2, 8]]);
    expect(await escalationsOf("PUNTUALE")).toEqual([]);

    // Two reminders unanswered: the third step escalates to the officials of the measure's org unit.
    run = await runReminders({ now: new Date("2030-03-02T08:00:00Z") });
    expect(run.escalations).toBe(1);
    const escalated = await escalationsOf("PUNTUALE");
    expect(escalated).toHaveLength(1);
    expect(escalated[0]).toMatchObject({ days_late: 15, reminders_sent: 2 });
    expect(escalated[0]!.recipients.sort()).toEqual(OFFICIALS);
    const toOfficials = await getSql()<{ recipient: string; text: string }[]>`
      select recipient, text from mail_outbox where template = 'segnalazione-ritardi' order by recipient`;
    expect(toOfficials.map((m) => m.recipient)).toEqual(OFFICIALS);
    expect(toOfficials[0]!.text).toContain("Confidi Demo Marche (C.F. 01234567897), misura PUNTUALE");
    expect(toOfficials[0]!.text).toContain("15 giorni di ritardo, 2 promemoria inviati");

    // The next day: no second escalation for the same period.
    await runReminders({ now: new Date("2030-03-03T08:00:00Z") });
    expect(await escalationsOf("PUNTUALE")).toHaveLength(1);

    // The gestore sends January's file on 3 March: the period is fulfilled, late; no more reminders.
    const sent = await uploadAndProcess(
      GESTORE_DEMO,
      "T|1|01234567897|31/01/2030|2030-01-A\nD|PT-0001|PUNTUALE|02342520158|Alfa Meccanica S.r.l.|042002|02/01/2030|PRESENTATA|02/01/2030|25000|||\nC|1|25000\n",
      { today: "2030-03-03" },
    );
    expect(sent.upload.status).toBe("accepted");
    await getSql()`update uploads set received_at = '2030-03-03T09:00:00Z' where id = ${sent.uploadId}`;
    run = await runReminders({ now: new Date("2030-03-09T08:00:00Z") });
    state = await stateOf("PUNTUALE", GESTORE_DEMO, "2030-03-09");
    expect(state.periods[0]).toMatchObject({ status: "fulfilled_late", fulfilledOn: "2030-03-03", daysLate: 16 });
    expect(state.periods[1]).toMatchObject({ end: "2030-02-28", due: "2030-03-15", status: "pending" });
    expect(state.oldestLate).toBeNull();
    expect((await remindersOf("PUNTUALE")).map((r) => r.step)).toEqual([1, 2, 3]);
  });
});

describe("a reminder is never sent twice", () => {
  beforeAll(async () => {
    for (const code of ["DOPPIO", "CONCORRENTE", "CADUTA", "UCCISO"]) {
      await addMeasure(getDb(), who, { code, name: `Misura ${code}`, gestori: [GESTORE_ALTRO] });
    }
    const starts = { DOPPIO: "2031-01-01", CONCORRENTE: "2032-01-01", CADUTA: "2033-01-01", UCCISO: "2034-01-01" };
    for (const [code, startsOn] of Object.entries(starts)) {
      await setMeasureObligation(getDb(), who, { code, cadence: "every_n_days", day: 30, startsOn, endsOn: startsOn.replace("-01-01", "-01-30") });
    }
  });

  const altroRecipients = async () =>
    (await getSql()<{ n: number }[]>`select count(*)::int as n from (select unnest(array[email, pec]) a from gestori where fiscal_code = ${GESTORE_ALTRO}) x where a is not null`)[0]!.n;

  it("when the job runs twice", async () => {
    const now = new Date("2031-02-05T08:00:00Z");
    await runReminders({ now });
    const again = await runReminders({ now });
    expect(again.reminders).toBe(0);
    expect(again.messages).toBe(0);
    expect(await remindersOf("DOPPIO")).toHaveLength(1);
    expect(await outboxFor("promemoria-invio", `reminder:%:${await measureId("DOPPIO")}:%`)).toHaveLength(await altroRecipients());
  });

  it("when two workers run it at once", async () => {
    const now = new Date("2032-02-05T08:00:00Z");
    const [a, b] = await Promise.all([runReminders({ now }), runReminders({ now })]);
    expect(await remindersOf("CONCORRENTE")).toHaveLength(1);
    expect(await outboxFor("promemoria-invio", `reminder:%:${await measureId("CONCORRENTE")}:%`)).toHaveLength(await altroRecipients());
    // Exactly one of the two did the work.
    expect([a.reminders, b.reminders].filter((n) => n > 0)).toHaveLength(1);
  });

  it("when the worker fails after queueing a message and before recording the reminder", async () => {
    const now = new Date("2033-02-05T08:00:00Z");
    const before = (await getSql()<{ n: number }[]>`select count(*)::int as n from mail_outbox`)[0]!.n;
    await expect(
      runReminders({ now, hooks: { afterReminderQueued: () => { throw new Error("worker died"); } } }),
    ).rejects.toThrow("worker died");
    expect(await remindersOf("CADUTA")).toHaveLength(0);
    expect((await getSql()<{ n: number }[]>`select count(*)::int as n from mail_outbox`)[0]!.n).toBe(before);
    await runReminders({ now });
    await runReminders({ now });
    expect(await remindersOf("CADUTA")).toHaveLength(1);
    expect(await outboxFor("promemoria-invio", `reminder:%:${await measureId("CADUTA")}:%`)).toHaveLength(await altroRecipients());
  });

  it("when the worker process is killed after queueing a message", async () => {
    const when = "2034-02-05T08:00:00Z";
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", "tsx", "test/support/run-reminders-and-die.ts", when], {
        env: { ...process.env },
        stdio: "ignore",
      });
      child.on("error", reject);
      child.on("exit", (c, signal) => resolve(signal ? -1 : c));
    });
    expect(code).toBe(-1);
    expect(await remindersOf("UCCISO")).toHaveLength(0);
    expect(await outboxFor("promemoria-invio", `reminder:%:${await measureId("UCCISO")}:%`)).toHaveLength(0);
    await runReminders({ now: new Date(when) });
    await runReminders({ now: new Date(when) });
    expect(await remindersOf("UCCISO")).toHaveLength(1);
    expect(await outboxFor("promemoria-invio", `reminder:%:${await measureId("UCCISO")}:%`)).toHaveLength(await altroRecipients());
  });
});
