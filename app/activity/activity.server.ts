import { z } from "zod";
import { audit } from "~/audit/audit.server";
import { forbidden, type SignedIn } from "~/auth/guards.server";
import { slaStatus } from "~/helpdesk/sla";
import { addDays } from "~/timeliness/calendar";
import { todayInRome } from "~/lib/dates";
import { clientIp } from "~/lib/request.server";
import { tableDownload } from "~/monitoring/monitoring.server";
import type { Cell } from "~/monitoring/tables";
import { listExtraHolidays } from "~/timeliness/settings.server";
import { getDb } from "~db/client";
import {
  CLARIFICATION_ITEMS,
  clarificationItems,
  clarificationsByOfficial,
  responseTimes,
  ticketsInPeriod,
  unitOfficials,
  WORKLOAD_ITEMS,
  workloadByOfficial,
  workloadItems,
  workloadTimes,
  type Period,
} from "~db/queries/activity";
import { listQueues } from "~db/queries/helpdesk";
import { listOrgUnits } from "~db/queries/registry";

/** A table of the report, as the monitoring tables: cells, and a link per cell to its items. */
export type ActivityTable = { id: string; title: string; head: string[]; rows: Cell[][]; links: (string | null)[][] };

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** The filters, from the URL: a period (default: the last 30 days) and, for administrators, a unit. */
export function activityFilter(url: URL) {
  const today = todayInRome();
  const to = url.searchParams.get("al") || today;
  const from = url.searchParams.get("dal") || addDays(to, -29);
  const unit = url.searchParams.get("struttura") || null;
  const problems: string[] = [];
  if (!isoDate.safeParse(from).success) problems.push("Data di inizio non valida.");
  if (!isoDate.safeParse(to).success) problems.push("Data di fine non valida.");
  if (!problems.length && from > to) problems.push("La data di inizio è dopo la data di fine.");
  if (unit && !z.uuid().safeParse(unit).success) problems.push("Struttura non valida.");
  return { period: { from, to } as Period, unit, problems };
}

/**
 * Who sees what (issue 17): administrators every unit (or the one chosen), dirigenti their own
 * unit, officials their own figures and their unit's totals.
 */
async function scopeOf(request: Request, signedIn: SignedIn, unit: string | null) {
  const { actor } = signedIn;
  if (actor.role === "amministratore") {
    const units = (await listOrgUnits(getDb())).map((u) => ({ id: u.unit.id, name: u.unit.name }));
    return { units, unitIds: unit ? [unit] : units.map((u) => u.id), ownOnly: false, choose: true };
  }
  if (unit && unit !== actor.orgUnitId) throw await forbidden(request, actor, "activity_unit", { unit });
  const [own] = (await listOrgUnits(getDb())).filter((u) => u.unit.id === actor.orgUnitId);
  return { units: own ? [{ id: own.unit.id, name: own.unit.name }] : [], unitIds: actor.orgUnitId ? [actor.orgUnitId] : [], ownOnly: actor.role === "funzionario", choose: false };
}

const days = (v: number | null): Cell => (v === null ? null : { days: Math.round(Number(v) * 10) / 10 });
const hours = (v: number | null): Cell => (v === null ? null : Math.round(Number(v) * 10) / 10);

function query(period: Period, unit: string | null, extra: Record<string, string>) {
  const q = new URLSearchParams({ dal: period.from, al: period.to, ...(unit ? { struttura: unit } : {}), ...extra });
  return `/attivita/elenco?${q}`;
}

