import type { Sql, TransactionSql } from "postgres";
import { audit } from "~/audit/audit.server";
import { getConfig } from "~/config.server";
import { queueMail } from "~/mail/outbox.server";
import { drizzleOver, getSql } from "~db/client";
import { italianDate, romeDate } from "~/lib/dates";
import { weekStart } from "./calendar";

type Q = Sql | TransactionSql;

export type OverLimitPractice = {
  id: number;
  gestoreId: string;
  code: string;
  measureCode: string;
  state: "IN_ISTRUTTORIA" | "SOSPESA";
  stateDate: string;
  days: number;
  maxDays: number;
};

export const STATE_LABELS = { IN_ISTRUTTORIA: "in istruttoria", SOSPESA: "sospesa" } as const;

/**
 * Practices that have stayed in IN_ISTRUTTORIA or SOSPESA longer than their measure allows on
 * `today`, longest first: at most `limit` per gestore, with each gestore's total.
 */
export async function overLimitPractices(q: Q, today: string, opts: { gestoreId?: string | null; limit?: number } = {}) {
  const rows = await q<
    { id: number; gestore_id: string; code: string; measure_code: string; state: "IN_ISTRUTTORIA" | "SOSPESA"; state_date: string; days: number; max_days: number; total: number }[]
  >`
    select * from (
      select p.id, p.gestore_id, p.code, m.code as measure_code, p.state, p.state_date::text as state_date,
             (${today}::date - p.state_date) as days,
             case when p.state = 'IN_ISTRUTTORIA' then m.max_days_istruttoria else m.max_days_sospesa end as max_days,
             (count(*) over (partition by p.gestore_id))::int as total,
             row_number() over (partition by p.gestore_id order by (${today}::date - p.state_date) desc, p.code) as n
      from practices p join measures m on m.id = p.measure_id
      where (${opts.gestoreId ?? null}::uuid is null or p.gestore_id = ${opts.gestoreId ?? null}::uuid)
        and ((p.state = 'IN_ISTRUTTORIA' and m.max_days_istruttoria is not null and ${today}::date - p.state_date > m.max_days_istruttoria)
          or (p.state = 'SOSPESA' and m.max_days_sospesa is not null and ${today}::date - p.state_date > m.max_days_sospesa))
    ) x where n <= ${opts.limit ?? 20}
    order by gestore_id, n`;
  const byGestore = new Map<string, { total: number; practices: OverLimitPractice[] }>();
  for (const r of rows) {
    const entry = byGestore.get(r.gestore_id) ?? { total: r.total, practices: [] };
    entry.practices.push({
      id: Number(r.id),
      gestoreId: r.gestore_id,
      code: r.code,
      measureCode: r.measure_code,
      state: r.state,
      stateDate: r.state_date,
      days: r.days,
      maxDays: r.max_days,
    });
    byGestore.set(r.gestore_id, entry);
  }
  return byGestore;
}

/** How many practices of each (gestore, measure) are over their state limits on `today`. */
export async function overLimitCounts(q: Q, today: string, gestoreId: string | null = null) {
  const rows = await q<{ gestore_id: string; measure_id: string; n: number }[]>`
    select p.gestore_id, p.measure_id, count(*)::int as n
    from practices p join measures m on m.id = p.measure_id
    where (${gestoreId}::uuid is null or p.gestore_id = ${gestoreId}::uuid)
      and ((p.state = 'IN_ISTRUTTORIA' and m.max_days_istruttoria is not null and ${today}::date - p.state_date > m.max_days_istruttoria)
        or (p.state = 'SOSPESA' and m.max_days_sospesa is not null and ${today}::date - p.state_date > m.max_days_sospesa))
    group by p.gestore_id, p.measure_id`;
  return new Map(rows.map((r) => [`${r.gestore_id}:${r.measure_id}`, r.n]));
}

/**
 * The weekly digest (docs/decisions/0016): each gestore with practices over their state limits
 * gets one message per recipient per week. The key (gestore, Monday of the week, recipient) is
 * unique in the outbox, so a second run in the same week sends nothing.
 */
export async function runWeeklyDigest(opts: { now: Date }) {
  const today = romeDate(opts.now);
  const week = weekStart(today);
  const link = getConfig().baseUrl;
  return getSql().begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext('timeliness.digest'))`;
    const db = drizzleOver(tx);
    const over = await overLimitPractices(tx, today, { limit: 50 });
    let messages = 0;
    let gestoriReached = 0;
    for (const [gestoreId, { total, practices }] of over) {
      const [g] = await tx<{ name: string; email: string | null; pec: string | null; active: boolean }[]>`
        select name, email, pec, active from gestori where id = ${gestoreId}`;
      if (!g?.active) continue;
      const referenti = await tx<{ email: string }[]>`
        select u.email from accesses a join users u on u.id = a.user_id
        where a.gestore_id = ${gestoreId} and a.role = 'gestore_referente' and a.status = 'active'`;
      const recipients = [...new Set([...referenti.map((r) => r.email), g.email, g.pec].filter((a): a is string => !!a))];
      let sent = 0;
      for (const to of recipients) {
        const queued = await queueMail(tx, {
          to,
          template: "riepilogo-settimanale",
          dedupeKey: `digest:${gestoreId}:${week}:${to.toLowerCase()}`,
          data: {
            gestore: g.name,
            settimana: italianDate(week),
            quante: total === 1 ? "1 pratica" : `${total} pratiche`,
            pratiche: practices.map((p) => ({
              codice: p.code,
              misura: p.measureCode,
              stato: STATE_LABELS[p.state],
              dal: italianDate(p.stateDate),
              giorni: p.days,
              massimo: p.maxDays,
            })),
            altre: Math.max(0, total - practices.length),
            link: `${link}/pratiche`,
          },
        });
        if (queued) sent++;
      }
      if (sent) {
        gestoriReached++;
        messages += sent;
        await audit(db, { system: "timeliness" }, {
          action: "timeliness.digest",
          objectType: "gestore",
          objectId: gestoreId,
          gestoreId,
          details: { week, practices: total, recipients: sent },
        });
      }
    }
    return { today, week, gestori: gestoriReached, messages };
  });
}
