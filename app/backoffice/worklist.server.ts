import { z } from "zod";
import type { Actor } from "~/auth/guards.server";
import { italianDate, todayInRome } from "~/lib/dates";
import { daysBetween } from "~/timeliness/calendar";
import { overLimitPractices, STATE_LABELS } from "~/timeliness/digest.server";
import { assessObligations } from "~/timeliness/obligations.server";
import { getDb, getSql } from "~db/client";
import { amountAnomalies, handlingOf, overdueClarifications, practiceCodes, rejectedFilesNotReplaced, worklistLookups } from "~db/queries/backoffice";
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
  const db = getDb();
  const { measures, gestori: gestoreRows } = await worklistLookups(db);
  const unitOfCode = new Map(measures.map((m) => [m.code, m.org_unit_id]));
  const codeOfId = new Map(measures.map((m) => [m.id, m.code]));
  const gestoreName = new Map(gestoreRows.map((g) => [g.id, g.name]));
  const own = (unit: string | null | undefined) => !!actor.orgUnitId && unit === actor.orgUnitId;

  const [over, anomalies, rejected, obligations, clarifications] = await Promise.all([
    // Issue 5's aggregate computations take the driver itself.
    overLimitPractices(getSql(), today, { limit: 500 }),
    amountAnomalies(db, 500),
    rejectedFilesNotReplaced(db),
    assessObligations(getSql(), today),
    overdueClarifications(db, today),
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
  const clarInfo = await practiceCodes(db, clarPractices);
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
  const items = await handlingOf(db, ids);
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
