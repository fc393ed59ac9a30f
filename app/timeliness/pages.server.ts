import { z } from "zod";
import type { Actor } from "~/auth/guards.server";
import { getSql } from "~db/client";
import { confinedGestoreId, type Viewer } from "~db/scope";
import { todayInRome } from "~/lib/dates";
import { daysBetween } from "./calendar";
import { overLimitCounts, overLimitPractices } from "./digest.server";
import { assessObligations } from "./obligations.server";

/** Today in Rome: pages read the clock here, at the request's edge. */

export const SORTS = ["gestore", "misura", "ritardo", "ultimo", "promemoria", "segnalazioni"] as const;
export type Sort = (typeof SORTS)[number];

const filterSchema = z.object({
  misura: z.string().trim().max(50).optional().catch(undefined),
  ordina: z.enum(SORTS).catch("ritardo"),
  verso: z.enum(["asc", "desc"]).optional().catch(undefined),
});

type Counts = { reminders: number; lastReminder: string | null; escalations: number; lastEscalation: string | null };

async function reminderCounts(gestoreId: string | null) {
  const sql = getSql();
  const rows = await sql<{ gestore_id: string; measure_id: string; reminders: number; last_reminder: string | null; escalations: number; last_escalation: string | null }[]>`
    select k.gestore_id, k.measure_id,
           (select count(*)::int from reminders r where r.gestore_id = k.gestore_id and r.measure_id = k.measure_id) as reminders,
           (select max(sent_on)::text from reminders r where r.gestore_id = k.gestore_id and r.measure_id = k.measure_id) as last_reminder,
           (select count(*)::int from escalations e where e.gestore_id = k.gestore_id and e.measure_id = k.measure_id) as escalations,
           (select max(escalated_on)::text from escalations e where e.gestore_id = k.gestore_id and e.measure_id = k.measure_id) as last_escalation
    from (select distinct gestore_id, measure_id from reminders
          where (${gestoreId}::uuid is null or gestore_id = ${gestoreId}::uuid)) k`;
  const map = new Map<string, Counts>();
  for (const r of rows)
    map.set(`${r.gestore_id}:${r.measure_id}`, { reminders: r.reminders, lastReminder: r.last_reminder, escalations: r.escalations, lastEscalation: r.last_escalation });
  return map;
}

/**
 * The "Puntualità" page: every gestore with an obligation, where it stands today, what it was
 * reminded of and what was escalated. Gestore users are confined to their own rows.
 */
export async function punctuality(viewer: Viewer, url: URL, today = todayInRome()) {
  const filter = filterSchema.parse(Object.fromEntries(url.searchParams));
  const sql = getSql();
  const confined = confinedGestoreId(viewer);
  const measures = await sql<{ id: string; code: string; name: string }[]>`
    select id, code, name from measures where obligation_cadence is not null order by code`;
  const measure = filter.misura ? measures.find((m) => m.code === filter.misura) : undefined;
  const [states, counts, over] = await Promise.all([
    assessObligations(sql, today, { gestoreId: confined, measureId: measure?.id ?? (filter.misura ? "00000000-0000-0000-0000-000000000000" : null) }),
    reminderCounts(confined),
    overLimitCounts(sql, today, confined),
  ]);
  const rows = states.map((s) => {
    const c = counts.get(`${s.gestoreId}:${s.measureId}`);
    const a = s.assessment;
    return {
      key: `${s.gestoreId}:${s.measureId}`,
      gestoreName: s.gestoreName,
      gestoreCf: s.gestoreCf,
      measureCode: s.measureCode,
      lastReferenceDate: a.lastFile?.referenceDate ?? null,
      lastReceivedOn: a.lastFile?.receivedOn ?? null,
      late: a.oldestLate !== null,
      daysLate: a.oldestLate?.daysLate ?? 0,
      latePeriods: a.lateCount,
      oldestDue: a.oldestLate?.due ?? null,
      nextDue: a.periods.find((p) => p.status === "pending")?.due ?? null,
      reminders: c?.reminders ?? 0,
      lastReminder: c?.lastReminder ?? null,
      escalations: c?.escalations ?? 0,
      lastEscalation: c?.lastEscalation ?? null,
      overLimit: over.get(`${s.gestoreId}:${s.measureId}`) ?? 0,
    };
  });
  type Row = (typeof rows)[number];
  const key: Record<Sort, (r: Row) => string | number> = {
    gestore: (r) => r.gestoreName.toLowerCase(),
    misura: (r) => r.measureCode,
    ritardo: (r) => r.daysLate,
    ultimo: (r) => r.lastReferenceDate ?? "",
    promemoria: (r) => r.reminders,
    segnalazioni: (r) => r.escalations,
  };
  const numeric = filter.ordina === "ritardo" || filter.ordina === "promemoria" || filter.ordina === "segnalazioni";
  const dir = filter.verso ?? (numeric ? "desc" : "asc");
  const k = key[filter.ordina];
  rows.sort((a, b) => {
    const x = k(a);
    const y = k(b);
    const c = x < y ? -1 : x > y ? 1 : a.gestoreName.localeCompare(b.gestoreName, "it");
    return dir === "asc" ? c : -c;
  });
  return {
    today,
    measures: measures.map((m) => ({ code: m.code, name: m.name })),
    filter: { misura: filter.misura ?? "", ordina: filter.ordina, verso: dir },
    rows,
  };
}

