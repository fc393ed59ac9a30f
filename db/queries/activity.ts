import { sql } from "drizzle-orm";
import type { DbOrTx } from "../client";

/**
 * The office's activity report (issue 17, docs/decisions/0071): aggregates over the back office's
 * own records — the work-item machine's history (taking in charge, assignment, conclusion),
 * clarification threads and messages — for one or more org units and a period of Rome days
 * [from, to]. The caller decides which units a viewer may ask for.
 */

export type Period = { from: string; to: string };

/** Officials (funzionari, dirigenti) with an access, of any status, in the units. */
export async function unitOfficials(db: DbOrTx, unitIds: string[]) {
  return db.execute<{ user_id: string; name: string; surname: string; org_unit_id: string }>(sql`
    select distinct on (u.id) u.id as user_id, u.name, u.surname, a.org_unit_id
    from accesses a join users u on u.id = a.user_id
    where a.role in ('funzionario', 'dirigente') and a.org_unit_id = any(${sql.param(unitIds)}::uuid[])
    order by u.id, a.status = 'active' desc`);
}

/**
 * The work-item machine's history as handling moves: who holds the practice after each event
 * (TAKE: the actor; ASSIGN: `details.assignee`) and who held it before (RELEASE and REOPEN drop it).
 */
const HANDLING_EVENTS = sql`
  select h.object_id, h.event, h.at, h.actor_user_id,
         case when h.event = 'TAKE' then h.actor_user_id when h.event = 'ASSIGN' then (h.details->>'assignee')::uuid end as new_holder,
         lag(case when h.event = 'TAKE' then h.actor_user_id when h.event = 'ASSIGN' then (h.details->>'assignee')::uuid
                  when h.event in ('RELEASE', 'REOPEN') then null end)
           over (partition by h.object_id order by h.id) as prev_holder_raw
  from machine_history h where h.machine = 'work_item'`;

/** Per handled practice: arrival (its submission date), first taking in charge and by whom, conclusion and by whom. */
const PRACTICE_TIMES = sql`
  select (p.first_state_date::timestamp at time zone 'Europe/Rome') as arrived,
         (select min(at) from ev where ev.object_id = w.id and ev.new_holder is not null) as first_take,
         (select new_holder from ev where ev.object_id = w.id and ev.new_holder is not null order by at limit 1) as first_holder,
         (select min(at) from ev where ev.object_id = w.id and ev.event = 'COMPLETE') as completed,
         (select actor_user_id from ev where ev.object_id = w.id and ev.event = 'COMPLETE' order by at limit 1) as completer
  from work_items w join practices p on p.id = w.practice_id`;

const inPeriod = (column: ReturnType<typeof sql.raw>, p: Period) =>
  sql`${column} >= (${p.from}::date::timestamp at time zone 'Europe/Rome') and ${column} < ((${p.to}::date + 1)::timestamp at time zone 'Europe/Rome')`;

/**
 * Per official: practices taken in charge (taken or assigned to them), concluded (by them),
 * reassigned away from them, in the period; held now, with the oldest holding's age in days; days
 * from a practice's arrival (the date of its first reported state, i.e. its submission) to its
 * first taking in charge and to its conclusion (median, 90th percentile).
 */
