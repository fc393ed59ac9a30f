import { z } from "zod";
import type { Actor } from "~/auth/guards.server";
import { italianDate, todayInRome } from "~/lib/dates";
import { daysBetween } from "~/timeliness/calendar";
import { overLimitPractices, STATE_LABELS } from "~/timeliness/digest.server";
import { assessObligations } from "~/timeliness/obligations.server";
import { drizzleOver, getSql } from "~db/client";
import { overdueClarifications } from "~db/queries/backoffice";
import { assertBackOffice } from "./handling.server";

export const CATEGORIES = {
  oltre_limite: "Oltre il tempo massimo dello stato",
  anomalia: "Anomalie degli importi",
  file_scartato: "File scartati senza invio successivo accettato",
  ente_in_ritardo: "Enti gestori in ritardo",
  chiarimento_scaduto: "Chiarimenti senza risposta oltre la scadenza",
} as const;
export type Category = keyof typeof CATEGORIES;

const blank = z.literal("").transform(() => undefined);
export const worklistFilter = z.object({
  categoria: z.enum(Object.keys(CATEGORIES) as [Category, ...Category[]]).optional().or(blank),
  mie: z.literal("1").optional().or(blank),
  ordina: z.enum(["giorni", "ente"]).default("giorni"),
});

export type WorkRow = {
  key: string;
  category: Category;
  practiceId: number | null;
  code: string | null;
  gestoreId: string;
  gestoreName: string;
  measureCode: string | null;
  detail: string;
  /** What a message to the gestore from this row is about (rejected file, obligation). */
  about: { uploadId?: string; measureId?: string } | null;
  days: number;
  ownUnit: boolean;
  handling: { state: string; assigneeUserId: string | null; assignee: string | null; priority: string; dueOn: string | null } | null;
};

/**
 * What needs an official today: the timeliness computations (over-limit practices, late
 * gestori) reused as they are, plus amount anomalies, rejected files not yet replaced and
 * clarification requests unanswered past their due date. The viewer's org unit comes first.
 */