async function buildReport(request: Request, signedIn: SignedIn, url: URL) {
  const { period, unit, problems } = activityFilter(url);
  if (problems.length) return { period, unit, problems, units: [], choose: false, tables: [] as ActivityTable[], chart: [] as { label: string; value: number }[] };
  const scope = await scopeOf(request, signedIn, unit);
  const db = getDb();
  const officials = await unitOfficials(db, scope.unitIds);
  const everyone = officials.map((o) => o.user_id);
  const shown = scope.ownOnly ? officials.filter((o) => o.user_id === signedIn.actor.userId) : officials;
  const [load, times, clar, answers, queues, extra] = await Promise.all([
    workloadByOfficial(db, everyone, period),
    workloadTimes(db, everyone, period),
    clarificationsByOfficial(db, everyone, period),
    responseTimes(db, everyone, period),
    listQueues(db),
    listExtraHolidays(db),
  ]);
  const name = (id: string) => {
    const o = officials.find((x) => x.user_id === id);
    return o ? `${o.surname} ${o.name}` : id;
  };
  const byUser = new Map(load.map((r) => [r.user_id, r]));
  const sum = (k: "taken" | "concluded" | "reassigned" | "open_now") => load.reduce((a, r) => a + r[k], 0);

  const workload: ActivityTable = {
    id: "funzionari",
    title: "Pratiche per funzionario: prese in carico, concluse e riassegnate nel periodo; in carico ora",
    head: ["Funzionario", "Prese in carico", "Concluse", "Riassegnate ad altri", "In carico ora", "Giorni della più vecchia in carico"],
    rows: [],
    links: [],
  };
  const timesTable: ActivityTable = {
    id: "tempi",
    title: "Giorni dalla presentazione della pratica alla presa in carico e alla conclusione (nel periodo)",
    head: ["Funzionario", "Presa in carico: mediana", "Presa in carico: 90° percentile", "Conclusione: mediana", "Conclusione: 90° percentile"],
    rows: [],
    links: [],
  };
  for (const o of shown) {
    const r = byUser.get(o.user_id)!;
    workload.rows.push([name(o.user_id), r.taken, r.concluded, r.reassigned, r.open_now, r.oldest_open_days]);
    workload.links.push([null, ...WORKLOAD_ITEMS.map((w) => query(period, unit, { voce: w, funzionario: o.user_id })), null]);
    timesTable.rows.push([name(o.user_id), days(r.take_median), days(r.take_p90), days(r.conclude_median), days(r.conclude_p90)]);
  }
  workload.rows.push(["Totale della struttura", sum("taken"), sum("concluded"), sum("reassigned"), sum("open_now"), null]);
  workload.links.push(workload.head.map(() => null));
  timesTable.rows.push(["Struttura", days(times.take_median), days(times.take_p90), days(times.conclude_median), days(times.conclude_p90)]);
  timesTable.links = timesTable.rows.map((r) => r.map(() => null));

  const clarifications: ActivityTable = {
    id: "chiarimenti",
    title: "Richieste di chiarimenti inviate nel periodo: risposte entro la scadenza, in ritardo, senza risposta dopo la scadenza, ancora nei termini",
    head: ["Funzionario", "Risposte in tempo", "Risposte in ritardo", "Senza risposta (scadute)", "Nei termini"],
    rows: [],
    links: [],
  };
  const clarCount = (id: string | null, outcome: string) => clar.filter((c) => (id === null || c.user_id === id) && c.outcome === outcome).reduce((a, c) => a + c.n, 0);
  for (const o of shown) {
    clarifications.rows.push([name(o.user_id), ...CLARIFICATION_ITEMS.map((k) => clarCount(o.user_id, k))]);
    clarifications.links.push([null, ...CLARIFICATION_ITEMS.map((k) => query(period, unit, { voce: k, funzionario: o.user_id }))]);
  }
  clarifications.rows.push(["Totale della struttura", ...CLARIFICATION_ITEMS.map((k) => clarCount(null, k))]);
  clarifications.links.push([null, ...CLARIFICATION_ITEMS.map((k) => query(period, unit, { voce: k }))]);

  const messages: ActivityTable = {
    id: "messaggi",
    title: "Tempi di risposta ai messaggi (ore dal messaggio dell'altra parte)",
    head: ["Chi risponde", "Risposte", "Mediana (ore)", "90° percentile (ore)"],
    rows: [],
    links: [],
  };
  for (const a of answers) {
    if (a.who === "ufficio" || a.who === "gestori") continue;
    if (scope.ownOnly && a.who !== signedIn.actor.userId) continue;
    messages.rows.push([name(a.who), a.n, hours(a.median_hours), hours(a.p90_hours)]);
  }
  for (const who of ["ufficio", "gestori"]) {
    const a = answers.find((x) => x.who === who);
    messages.rows.push([who === "ufficio" ? "Ufficio (tutti i funzionari)" : "Enti gestori", a?.n ?? 0, hours(a?.median_hours ?? null), hours(a?.p90_hours ?? null)]);
  }
  messages.links = messages.rows.map((r) => r.map(() => null));

  // Help-desk queues worked by the units in scope (all of them for administrators without a unit).
  const shownQueues = queues.filter((q) => (signedIn.actor.role === "amministratore" && !unit) || (q.orgUnitId !== null && scope.unitIds.includes(q.orgUnitId)));
  const tickets = await ticketsInPeriod(db, shownQueues.map((q) => q.category), period);
  const holidays = extra.map((h) => ({ month: h.month, day: h.day, year: h.year, name: h.name }));
  const now = new Date();
  const helpdesk: ActivityTable = {
    id: "assistenza",
    title: "Richieste di assistenza ricevute nel periodo per coda: volume, tempi in ore lavorative (mediana) e oltre i tempi di servizio",
    head: ["Coda", "Ricevute", "Chiuse", "Prima risposta: mediana (ore)", "Soluzione: mediana (ore)", "Prima risposta oltre il limite", "Soluzione oltre il limite"],
    rows: [],
    links: [],
  };
  for (const q of shownQueues) {
    const own = tickets.filter((t) => t.category === q.category);
    const slas = own.map((t) =>
      slaStatus(
        { createdAt: new Date(t.created_at), firstAnsweredAt: t.first_answered_at ? new Date(t.first_answered_at) : null, closedAt: t.closed_at ? new Date(t.closed_at) : null, waits: t.snapshot.context.waits, waitingSince: t.snapshot.context.waitingSince },
        q,
        now,
        holidays,
      ),
    );
    const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]! / 60 : null);
    helpdesk.rows.push([
      q.name,
      own.length,
      own.filter((t) => t.closed_at).length,
      hours(median(own.map((t, i) => (t.first_answered_at ? slas[i]!.firstAnswerMinutes : null)).filter((x): x is number => x !== null))),
      hours(median(own.map((t, i) => (t.closed_at ? slas[i]!.resolutionMinutes : null)).filter((x): x is number => x !== null))),
      slas.filter((s) => s.firstAnswerBreached).length,
      slas.filter((s) => s.resolutionBreached).length,
    ]);
    helpdesk.links.push(helpdesk.head.map(() => null));
  }

  return {
    period,
    unit,
    problems,
    units: scope.units,
    choose: scope.choose,
    tables: [workload, timesTable, clarifications, messages, helpdesk],
    chart: shown.map((o) => ({ label: name(o.user_id), value: byUser.get(o.user_id)!.taken })),
  };
}