export async function workloadByOfficial(db: DbOrTx, userIds: string[], p: Period) {
  if (!userIds.length) return [];
  return db.execute<{
    user_id: string;
    taken: number;
    concluded: number;
    reassigned: number;
    open_now: number;
    oldest_open_days: number | null;
    take_median: number | null;
    take_p90: number | null;
    conclude_median: number | null;
    conclude_p90: number | null;
  }>(sql`
    with ev as (${HANDLING_EVENTS}),
    firsts as (${PRACTICE_TIMES}),
    u as (select unnest(${sql.param(userIds)}::uuid[]) as user_id)
    select u.user_id,
      (select count(*)::int from ev where ev.new_holder = u.user_id and ${inPeriod(sql.raw("ev.at"), p)}) as taken,
      (select count(*)::int from ev where ev.event = 'COMPLETE' and ev.actor_user_id = u.user_id and ${inPeriod(sql.raw("ev.at"), p)}) as concluded,
      (select count(*)::int from ev where ev.new_holder is not null and ev.prev_holder_raw = u.user_id and ev.new_holder <> u.user_id and ${inPeriod(sql.raw("ev.at"), p)}) as reassigned,
      (select count(*)::int from work_items w where w.state = 'in_charge' and w.assignee_user_id = u.user_id) as open_now,
      (select floor(extract(epoch from now() - min(w.updated_at)) / 86400)::int from work_items w where w.state = 'in_charge' and w.assignee_user_id = u.user_id) as oldest_open_days,
      (select percentile_cont(0.5) within group (order by extract(epoch from first_take - arrived) / 86400) from firsts where first_holder = u.user_id and ${inPeriod(sql.raw("first_take"), p)}) as take_median,
      (select percentile_cont(0.9) within group (order by extract(epoch from first_take - arrived) / 86400) from firsts where first_holder = u.user_id and ${inPeriod(sql.raw("first_take"), p)}) as take_p90,
      (select percentile_cont(0.5) within group (order by extract(epoch from completed - arrived) / 86400) from firsts where completer = u.user_id and ${inPeriod(sql.raw("completed"), p)}) as conclude_median,
      (select percentile_cont(0.9) within group (order by extract(epoch from completed - arrived) / 86400) from firsts where completer = u.user_id and ${inPeriod(sql.raw("completed"), p)}) as conclude_p90
    from u`);
}

/** The same times over all the officials together (the unit's line). */
export async function workloadTimes(db: DbOrTx, userIds: string[], p: Period) {
  if (!userIds.length) return { take_median: null, take_p90: null, conclude_median: null, conclude_p90: null };
  const [row] = await db.execute<{ take_median: number | null; take_p90: number | null; conclude_median: number | null; conclude_p90: number | null }>(sql`
    with ev as (${HANDLING_EVENTS}),
    firsts as (${PRACTICE_TIMES})
    select
      percentile_cont(0.5) within group (order by extract(epoch from first_take - arrived) / 86400) filter (where first_holder = any(${sql.param(userIds)}::uuid[]) and ${inPeriod(sql.raw("first_take"), p)}) as take_median,
      percentile_cont(0.9) within group (order by extract(epoch from first_take - arrived) / 86400) filter (where first_holder = any(${sql.param(userIds)}::uuid[]) and ${inPeriod(sql.raw("first_take"), p)}) as take_p90,
      percentile_cont(0.5) within group (order by extract(epoch from completed - arrived) / 86400) filter (where completer = any(${sql.param(userIds)}::uuid[]) and ${inPeriod(sql.raw("completed"), p)}) as conclude_median,
      percentile_cont(0.9) within group (order by extract(epoch from completed - arrived) / 86400) filter (where completer = any(${sql.param(userIds)}::uuid[]) and ${inPeriod(sql.raw("completed"), p)}) as conclude_p90
    from firsts`);
  return row!;
}

export const WORKLOAD_ITEMS = ["prese", "concluse", "riassegnate", "aperte"] as const;
export type WorkloadItem = (typeof WORKLOAD_ITEMS)[number];

/** The practices behind one official's number. */
export async function workloadItems(db: DbOrTx, userId: string, which: WorkloadItem, p: Period) {
  const where =
    which === "prese"
      ? sql`ev.new_holder = ${userId} and ${inPeriod(sql.raw("ev.at"), p)}`
      : which === "concluse"
        ? sql`ev.event = 'COMPLETE' and ev.actor_user_id = ${userId} and ${inPeriod(sql.raw("ev.at"), p)}`
        : which === "riassegnate"
          ? sql`ev.new_holder is not null and ev.prev_holder_raw = ${userId} and ev.new_holder <> ${userId} and ${inPeriod(sql.raw("ev.at"), p)}`
          : sql`false`;
  if (which === "aperte")
    return db.execute<{ practice_id: number; code: string; at: string }>(sql`
      select p.id as practice_id, p.code, w.updated_at as at from work_items w join practices p on p.id = w.practice_id
      where w.state = 'in_charge' and w.assignee_user_id = ${userId} order by w.updated_at limit 500`);
  return db.execute<{ practice_id: number; code: string; at: string }>(sql`
    with ev as (${HANDLING_EVENTS})
    select p.id as practice_id, p.code, ev.at from ev join work_items w on w.id = ev.object_id join practices p on p.id = w.practice_id
    where ${where} order by ev.at limit 500`);
}

