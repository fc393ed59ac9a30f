import { eq, sql as q } from "drizzle-orm";
import { deliverMail } from "~/mail/deliver.server";
import { romeDate } from "~/lib/dates";
import { addDays } from "~/timeliness/calendar";
import { runWeeklyDigest } from "~/timeliness/digest.server";
import { runReminders } from "~/timeliness/reminders.server";
import { setMeasureObligation } from "~/timeliness/settings.server";
import { connect } from "~db/client";
import { appMeta, extraHolidays } from "~db/schema";

const KEY = "demo.timeliness";
const who = { system: "demo-data" };
const HISTORY_GESTORI = ["02345678904", "03456789019"];

/**
 * Upload obligations, state limits and a patron saint's day for the demo measures, then the
 * reminder job replayed for each of the `days` days up to `now` and one weekly digest, so the
 * "Puntualità", "Obblighi di invio" and "Posta inviata" pages have content from the first start.
 * Runs once (its own app_meta key); every step is idempotent, so an interrupted run can repeat.
 */
export async function seedDemoTimeliness(url: string, opts: { now: Date; days?: number }): Promise<boolean> {
  const { sql, db } = connect(url, { max: 1 });
  try {
    const [done] = await db.select().from(appMeta).where(eq(appMeta.key, KEY));
    if (done) return false;
    await db.transaction(async (tx) => {
      await tx.execute(q`select pg_advisory_xact_lock(hashtext(${KEY}))`);
      await setMeasureObligation(tx, who, {
        code: "COVID-LIQ",
        cadence: "monthly",
        day: 15,
        startsOn: "2026-01-01",
        reminderEveryDays: 7,
        escalateAfterReminders: 2,
        maxDaysIstruttoria: 90,
        maxDaysSospesa: 60,
        orgUnit: "SETT-CREDITO",
      });
      await setMeasureObligation(tx, who, {
        code: "INNOVA-PMI",
        cadence: "every_n_days",
        day: 15,
        startsOn: "2026-09-01",
        reminderEveryDays: 7,
        escalateAfterReminders: 2,
        maxDaysIstruttoria: 120,
        maxDaysSospesa: 90,
        orgUnit: "DIR-SVILUPPO",
      });
      await tx.insert(extraHolidays).values({ month: 5, day: 4, year: null, name: "San Ciriaco, patrono di Ancona" }).onConflictDoNothing();
      // The demo history is loaded in one go at the first start; give its files the arrival
      // dates of a gestore sending each month a few days after the month ends.
      await tx.execute(q`
        update uploads u set
          received_at = ((u.reference_date + case when u.status = 'rejected' then 3 else 4 end) + time '10:00') at time zone 'Europe/Rome',
          started_at = ((u.reference_date + case when u.status = 'rejected' then 3 else 4 end) + time '10:00') at time zone 'Europe/Rome',
          completed_at = ((u.reference_date + case when u.status = 'rejected' then 3 else 4 end) + time '10:01') at time zone 'Europe/Rome'
        from gestori g
        where g.id = u.gestore_id and g.fiscal_code in (${q.join(HISTORY_GESTORI.map((cf) => q`${cf}`), q`, `)})
          and u.reference_date is not null`);
    });
    // The daily job, as it would have run each morning of the last weeks.
    const today = romeDate(opts.now);
    for (let back = opts.days ?? 21; back >= 0; back--) {
      const day = addDays(today, -back);
      await runReminders({ now: new Date(`${day}T06:00:00Z`) });
    }
    await runWeeklyDigest({ now: opts.now });
    // Delivered (or, without SMTP, stored) now rather than one a second by the worker's queue,
    // so the first look at "Posta inviata" shows them settled; the queued jobs then find nothing to do.
    const queued = await sql<{ id: string }[]>`
      select id from mail_outbox where state = 'queued' and template in ('promemoria-invio', 'segnalazione-ritardi', 'riepilogo-settimanale')`;
    for (const m of queued) await deliverMail(m.id);
    await db.insert(appMeta).values({ key: KEY, value: opts.now.toISOString() }).onConflictDoNothing();
    return true;
  } finally {
    await sql.end({ timeout: 5 });
  }
}
