import { z } from "zod";
import type { Actor } from "~/auth/guards.server";
import { italianDate, todayInRome } from "~/lib/dates";
import { daysBetween } from "~/timeliness/calendar";
import { overLimitPractices, STATE_LABELS } from "~/timeliness/digest.server";
import { assessObligations } from "~/timeliness/obligations.server";
import { getDb, getSql } from "~db/client";
import { applicationHandlingOf, applicationWork } from "~db/queries/applications";
import { amountAnomalies, handlingOf, overdueClarifications, practiceCodes, rejectedFilesNotReplaced, worklistChangeToken, worklistLookups } from "~db/queries/backoffice";
import { assertBackOffice } from "./handling.server";

export const CATEGORIES = {
  oltre_limite: "Oltre il tempo massimo dello stato",
  anomalia: "Anomalie degli importi",
  file_scartato: "File scartati senza invio successivo accettato",
  ente_in_ritardo: "Enti gestori in ritardo",
  chiarimento_scaduto: "Chiarimenti senza risposta oltre la scadenza",
  domanda: "Domande online da lavorare",
  integrazione_scaduta: "Integrazioni delle domande online scadute",
} as const;
export type Category = keyof typeof CATEGORIES;

const blank = z.literal("").transform(() => undefined);
export const worklistFilter = z.object({
  categoria: z.enum(Object.keys(CATEGORIES) as [Category, ...Category[]]).optional().or(blank),
  mie: z.literal("1").optional().or(blank),
  ordina: z.enum(["giorni", "ente"]).default("giorni"),
  pagina: z.coerce.number().int().min(1).max(10_000).default(1),
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
  /** A row about an online application of the viewer's office (ADR 90), with the date it is due by. */
  application?: { id: string; number: string; procedure: string; dueOn: string | null };
  handling: { state: string; assigneeUserId: string | null; assignee: string | null; priority: string; dueOn: string | null } | null;
};

/** A worklist row as computed from the data, before who handles it and whose unit it is. */
type ConditionRow = Omit<WorkRow, "ownUnit" | "handling"> & { unitId: string | null };
type Conditions = { today: string; token: string; computedAt: Date; rows: ConditionRow[] };

/** The longest a computed worklist is served at all (see docs/decisions/0058 on the token's one race). */
const MAX_AGE_MS = 60_000;
export const WORKLIST_PAGE_SIZE = 50;

let cached: Conditions | undefined;
let computing: { today: string; token: string; promise: Promise<Conditions> } | undefined;

/**
 * The conditions of the worklist, computed at most once per change of the data it reads: each
 * request reads the change token (a sequence advanced by statement triggers on those tables, one
 * cheap query), and a computation is shared by every request waiting for it (docs/decisions/0058).
 */
async function currentConditions(today: string): Promise<Conditions> {
  const token = await worklistChangeToken(getDb());
  const c = cached;
  if (c && c.today === today && c.token === token && Date.now() - c.computedAt.getTime() < MAX_AGE_MS) return c;
  if (!computing || computing.today !== today || computing.token !== token) {
    const promise = computeConditions(today, token).then(
      (value) => {
        if (computing?.promise === promise) computing = undefined;
        cached = value;
        return value;
      },
      (e: unknown) => {
        if (computing?.promise === promise) computing = undefined;
        throw e;
      },
    );
    computing = { today, token, promise };
  }
  return computing.promise;
}

/**
 * What needs an official today: the timeliness computations (over-limit practices, late
 * gestori) reused as they are, plus amount anomalies, rejected files not yet replaced and
 * clarification requests unanswered past their due date.
 */
async function computeConditions(today: string, token: string): Promise<Conditions> {
  const computedAt = new Date();
  const db = getDb();
  const { measures, gestori: gestoreRows } = await worklistLookups(db);
  const unitOfCode = new Map(measures.map((m) => [m.code, m.org_unit_id]));
  const codeOfId = new Map(measures.map((m) => [m.id, m.code]));
  const gestoreName = new Map(gestoreRows.map((g) => [g.id, g.name]));

  const [over, anomalies, rejected, obligations, clarifications] = await Promise.all([
    // Issue 5's aggregate computations take the driver itself.
    overLimitPractices(getSql(), today, { limit: 500 }),
    amountAnomalies(db, 500),
    rejectedFilesNotReplaced(db),
    assessObligations(getSql(), today),
    overdueClarifications(db, today),
  ]);

  const rows: ConditionRow[] = [];
  for (const [, { practices }] of over) {
    for (const p of practices) {
      rows.push({
        key: `oltre_limite:${p.id}`, category: "oltre_limite", practiceId: p.id, code: p.code, gestoreId: p.gestoreId,
        gestoreName: gestoreName.get(p.gestoreId) ?? "", measureCode: p.measureCode,
        detail: `${STATE_LABELS[p.state]} da ${p.days} giorni (massimo ${p.maxDays})`, days: p.days - p.maxDays,
        unitId: unitOfCode.get(p.measureCode) ?? null, about: null,
      });
    }
  }
  for (const a of anomalies) {
    rows.push({
      key: `anomalia:${a.id}`, category: "anomalia", practiceId: Number(a.id), code: a.code, gestoreId: a.gestore_id,
      gestoreName: gestoreName.get(a.gestore_id) ?? "", measureCode: codeOfId.get(a.measure_id) ?? null,
      detail: `erogato ${a.disbursed} € oltre il deliberato ${a.approved} €`, days: Math.max(0, daysBetween(a.state_date, today)),
      unitId: unitOfCode.get(codeOfId.get(a.measure_id) ?? "") ?? null, about: null,
    });
  }
  for (const u of rejected) {
    const on = u.received_on;
    rows.push({
      key: `file_scartato:${u.id}`, category: "file_scartato", practiceId: null, code: null, gestoreId: u.gestore_id,
      gestoreName: gestoreName.get(u.gestore_id) ?? "", measureCode: null,
      detail: `file ${u.submission_id ?? ""} scartato il ${italianDate(on)}, nessun invio accettato dopo`, days: Math.max(0, daysBetween(on, today)),
      unitId: null, about: { uploadId: u.id },
    });
  }
  for (const o of obligations) {
    if (!o.assessment.oldestLate) continue;
    rows.push({
      key: `ente_in_ritardo:${o.gestoreId}:${o.measureId}`, category: "ente_in_ritardo", practiceId: null, code: null, gestoreId: o.gestoreId,
      gestoreName: o.gestoreName, measureCode: o.measureCode,
      detail: `${o.assessment.lateCount} invii mancanti, il più vecchio scaduto il ${italianDate(o.assessment.oldestLate.due)}`,
      days: o.assessment.oldestLate.daysLate, unitId: o.orgUnitId, about: { measureId: o.measureId },
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
      unitId: p ? (unitOfCode.get(codeOfId.get(p.measure_id) ?? "") ?? null) : null, about: null,
    });
  }
  return { today, token, computedAt, rows };
}

/** A work item as a worklist row shows it (a practice's or an application's, ADR 112). */
export function handlingView(i: { state: string; assignee_user_id: string | null; name: string | null; surname: string | null; priority: string; due_on: string | null }): WorkRow["handling"] {
  return { state: i.state, assigneeUserId: i.assignee_user_id, assignee: i.name ? `${i.name} ${i.surname}` : null, priority: i.priority, dueOn: i.due_on };
}

/**
 * The worklist as one official sees it: the shared conditions (cached, see currentConditions),
 * who handles each practice (read now), the viewer's org unit first, counts per category and one
 * page of WORKLIST_PAGE_SIZE rows.
 */
export async function worklist(actor: Actor, url: URL, today = todayInRome()) {
  assertBackOffice(actor);
  const parsed = worklistFilter.safeParse(Object.fromEntries(url.searchParams));
  const filter = parsed.success ? parsed.data : worklistFilter.parse({});
  const conditions = await currentConditions(today);
  const ids = [...new Set(conditions.rows.filter((r) => r.practiceId !== null).map((r) => r.practiceId!))];
  const byPractice = new Map((await handlingOf(getDb(), ids)).map((i) => [Number(i.practice_id), i]));
  const rows: WorkRow[] = conditions.rows.map(({ unitId, ...r }) => {
    const i = r.practiceId !== null ? byPractice.get(r.practiceId) : undefined;
    return {
      ...r,
      ownUnit: !!actor.orgUnitId && unitId === actor.orgUnitId,
      handling: i ? handlingView(i) : null,
    };
  });

  const applicationRowsNow = await applicationRows(actor, today);
  const byApplication = new Map((await applicationHandlingOf(getDb(), applicationRowsNow.map((r) => r.application!.id))).map((i) => [i.application_id, i]));
  for (const r of applicationRowsNow) {
    const i = byApplication.get(r.application!.id);
    if (i) r.handling = handlingView(i);
  }
  rows.push(...applicationRowsNow);
  let open = rows.filter((r) => r.handling?.state !== "done");
  if (filter.mie) open = open.filter((r) => r.handling?.assigneeUserId === actor.userId);
  const counts = Object.fromEntries(Object.keys(CATEGORIES).map((k) => [k, open.filter((r) => r.category === k).length])) as Record<Category, number>;
  const shown = filter.categoria ? open.filter((r) => r.category === filter.categoria) : open;
  shown.sort((a, b) => {
    if (a.ownUnit !== b.ownUnit) return a.ownUnit ? -1 : 1;
    if (filter.ordina === "ente") return a.gestoreName.localeCompare(b.gestoreName, "it") || b.days - a.days;
    return b.days - a.days || a.key.localeCompare(b.key);
  });
  const pages = Math.max(1, Math.ceil(shown.length / WORKLIST_PAGE_SIZE));
  const page = Math.min(filter.pagina, pages);
  return {
    today,
    computedAt: conditions.computedAt.toISOString(),
    filter: { categoria: filter.categoria ?? "", mie: filter.mie ?? "", ordina: filter.ordina },
    counts,
    total: shown.length,
    page,
    pages,
    rows: shown.slice((page - 1) * WORKLIST_PAGE_SIZE, page * WORKLIST_PAGE_SIZE),
  };
}

const APPLICATION_STEP: Record<string, string> = {
  in_istruttoria: "In istruttoria: da decidere",
  integrata: "Integrazione ricevuta: da esaminare e decidere",
};

/**
 * The online applications that need the viewer's office (ADR 90), read per viewer (their reach
 * differs, so they are not part of the shared conditions): the opinion of their office awaited,
 * a review to start or a decision to take where their unit handles the procedure, an
 * integration request past its due date, unread messages of the applicant. Due by the
 * procedure's term (receipt + maximum duration) or, for integrations, the date asked.
 */
async function applicationRows(actor: Actor, today: string): Promise<WorkRow[]> {
  const rows: WorkRow[] = [];
  for (const a of await applicationWork(getDb(), actor)) {
    const unread = a.unread ? `; ${a.unread === 1 ? "1 messaggio" : `${a.unread} messaggi`} del richiedente da leggere` : "";
    let category: Category = "domanda";
    let step: string | null = null;
    let dueOn = a.term_on;
    if (a.state === "inviata" && a.opinion_due) step = "Parere del tuo ufficio atteso";
    else if (a.state === "inviata" && a.handling && a.offices === 0) step = "Istruttoria da avviare";
    else if (a.state === "inviata" && a.handling && actor.role === "amministratore" && a.pending_offices) step = `Pareri attesi da ${a.pending_offices} uffici`;
    else if (a.handling && APPLICATION_STEP[a.state]) step = APPLICATION_STEP[a.state]!;
    else if (a.state === "integrazione_richiesta" && a.handling && a.integration_due_on && a.integration_due_on < today) {
      category = "integrazione_scaduta";
      dueOn = a.integration_due_on;
      step = `Integrazione richiesta scaduta il ${italianDate(a.integration_due_on)}`;
    }
    if (!step && !unread) continue;
    rows.push({
      key: `${category}:${a.id}`, category, practiceId: null, code: null, gestoreId: "", gestoreName: "", measureCode: null,
      detail: `${step ?? "Messaggi del richiedente"}${step ? unread : unread.replace(/^; /, ": ")}${dueOn && category === "domanda" ? ` — termine del procedimento ${italianDate(dueOn)}` : ""}`,
      about: null, days: dueOn ? daysBetween(dueOn, today) : 0, ownUnit: true, handling: null,
      application: { id: a.id, number: a.number, procedure: a.procedure, dueOn },
    });
  }
  return rows;
}
