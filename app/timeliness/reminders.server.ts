import type { TransactionSql } from "postgres";
import { audit } from "~/audit/audit.server";
import { getConfig } from "~/config.server";
import { queueMail } from "~/mail/outbox.server";
import { drizzleOver, getSql } from "~db/client";
import { italianDate, romeDate } from "~/lib/dates";
import { reminderStep } from "./calendar";
import { assessObligations, type ObligationState } from "./obligations.server";

const RUN_LOCK = "timeliness.reminders";
const who = { system: "timeliness" };

/** Test seams: called inside the run's transaction, e.g. to make the worker die at that point. */
export type RunHooks = { afterReminderQueued?: () => Promise<void> | void };

export type RunResult = { today: string; reminders: number; escalations: number; messages: number };

function unique(addresses: (string | null | undefined)[]) {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const a of addresses) {
    const v = a?.trim();
    if (v && !seen.has(v.toLowerCase())) {
      seen.add(v.toLowerCase());
      out.push(v);
    }
  }
  return out;
}

/** Whom a reminder goes to: the gestore's referenti, its e-mail and its PEC. */
async function gestoreRecipients(tx: TransactionSql, s: ObligationState) {
  const referenti = await tx<{ email: string }[]>`
    select u.email from accesses a join users u on u.id = a.user_id
    where a.gestore_id = ${s.gestoreId} and a.role = 'gestore_referente' and a.status = 'active'
    order by u.email`;
  return unique([...referenti.map((r) => r.email), s.gestoreEmail, s.gestorePec]);
}

/** The officials responsible for a measure: its org unit's, or every official when it has none. */
async function officialsFor(tx: TransactionSql, orgUnitId: string | null) {
  const scoped = orgUnitId
    ? await tx<{ email: string; name: string }[]>`
        select distinct u.email, u.name || ' ' || u.surname as name from accesses a join users u on u.id = a.user_id
        where a.org_unit_id = ${orgUnitId} and a.role in ('funzionario', 'dirigente') and a.status = 'active'`
    : [];
  if (scoped.length) return scoped;
  return tx<{ email: string; name: string }[]>`
    select distinct u.email, u.name || ' ' || u.surname as name from accesses a join users u on u.id = a.user_id
    where a.role in ('funzionario', 'dirigente') and a.status = 'active'`;
}

type Escalated = { id: string; state: ObligationState; daysLate: number; reminders: number };

/**
 * The daily reminder run for the Rome day of `now` (docs/decisions/0016). For each gestore late
 * on an obligation it reminds about the oldest period still owed: on the first day late, then
 * every `reminder_every_days`; once `escalate_after_reminders` reminders went unanswered, the
 * responsible officials are told, once per period. The run holds one advisory lock, and each
 * reminder or escalation is a unique row written in the same transaction as its messages: run
 * twice, by two workers at once, or dying half-way, it never sends one twice.
 */