/** Reminders a gestore received and escalations about it, newest first. */
export async function remindersOf(gestoreId: string) {
  const sql = getSql();
  const [reminders, escalations] = await Promise.all([
    sql<{ id: string; measure_code: string; period_start: string; period_end: string; due_on: string; number: number; days_late: number; sent_on: string; recipients: string[] }[]>`
      select r.id, m.code as measure_code, r.period_start::text, r.period_end::text, r.due_on::text, r.days_late, r.sent_on::text, r.recipients,
             (row_number() over (partition by r.measure_id, r.period_end order by r.step))::int as number
      from reminders r join measures m on m.id = r.measure_id where r.gestore_id = ${gestoreId}
      order by r.sent_on desc, r.created_at desc limit 200`,
    sql<{ id: string; measure_code: string; period_end: string; due_on: string; days_late: number; reminders_sent: number; escalated_on: string; recipients: string[] }[]>`
      select e.id, m.code as measure_code, e.period_end::text, e.due_on::text, e.days_late, e.reminders_sent, e.escalated_on::text, e.recipients
      from escalations e join measures m on m.id = e.measure_id where e.gestore_id = ${gestoreId}
      order by e.escalated_on desc limit 200`,
  ]);
  return {
    reminders: reminders.map((r) => ({
      id: r.id,
      measureCode: r.measure_code,
      periodStart: r.period_start,
      periodEnd: r.period_end,
      dueOn: r.due_on,
      /** The reminder's ordinal for its period, as its mail says ("promemoria n. 2"). */
      number: r.number,
      daysLate: r.days_late,
      sentOn: r.sent_on,
      recipients: r.recipients,
    })),
    escalations: escalations.map((e) => ({
      id: e.id,
      measureCode: e.measure_code,
      periodEnd: e.period_end,
      dueOn: e.due_on,
      daysLate: e.days_late,
      remindersSent: e.reminders_sent,
      escalatedOn: e.escalated_on,
      recipients: e.recipients,
    })),
  };
}

/**
 * The gestore's own obligations calendar: each measure's periods (latest first) with due date
 * and status, the reminders it received and its practices over their state limits.
 */
export async function obligationsCalendar(actor: Actor, today = todayInRome()) {
  const gestoreId = confinedGestoreId(actor);
  if (!gestoreId) throw new Error("obligations calendar without a gestore");
  const sql = getSql();
  const [states, history, over] = await Promise.all([
    assessObligations(sql, today, { gestoreId }),
    remindersOf(gestoreId),
    overLimitPractices(sql, today, { gestoreId, limit: 100 }),
  ]);
  return {
    today,
    obligations: states.map((s) => ({
      measureCode: s.measureCode,
      measureName: s.measureName,
      cadence: s.obligation.cadence,
      day: s.obligation.day,
      startsOn: s.obligation.startsOn,
      endsOn: s.obligation.endsOn,
      lateCount: s.assessment.lateCount,
      periods: [...s.assessment.periods].reverse().slice(0, 24),
    })),
    reminders: history.reminders,
    overLimit: over.get(gestoreId) ?? { total: 0, practices: [] },
  };
}

/**
 * Whether a practice has stayed in IN_ISTRUTTORIA or SOSPESA longer than its measure allows:
 * the days so far and the limit, or null when it is within it or the state has no limit.
 */
export async function stateLimitOf(practice: { measureId: string; state: string; stateDate: string }, today = todayInRome()) {
  if (practice.state !== "IN_ISTRUTTORIA" && practice.state !== "SOSPESA") return null;
  const [m] = await getSql()<{ max_days_istruttoria: number | null; max_days_sospesa: number | null }[]>`
    select max_days_istruttoria, max_days_sospesa from measures where id = ${practice.measureId}`;
  const max = practice.state === "IN_ISTRUTTORIA" ? m?.max_days_istruttoria : m?.max_days_sospesa;
  if (max == null) return null;
  const days = daysBetween(practice.stateDate, today);
  return days > max ? { days, maxDays: max } : null;
}
