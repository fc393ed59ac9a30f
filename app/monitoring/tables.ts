import { STATE_LABELS } from "~/components/labels";
import { italianDate } from "~/lib/dates";
import { italianDecimal, italianNumber } from "~/lib/decimal";
import type { MonitoringFilter, Withheld } from "~db/queries/monitoring";
import type { MonitoringFigures } from "./figures.server";

/**
 * The dashboard's tables, one model for the page (with a link behind each number) and for the
 * CSV and XLSX exports. Pure: no I/O.
 */
export type Cell = null | string | number | { money: string } | { rate: number } | { days: number } | { suppressed: true };
export type DataTable = { id: TableId | ProcessTableId | "dati-anonimi"; title: string; head: string[]; rows: Cell[][]; links: (string | null)[][] };

export const TABLE_IDS = ["stati", "flusso", "tempi", "passaggi", "tempestivita", "confronto", "ambiti", "confronto-ambito"] as const;
export type TableId = (typeof TABLE_IDS)[number];
/** The process map's tables (app/monitoring/process-map.ts), exported like the dashboard's. */
export const PROCESS_TABLE_IDS = ["processo-stati", "processo-passaggi"] as const;
export type ProcessTableId = (typeof PROCESS_TABLE_IDS)[number];

const SUPPRESSED: Cell = { suppressed: true };
const count = (n: number | null): Cell => (n === null ? SUPPRESSED : n);
const money = (m: string | null, suppressed: boolean): Cell => (suppressed ? SUPPRESSED : m === null ? null : { money: m });
/** A figure of a row, withheld when the data layer says so (docs/decisions/0080). */
const amount = (row: { withheld: Withheld }, field: "requested" | "approved" | "disbursed", m: string | null) => money(m, row.withheld.includes(field));
const share = (row: { withheld: Withheld }, r: number | null): Cell => (row.withheld.includes("approvalRate") ? SUPPRESSED : r === null ? null : { rate: r });
const days = (d: number | null, suppressed: boolean): Cell => (suppressed ? SUPPRESSED : d === null ? null : { days: d });

const addDays = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const later = (a: string, b?: string) => (b && b > a ? b : a);
const earlier = (a: string, b?: string) => (b && b < a ? b : a);

/** Builds links to the practice list: the filters of the dashboard plus what a number counts. */
export function linker(f: MonitoringFilter, figures: { scope: { gestoreCf: string | null }; individual: boolean }) {
  const geo = () => {
    const p = new URLSearchParams();
    if (f.measure) p.set("measure", f.measure);
    if (figures.scope.gestoreCf) p.set("gestore", figures.scope.gestoreCf);
    if (f.region) p.set("region", f.region);
    if (f.province) p.set("province", f.province);
    if (f.comune) p.set("comune", f.comune);
    return p;
  };
  // The practice list has no ATS filter: a number of an ATS view would lead to a wider list.
  const go = (p: URLSearchParams) => (figures.individual && !f.ats ? `/pratiche?${p.toString()}` : null);
  return {
    /** Practices submitted in the period (the cohort of stock figures and times). */
    cohort(extra: Record<string, string> = {}) {
      const p = geo();
      if (f.from) p.set("submittedFrom", f.from);
      if (f.to) p.set("submittedTo", f.to);
      for (const [k, v] of Object.entries(extra)) p.set(k, v);
      return go(p);
    },
    /** Practices submitted in a week (within the period). */
    submittedIn(week: string) {
      const p = geo();
      p.set("submittedFrom", later(week, f.from));
      p.set("submittedTo", earlier(addDays(week, 6), f.to));
      return go(p);
    },
    /** A gestore's practices over their state limits on `today` (the gestore's row: no geography, as the figure). */
    overLimit(gestoreCf: string, today: string) {
      const p = new URLSearchParams();
      if (f.measure) p.set("measure", f.measure);
      p.set("gestore", gestoreCf);
      p.set("overLimitOn", today);
      return go(p);
    },
    /** Practices that reached `to` (from `from`, when given) between two dates. */
    moved(to: string, opts: { from?: string; since?: string; until?: string }) {
      const p = geo();
      p.set("event", to);
      if (opts.from) p.set("eventFrom", opts.from);
      if (opts.since) p.set("eventSince", opts.since);
      if (opts.until) p.set("eventUntil", opts.until);
      return go(p);
    },
  };
}