export async function worklist(actor: Actor, url: URL, today = todayInRome()) {
  assertBackOffice(actor);
  const parsed = worklistFilter.safeParse(Object.fromEntries(url.searchParams));
  const filter = parsed.success ? parsed.data : worklistFilter.parse({});
  const sql = getSql();
  const measures = await sql<{ id: string; code: string; org_unit_id: string | null }[]>`select id, code, org_unit_id from measures`;
  const unitOfCode = new Map(measures.map((m) => [m.code, m.org_unit_id]));
  const codeOfId = new Map(measures.map((m) => [m.id, m.code]));
  const gestoreRows = await sql<{ id: string; name: string }[]>`select id, name from gestori`;
  const gestoreName = new Map(gestoreRows.map((g) => [g.id, g.name]));
  const own = (unit: string | null | undefined) => !!actor.orgUnitId && unit === actor.orgUnitId;

  const [over, anomalies, rejected, obligations, clarifications] = await Promise.all([
    overLimitPractices(sql, today, { limit: 500 }),
    sql<{ id: string; code: string; gestore_id: string; measure_id: string; approved: string; disbursed: string; state_date: string }[]>`
      select id, code, gestore_id, measure_id, amount_approved as approved, amount_disbursed as disbursed, state_date::text as state_date
      from practices where amount_disbursed is not null and amount_approved is not null and amount_disbursed > amount_approved
      order by state_date limit 500`,
    sql<{ id: string; gestore_id: string; submission_id: string | null; received_on: string }[]>`
      select u.id, u.gestore_id, u.submission_id, ((u.received_at at time zone 'Europe/Rome')::date)::text as received_on from uploads u
      where u.status = 'rejected'
        and not exists (select 1 from uploads a where a.gestore_id = u.gestore_id and a.status = 'accepted' and a.received_at > u.received_at)
        and u.received_at = (select max(r.received_at) from uploads r where r.gestore_id = u.gestore_id and r.status = 'rejected')`,
    assessObligations(sql, today),
    overdueClarifications(drizzleOver(sql as never), today),
  ]);

  const rows: WorkRow[] = [];
  for (const [, { practices }] of over) {
    for (const p of practices) {
      rows.push({
        key: `oltre_limite:${p.id}`, category: "oltre_limite", practiceId: p.id, code: p.code, gestoreId: p.gestoreId,
        gestoreName: gestoreName.get(p.gestoreId) ?? "", measureCode: p.measureCode,
        detail: `${STATE_LABELS[p.state]} da ${p.days} giorni (massimo ${p.maxDays})`, days: p.days - p.maxDays,
        ownUnit: own(unitOfCode.get(p.measureCode)), handling: null, about: null,
      });
    }
  }
  for (const a of anomalies) {
    rows.push({
      key: `anomalia:${a.id}`, category: "anomalia", practiceId: Number(a.id), code: a.code, gestoreId: a.gestore_id,
      gestoreName: gestoreName.get(a.gestore_id) ?? "", measureCode: codeOfId.get(a.measure_id) ?? null,
      detail: `erogato ${a.disbursed} € oltre il deliberato ${a.approved} €`, days: Math.max(0, daysBetween(a.state_date, today)),
      ownUnit: own(unitOfCode.get(codeOfId.get(a.measure_id) ?? "")), handling: null, about: null,
    });
  }
  for (const u of rejected) {
    const on = u.received_on;
    rows.push({
      key: `file_scartato:${u.id}`, category: "file_scartato", practiceId: null, code: null, gestoreId: u.gestore_id,
      gestoreName: gestoreName.get(u.gestore_id) ?? "", measureCode: null,
      detail: `file ${u.submission_id ?? ""} scartato il ${italianDate(on)}, nessun invio accettato dopo`, days: Math.max(0, daysBetween(on, today)),
      ownUnit: false, handling: null, about: { uploadId: u.id },
    });
  }
  for (const o of obligations) {
    if (!o.assessment.oldestLate) continue;
    rows.push({
      key: `ente_in_ritardo:${o.gestoreId}:${o.measureId}`, category: "ente_in_ritardo", practiceId: null, code: null, gestoreId: o.gestoreId,
      gestoreName: o.gestoreName, measureCode: o.measureCode,
      detail: `${o.assessment.lateCount} invii mancanti, il più vecchio scaduto il ${italianDate(o.assessment.oldestLate.due)}`,
      days: o.assessment.oldestLate.daysLate, ownUnit: own(o.orgUnitId), handling: null, about: { measureId: o.measureId },
    });
  }
  const clarPractices = clarifications.filter((c) => c.practiceId !== null).map((c) => c.practiceId!);
  const clarInfo = clarPractices.length
    ? await sql<{ id: string; code: string; measure_id: string }[]>`select id, code, measure_id from practices where id = any(${clarPractices}::bigint[])`
    : [];
  const clarById = new Map(clarInfo.map((p) => [Number(p.id), p]));
  for (const c of clarifications) {
    const p = c.practiceId !== null ? clarById.get(c.practiceId) : undefined;
    rows.push({
      key: `chiarimento_scaduto:${c.id}`, category: "chiarimento_scaduto", practiceId: c.practiceId, code: p?.code ?? null, gestoreId: c.gestoreId,
      gestoreName: gestoreName.get(c.gestoreId) ?? "", measureCode: p ? (codeOfId.get(p.measure_id) ?? null) : null,
      detail: `richiesta di chiarimenti scaduta il ${italianDate(c.dueOn!)}`, days: daysBetween(c.dueOn!, today),
      ownUnit: own(p ? unitOfCode.get(codeOfId.get(p.measure_id) ?? "") : null), handling: null, about: null,
    });
  }

  // Who handles each practice.
  const ids = [...new Set(rows.filter((r) => r.practiceId !== null).map((r) => r.practiceId!))];
  const items = ids.length
    ? await sql<{ practice_id: string; state: string; assignee_user_id: string | null; name: string | null; surname: string | null; priority: string; due_on: string | null }[]>`
        select w.practice_id, w.state, w.assignee_user_id, u.name, u.surname, w.priority, w.due_on::text as due_on
        from work_items w left join users u on u.id = w.assignee_user_id where w.practice_id = any(${ids}::bigint[])`
    : [];
  const byPractice = new Map(items.map((i) => [Number(i.practice_id), i]));
  for (const r of rows) {
    const i = r.practiceId !== null ? byPractice.get(r.practiceId) : undefined;
    if (i) r.handling = { state: i.state, assigneeUserId: i.assignee_user_id, assignee: i.name ? `${i.name} ${i.surname}` : null, priority: i.priority, dueOn: i.due_on };
  }

  const counts = Object.fromEntries(Object.keys(CATEGORIES).map((k) => [k, rows.filter((r) => r.category === k).length])) as Record<Category, number>;
  let shown = rows.filter((r) => r.handling?.state !== "done");
  if (filter.categoria) shown = shown.filter((r) => r.category === filter.categoria);
  if (filter.mie) shown = shown.filter((r) => r.handling?.assigneeUserId === actor.userId);
  shown.sort((a, b) => {
    if (a.ownUnit !== b.ownUnit) return a.ownUnit ? -1 : 1;
    if (filter.ordina === "ente") return a.gestoreName.localeCompare(b.gestoreName, "it") || b.days - a.days;
    return b.days - a.days || a.key.localeCompare(b.key);
  });
  return { today, filter: { categoria: filter.categoria ?? "", mie: filter.mie ?? "", ordina: filter.ordina }, counts, total: shown.length, rows: shown.slice(0, 300) };
}