export async function activityPage(request: Request, signedIn: SignedIn) {
  const url = new URL(request.url);
  const report = await buildReport(request, signedIn, url);
  await audit(getDb(), { actor: signedIn.actor, ip: clientIp(request) }, { action: "activity.view", objectType: "activity_report", details: { period: report.period, unit: report.unit } });
  return { ...report, query: url.searchParams.toString() };
}

const exportSchema = z.object({ tabella: z.enum(["funzionari", "tempi", "chiarimenti", "messaggi", "assistenza"]), formato: z.enum(["csv", "xlsx"]) });

export async function activityExport(request: Request, signedIn: SignedIn) {
  const url = new URL(request.url);
  const which = exportSchema.safeParse({ tabella: url.searchParams.get("tabella"), formato: url.searchParams.get("formato") });
  if (!which.success) return new Response("Tabella o formato non validi.", { status: 400 });
  const report = await buildReport(request, signedIn, url);
  if (report.problems.length) return new Response(`Filtri non validi: ${report.problems.join(" ")}`, { status: 400 });
  const table = report.tables.find((t) => t.id === which.data.tabella)!;
  await audit(getDb(), { actor: signedIn.actor, ip: clientIp(request) }, { action: "activity.export", objectType: "activity_report", objectId: table.id, details: { format: which.data.formato, period: report.period, unit: report.unit } });
  return tableDownload(table, `attivita-${table.id}-${report.period.from}-${report.period.to}`, which.data.formato);
}