export const CLARIFICATION_ITEMS = ["in-tempo", "in-ritardo", "senza-risposta", "in-attesa"] as const;
export type ClarificationItem = (typeof CLARIFICATION_ITEMS)[number];

const clarificationOutcome = sql`case
  when t.answered_at is not null and (t.answered_at at time zone 'Europe/Rome')::date <= t.due_on then 'in-tempo'
  when t.answered_at is not null then 'in-ritardo'
  when t.due_on < (now() at time zone 'Europe/Rome')::date then 'senza-risposta'
  else 'in-attesa' end`;

/** Clarification requests sent in the period by the officials: answered in time, late, unanswered past due, still within term. */
export async function clarificationsByOfficial(db: DbOrTx, userIds: string[], p: Period) {
  if (!userIds.length) return [];
  return db.execute<{ user_id: string; outcome: ClarificationItem; n: number }>(sql`
    select t.created_by as user_id, ${clarificationOutcome} as outcome, count(*)::int as n
    from threads t
    where t.kind = 'chiarimento' and t.created_by = any(${sql.param(userIds)}::uuid[]) and ${inPeriod(sql.raw("t.created_at"), p)}
    group by 1, 2`);
}

export async function clarificationItems(db: DbOrTx, userIds: string[], which: ClarificationItem, p: Period) {
  return db.execute<{ thread_id: string; subject: string; due_on: string; at: string }>(sql`
    select t.id as thread_id, t.subject, t.due_on, t.created_at as at from threads t
    where t.kind = 'chiarimento' and t.created_by = any(${sql.param(userIds)}::uuid[]) and ${inPeriod(sql.raw("t.created_at"), p)}
      and ${clarificationOutcome} = ${which}
    order by t.created_at limit 500`);
}

/**
 * Response times in hours, per side: for each message in the period, the time since the other
 * side's message it follows in the thread. Office answers are counted to their author; gestori's
 * answers to the threads the officials opened.
 */
export async function responseTimes(db: DbOrTx, userIds: string[], p: Period) {
  if (!userIds.length) return [];
  return db.execute<{ who: string; n: number; median_hours: number | null; p90_hours: number | null }>(sql`
    with m as (
      select tm.thread_id, tm.side, tm.author_user_id, tm.created_at, t.created_by,
             lag(tm.side) over w as prev_side, lag(tm.created_at) over w as prev_at
      from thread_messages tm join threads t on t.id = tm.thread_id
      window w as (partition by tm.thread_id order by tm.created_at, tm.id)
    ),
    answers as (
      select case when side = 'ufficio' then author_user_id::text else 'gestori' end as who,
             extract(epoch from created_at - prev_at) / 3600 as hours
      from m
      where prev_side is not null and prev_side <> side and ${inPeriod(sql.raw("created_at"), p)}
        and ((side = 'ufficio' and author_user_id = any(${sql.param(userIds)}::uuid[])) or (side = 'gestore' and created_by = any(${sql.param(userIds)}::uuid[])))
    )
    select who, count(*)::int as n,
      percentile_cont(0.5) within group (order by hours) as median_hours,
      percentile_cont(0.9) within group (order by hours) as p90_hours
    from answers group by who
    union all
    select 'ufficio', count(*)::int, percentile_cont(0.5) within group (order by hours), percentile_cont(0.9) within group (order by hours)
    from answers where who <> 'gestori'`);
}

/** Help-desk tickets opened in the period in the given queues, with what the service levels need. */
export async function ticketsInPeriod(db: DbOrTx, categories: string[], p: Period) {
  if (!categories.length) return [];
  return db.execute<{ category: string; created_at: Date; first_answered_at: Date | null; closed_at: Date | null; snapshot: { context: { waits: { from: string; to: string }[]; waitingSince: string | null } } }>(sql`
    select category, created_at, first_answered_at, closed_at, snapshot from tickets
    where category = any(${sql.param(categories)}::text[]) and ${inPeriod(sql.raw("created_at"), p)}`);
}