export function dashboardTables(f: MonitoringFilter, figures: MonitoringFigures): Record<TableId, DataTable> {
  const link = linker(f, figures);
  const t = figures.totals;

  const stati: DataTable = {
    id: "stati",
    title: "Pratiche per stato e importi",
    head: ["Stato", "Pratiche", "Importo richiesto", "Importo deliberato", "Importo erogato"],
    rows: [
      ...figures.byState.map((r) => [STATE_LABELS[r.state]!, count(r.count), amount(r, "requested", r.requested), amount(r, "approved", r.approved), amount(r, "disbursed", r.disbursed)]),
      ["Totale", count(t.count), amount(t, "requested", t.requested), amount(t, "approved", t.approved), amount(t, "disbursed", t.disbursed)],
      ["Tasso di approvazione (deliberate, erogate, revocate su decise)", share(t, t.approvalRate), null, null, null],
    ],
    links: [
      ...figures.byState.map((r) => {
        const l = r.count === null ? null : link.cohort({ state: r.state });
        return [null, l, l, l, l];
      }),
      (() => {
        const l = t.count === null ? null : link.cohort();
        return [null, l, l, l, l];
      })(),
      [null, null, null, null, null],
    ],
  };

  const weekEnd = (w: string) => earlier(addDays(w, 6), f.to);
  const weekStart = (w: string) => later(w, f.from);
  const flusso: DataTable = {
    id: "flusso",
    title: "Flusso settimanale",
    head: ["Settimana dal", "Nuove", "Deliberate", "Non ammesse", "Erogate"],
    rows: figures.flow.map((w) => [italianDate(w.week), count(w.created), count(w.approved), count(w.rejected), count(w.disbursed)]),
    links: figures.flow.map((w) => {
      const moved = (state: string, n: number | null) => (n ? link.moved(state, { since: weekStart(w.week), until: weekEnd(w.week) }) : null);
      return [null, w.created ? link.submittedIn(w.week) : null, moved("DELIBERATA", w.approved), moved("NON_AMMESSA", w.rejected), moved("EROGATA", w.disbursed)];
    }),
  };

  const statRow = (label: string, s: { count: number | null; median: number | null; p90: number | null }): Cell[] => [
    label,
    count(s.count),
    days(s.median, s.count === null),
    days(s.p90, s.count === null),
  ];
  const tempi: DataTable = {
    id: "tempi",
    title: "Tempi in giorni: permanenza in ogni stato, alla decisione, all'erogazione",
    head: ["Fase", "Casi", "Mediana (giorni)", "90° percentile (giorni)"],
    rows: [
      ...figures.durations.map((d) => statRow(`In stato «${STATE_LABELS[d.state]}»`, d)),
      statRow("Dalla presentazione alla decisione", figures.toDecision),
      statRow("Dalla presentazione all'erogazione", figures.toDisbursement),
    ],
    links: [
      ...figures.durations.map((d) => {
        const l = d.count ? link.cohort({ eventFrom: d.state }) : null;
        return [null, l, null, null];
      }),
      [null, figures.toDecision.count ? link.cohort() : null, null, null],
      [null, figures.toDisbursement.count ? link.cohort({ event: "EROGATA" }) : null, null, null],
    ],
  };

  const passaggi: DataTable = {
    id: "passaggi",
    title: "Passaggi di stato (da × a)",
    head: ["Da", "A", "Passaggi"],
    rows: figures.matrix.map((c) => [STATE_LABELS[c.from]!, STATE_LABELS[c.to]!, count(c.count)]),
    links: figures.matrix.map((c) => [null, null, c.count ? link.moved(c.to, { from: c.from, since: f.from, until: f.to }) : null]),
  };

  const tempestivita: DataTable = {
    id: "tempestivita",
    title: "Tempestività degli enti gestori",
    head: [
      "Ente gestore",
      "Codice fiscale",
      "Ultimo file accettato: data di riferimento",
      "Accettato il",
      "Giorni dall'ultimo file accettato",
      "Giorni di ritardo",
      "Periodi scaduti",
      "Periodi inviati in tempo",
      "Quota di periodi in tempo",
      "Pratiche oltre i limiti di stato",
    ],
    rows: figures.timeliness.map((r) => [
      r.gestoreName,
      r.gestoreCf,
      r.lastReferenceDate && italianDate(r.lastReferenceDate),
      r.lastAcceptedOn && italianDate(r.lastAcceptedOn),
      r.daysSince,
      r.daysLate,
      r.obligations ? r.periodsDue : null,
      r.obligations ? r.periodsOnTime : null,
      r.onTimeShare === null ? null : { rate: r.onTimeShare },
      count(r.overLimit),
    ]),
    links: figures.timeliness.map((r) => [
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      r.overLimit ? link.overLimit(r.gestoreCf, figures.today) : null,
    ]),
  };

  const confronto: DataTable = {
    id: "confronto",
    title: "Confronto con la media degli enti della misura",
    head: ["Misura", "Indicatore", "Ente gestore", "Media per ente della misura"],
    rows: (figures.comparison ?? []).flatMap((c) => {
      const { own, average: avg } = c;
      return [
        [c.measure, "Pratiche", count(own.count), avg.withheld.includes("count") ? SUPPRESSED : Number(avg.count)],
        [c.measure, "Importo richiesto", amount(own, "requested", own.requested), amount(avg, "requested", avg.requested)],
        [c.measure, "Importo deliberato", amount(own, "approved", own.approved), amount(avg, "approved", avg.approved)],
        [c.measure, "Importo erogato", amount(own, "disbursed", own.disbursed), amount(avg, "disbursed", avg.disbursed)],
        [c.measure, "Tasso di approvazione", share(own, own.approvalRate), share(avg, avg.approvalRate)],
      ] as Cell[][];
    }),
    links: (figures.comparison ?? []).flatMap((c) => {
      const l = c.own.count ? linker({ ...f, measure: c.measure }, figures).cohort() : null;
      return [[null, null, l, null], [null, null, l, null], [null, null, l, null], [null, null, l, null], [null, null, null, null]];
    }),
  };

  // The ATS level (ADR 107): no links, the practice list has no ATS filter.
  const atsRows = figures.ats?.rows ?? [];
  const ambiti: DataTable = {
    id: "ambiti",
    title: "Pratiche per ATS",
    head: ["ATS", "Pratiche", "Importo richiesto", "Importo deliberato", "Importo erogato"],
    rows: atsRows.map((r): Cell[] => [r.name, count(r.count), amount(r, "requested", r.requested), amount(r, "approved", r.approved), amount(r, "disbursed", r.disbursed)]),
    links: atsRows.map(() => [null, null, null, null, null]),
  };
  const c = figures.ats?.comparison ?? null;
  const confrontoAmbito: DataTable = {
    id: "confronto-ambito",
    title: c ? `${c.name} e media regionale per ATS (${c.regionAts} ATS)` : "Confronto con la media regionale per ATS",
    head: ["Indicatore", "ATS", "Media regionale per ATS"],
    rows: c
      ? [
          ["Pratiche", count(c.own.count), c.average.withheld.includes("count") ? SUPPRESSED : c.average.count === null ? null : Number(c.average.count)],
          ["Importo richiesto", amount(c.own, "requested", c.own.requested), amount(c.average, "requested", c.average.requested)],
          ["Importo deliberato", amount(c.own, "approved", c.own.approved), amount(c.average, "approved", c.average.approved)],
          ["Importo erogato", amount(c.own, "disbursed", c.own.disbursed), amount(c.average, "disbursed", c.average.disbursed)],
          ["Tasso di approvazione", share(c.own, c.own.approvalRate), share(c.average, c.average.approvalRate)],
        ]
      : [],
    links: c ? Array.from({ length: 5 }, () => [null, null, null]) : [],
  };

  return { stati, flusso, tempi, passaggi, tempestivita, confronto, ambiti, "confronto-ambito": confrontoAmbito };
}


/** How a cell reads on the page and in the CSV (Italian number formats). */
export function cellText(c: Cell, opts: { grouping?: boolean; empty?: string } = {}): string {
  const useGrouping = opts.grouping ?? true;
  if (c === null) return opts.empty ?? "—";
  if (typeof c === "string") return c;
  if (typeof c === "number") return italianNumber(c, { useGrouping });
  if ("suppressed" in c) return "< 5";
  if ("money" in c) return italianDecimal(c.money, useGrouping);
  if ("rate" in c) return `${italianNumber(c.rate * 100, { maximumFractionDigits: 1, useGrouping })}%`;
  return italianNumber(c.days, { maximumFractionDigits: 1, useGrouping });
}