const itemSchema = z.object({ voce: z.enum([...WORKLOAD_ITEMS, ...CLARIFICATION_ITEMS]), funzionario: z.uuid().optional() });

const ITEM_TITLES: Record<string, string> = {
  prese: "Pratiche prese in carico",
  concluse: "Pratiche concluse",
  riassegnate: "Pratiche riassegnate ad altri",
  aperte: "Pratiche in carico ora",
  "in-tempo": "Richieste di chiarimenti con risposta in tempo",
  "in-ritardo": "Richieste di chiarimenti con risposta in ritardo",
  "senza-risposta": "Richieste di chiarimenti senza risposta dopo la scadenza",
  "in-attesa": "Richieste di chiarimenti ancora nei termini",
};

/** The items behind one number of the report, in the same scope as the report. */
export async function activityItemsPage(request: Request, signedIn: SignedIn) {
  const url = new URL(request.url);
  const { period, unit, problems } = activityFilter(url);
  const parsed = itemSchema.safeParse({ voce: url.searchParams.get("voce"), funzionario: url.searchParams.get("funzionario") || undefined });
  if (problems.length || !parsed.success || ((WORKLOAD_ITEMS as readonly string[]).includes(parsed.data.voce) && !parsed.data.funzionario))
    throw new Response("Richiesta non valida: tornare al rapporto e scegliere un numero.", { status: 400 });
  const scope = await scopeOf(request, signedIn, unit);
  const db = getDb();
  const officials = await unitOfficials(db, scope.unitIds);
  const who = parsed.data.funzionario;
  if (who && !officials.some((o) => o.user_id === who)) throw await forbidden(request, signedIn.actor, "activity_official", { who });
  if (scope.ownOnly && who !== signedIn.actor.userId) throw await forbidden(request, signedIn.actor, "activity_official", { who: who ?? null });
  const voce = parsed.data.voce;
  const official = who ? officials.find((o) => o.user_id === who)! : null;
  await audit(db, { actor: signedIn.actor, ip: clientIp(request) }, { action: "activity.items", objectType: "activity_report", details: { voce, who: who ?? null, period } });
  const back = `/attivita?${new URLSearchParams({ dal: period.from, al: period.to, ...(unit ? { struttura: unit } : {}) })}`;
  const title = `${ITEM_TITLES[voce]}${official ? ` — ${official.name} ${official.surname}` : ""}`;
  if ((WORKLOAD_ITEMS as readonly string[]).includes(voce)) {
    const rows = await workloadItems(db, who!, voce as (typeof WORKLOAD_ITEMS)[number], period);
    return { title, back, period, rows: rows.map((r) => ({ href: `/pratiche/${r.practice_id}`, label: r.code, at: new Date(r.at).toISOString(), extra: null as string | null })) };
  }
  const rows = await clarificationItems(db, who ? [who] : officials.map((o) => o.user_id), voce as (typeof CLARIFICATION_ITEMS)[number], period);
  return { title, back, period, rows: rows.map((r) => ({ href: `/messaggi/${r.thread_id}`, label: r.subject, at: new Date(r.at).toISOString(), extra: r.due_on as string | null })) };
}