export async function runReminders(opts: { now: Date; hooks?: RunHooks }): Promise<RunResult> {
  const today = romeDate(opts.now);
  const link = getConfig().baseUrl;
  return getSql().begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext(${RUN_LOCK}))`;
    const db = drizzleOver(tx);
    const states = await assessObligations(tx, today);
    const result: RunResult = { today, reminders: 0, escalations: 0, messages: 0 };
    const escalated: Escalated[] = [];
    for (const s of states) {
      const late = s.assessment.oldestLate;
      if (!late) continue;
      const step = reminderStep(late.daysLate, s.reminderEveryDays);
      const [counted] = await tx<{ n: number }[]>`
        select count(*)::int as n from reminders where gestore_id = ${s.gestoreId} and measure_id = ${s.measureId} and period_end = ${late.end}`;
      const before = counted!.n;
      const recipients = await gestoreRecipients(tx, s);
      const [reminder] = await tx<{ id: string }[]>`
        insert into reminders (gestore_id, measure_id, period_start, period_end, due_on, step, days_late, sent_on, recipients)
        values (${s.gestoreId}, ${s.measureId}, ${late.start}, ${late.end}, ${late.due}, ${step}, ${late.daysLate}, ${today}, ${recipients})
        on conflict (gestore_id, measure_id, period_end, step) do nothing
        returning id`;
      if (!reminder) continue;
      result.reminders++;
      for (const to of recipients) {
        const queued = await queueMail(tx, {
          to,
          template: "promemoria-invio",
          dedupeKey: `reminder:${s.gestoreId}:${s.measureId}:${late.end}:${step}:${to.toLowerCase()}`,
          data: {
            gestore: s.gestoreName,
            misura: `${s.measureCode} — ${s.measureName}`,
            inizio: italianDate(late.start),
            fine: italianDate(late.end),
            scadenza: italianDate(late.due),
            ritardo: late.daysLate === 1 ? "1 giorno" : `${late.daysLate} giorni`,
            numero: before + 1,
            periodiMancanti: s.assessment.lateCount,
            link: `${link}/obblighi`,
          },
        });
        if (queued) result.messages++;
        await opts.hooks?.afterReminderQueued?.();
      }
      await audit(db, who, {
        action: "timeliness.reminder",
        objectType: "reminder",
        objectId: reminder.id,
        gestoreId: s.gestoreId,
        details: { measure: s.measureCode, periodEnd: late.end, step, daysLate: late.daysLate, recipients: recipients.length },
      });
      if (before >= s.escalateAfterReminders) {
        const officials = await officialsFor(tx, s.orgUnitId);
        const [row] = await tx<{ id: string }[]>`
          insert into escalations (gestore_id, measure_id, period_start, period_end, due_on, days_late, reminders_sent, escalated_on, recipients)
          values (${s.gestoreId}, ${s.measureId}, ${late.start}, ${late.end}, ${late.due}, ${late.daysLate}, ${before}, ${today}, ${officials.map((o) => o.email)})
          on conflict (gestore_id, measure_id, period_end) do nothing
          returning id`;
        if (row) escalated.push({ id: row.id, state: s, daysLate: late.daysLate, reminders: before });
      }
    }
    result.escalations = escalated.length;
    result.messages += await sendEscalations(tx, escalated, today, link);
    for (const e of escalated) {
      await audit(db, who, {
        action: "timeliness.escalation",
        objectType: "escalation",
        objectId: e.id,
        gestoreId: e.state.gestoreId,
        details: { measure: e.state.measureCode, daysLate: e.daysLate, reminders: e.reminders },
      });
    }
    return result;
  });
}

/** One message per official, listing the gestori escalated to them in this run, latest first. */
async function sendEscalations(tx: TransactionSql, escalated: Escalated[], today: string, link: string) {
  const byOfficial = new Map<string, { name: string; items: Escalated[] }>();
  for (const e of escalated) {
    for (const o of await officialsFor(tx, e.state.orgUnitId)) {
      const entry = byOfficial.get(o.email) ?? { name: o.name, items: [] };
      entry.items.push(e);
      byOfficial.set(o.email, entry);
    }
  }
  let sent = 0;
  for (const [to, { name, items }] of byOfficial) {
    items.sort((a, b) => b.daysLate - a.daysLate);
    const queued = await queueMail(tx, {
      to,
      template: "segnalazione-ritardi",
      dedupeKey: `escalation:${today}:${to.toLowerCase()}:${items.map((i) => i.id).sort().join(",")}`,
      data: {
        destinatario: name,
        data: italianDate(today),
        enti: items.map((i) => ({
          gestore: i.state.gestoreName,
          codiceFiscale: i.state.gestoreCf,
          misura: i.state.measureCode,
          fine: italianDate(i.state.assessment.oldestLate!.end),
          scadenza: italianDate(i.state.assessment.oldestLate!.due),
          giorniRitardo: i.daysLate,
          promemoria: i.reminders,
        })),
        link: `${link}/puntualita`,
      },
    });
    if (queued) sent++;
  }
  return sent;
}
