import { beforeAll, describe, expect, it } from "vitest";
import { assessObligations } from "~/timeliness/obligations.server";
import { getSql } from "~db/client";
import { seedDemoHistory } from "~/demo/seed";
import { seedDemoTimeliness } from "~/demo/timeliness";
import { GESTORE_ALTRO, GESTORE_DEMO, seedDemo } from "../support/actors";

const NOW = new Date("2026-11-25T09:00:00Z");

beforeAll(async () => {
  await seedDemo();
  await seedDemoHistory(process.env.DATABASE_URL!, { perMonth: 5 });
});

describe("the timeliness demo data", () => {
  it("makes some gestori late, reminded and escalated, and fills the outbox, once", async () => {
    expect(await seedDemoTimeliness(process.env.DATABASE_URL!, { now: NOW })).toBe(true);
    const states = await assessObligations(getSql(), "2026-11-25");
    const byKey = new Map(states.map((s) => [`${s.gestoreCf}/${s.measureCode}`, s.assessment]));
    // The newcomer's gestore has never sent a file: late since January's period.
    expect(byKey.get(`${GESTORE_DEMO}/COVID-LIQ`)!.oldestLate).toMatchObject({ end: "2026-01-31", due: "2026-02-16" });
    // The gestori with a history sent October's file on 4 November: on time for the monthly measure...
    expect(byKey.get(`${GESTORE_ALTRO}/COVID-LIQ`)!.oldestLate).toBeNull();
    expect(byKey.get(`${GESTORE_ALTRO}/COVID-LIQ`)!.periods.find((p) => p.end === "2026-10-31")).toMatchObject({ status: "fulfilled", fulfilledOn: "2026-11-04" });
    // ...and late on the fortnightly one, whose period 31 October - 14 November was due on the 16th.
    expect(byKey.get(`${GESTORE_ALTRO}/INNOVA-PMI`)!.oldestLate).toMatchObject({ end: "2026-11-14", due: "2026-11-16", daysLate: 9 });

    const reminders = await getSql()<{ cf: string; code: string; steps: number[] }[]>`
      select g.fiscal_code as cf, m.code, array_agg(r.step order by r.step) as steps
      from reminders r join gestori g on g.id = r.gestore_id join measures m on m.id = r.measure_id
      group by g.fiscal_code, m.code order by 1, 2`;
    expect(reminders).toContainEqual({ cf: GESTORE_ALTRO, code: "INNOVA-PMI", steps: [1, 2] });
    const escalated = await getSql()<{ cf: string }[]>`select g.fiscal_code as cf from escalations e join gestori g on g.id = e.gestore_id`;
    expect(escalated.map((e) => e.cf)).toContain(GESTORE_DEMO);
    const outbox = await getSql()<{ template: string; n: number }[]>`select template, count(*)::int as n from mail_outbox group by template order by template`;
    expect(outbox.map((o) => o.template)).toEqual(["promemoria-invio", "riepilogo-settimanale", "segnalazione-ritardi"]);
    // No SMTP server in the demo: every message is stored, readable on "Posta inviata".
    const mailStates = await getSql()<{ state: string }[]>`select distinct state::text from mail_outbox`;
    expect(mailStates.map((s) => s.state)).toEqual(["stored"]);

    const total = async () => (await getSql()<{ n: number }[]>`select count(*)::int as n from mail_outbox`)[0]!.n;
    const before = await total();
    expect(await seedDemoTimeliness(process.env.DATABASE_URL!, { now: NOW })).toBe(false);
    expect(await total()).toBe(before);
  });
});
