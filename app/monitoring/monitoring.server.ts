import { z } from "zod";
import { audit } from "~/audit/audit.server";
import type { Actor } from "~/auth/guards.server";
import { CSV_BOM, csvLine } from "~/lib/csv";
import { clientIp } from "~/lib/request.server";
import { xlsx, type XlsxCell } from "~/lib/xlsx";
import { italianDate, todayInRome } from "~/lib/dates";
import { getDb } from "~db/client";
import { isGestoreRole, isTerritorialRole } from "~db/scope";
import { PRACTICE_STATE_VALUES } from "~db/schema";
import { atsList, confineToTerritory, territoryName } from "~db/queries/territories";
import { anonymousRows, type AnonymousRows } from "~db/queries/anonymous-rows";
import { STATE_LABELS } from "~/components/labels";
import { monitoringOptions, type MonitoringFilter } from "~db/queries/monitoring";
import { monitoringFigures } from "./figures.server";
import { processMap } from "./process-map";
import { cachedProcessMapFigures } from "./process-map-cache.server";
import { cellText, dashboardTables, PROCESS_TABLE_IDS, TABLE_IDS, type Cell, type DataTable } from "./tables";

const blank = z.literal("").transform(() => undefined);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().or(blank);

/** The dashboard's filters, all in the URL so a view can be bookmarked and shared. */
export const monitoringFilterSchema = z.object({
  measure: z.string().max(50).optional().or(blank),
  gestore: z.string().regex(/^(\d{11}|tutti)$/).optional().or(blank),
  region: z.string().regex(/^\d{2}$/).optional().or(blank),
  province: z.string().regex(/^\d{3}$/).optional().or(blank),
  comune: z.string().regex(/^\d{6}$/).optional().or(blank),
  ats: z.string().regex(/^[A-Za-z0-9-]{2,20}$/).optional().or(blank),
  from: isoDate,
  to: isoDate,
});

const FIELD_PROBLEMS: Record<keyof MonitoringFilter, string> = {
  measure: "Misura: valore non valido.",
  gestore: "Ente gestore: valore non valido.",
  region: "Regione: valore non valido.",
  province: "Provincia: valore non valido.",
  comune: "Comune: indicare il codice ISTAT di 6 cifre, ad esempio 042002.",
  ats: "Ambito territoriale sociale: valore non valido.",
  from: "Periodo dal: data non valida.",
  to: "Periodo al: data non valida.",
};

type Province = { code: string; name: string; region: string };
type Region = { code: string; name: string };

/**
 * Reads the dashboard's filters once, for the page and its exports alike: each value that is
 * malformed or contradicts another (a "dal" after the "al", a province outside the region, a
 * comune outside the province) is dropped with an Italian message, and the rest applies.
 */
export function checkMonitoringFilter(url: URL, geo: { regions: Region[]; provinces: Province[]; ats?: { code: string }[] }) {
  const problems: string[] = [];
  const filter: MonitoringFilter = {};
  for (const key of Object.keys(monitoringFilterSchema.shape) as (keyof MonitoringFilter)[]) {
    const raw = url.searchParams.get(key);
    if (raw === null || raw.trim() === "") continue;
    const parsed = monitoringFilterSchema.shape[key].safeParse(raw.trim());
    if (parsed.success && parsed.data !== undefined) filter[key] = parsed.data;
    else problems.push(FIELD_PROBLEMS[key]);
  }
  const region = filter.region ? geo.regions.find((r) => r.code === filter.region) : undefined;
  if (filter.region && !region) {
    problems.push(FIELD_PROBLEMS.region);
    delete filter.region;
  }
  const province = filter.province ? geo.provinces.find((p) => p.code === filter.province) : undefined;
  if (filter.province && !province) {
    problems.push(FIELD_PROBLEMS.province);
    delete filter.province;
  } else if (province && region && province.region !== region.code) {
    problems.push(`La provincia di ${province.name} non è nella regione ${region.name}: scegliere una provincia della regione.`);
    delete filter.province;
  }
  if (filter.comune) {
    const ofComune = geo.provinces.find((p) => p.code === filter.comune!.slice(0, 3));
    const inside = filter.province ? ofComune?.code === filter.province : region ? ofComune?.region === region.code : Boolean(ofComune);
    if (!inside) {
      problems.push(
        filter.province || region
          ? `Il comune ${filter.comune} non è nella ${filter.province ? `provincia di ${province!.name}` : `regione ${region!.name}`}.`
          : `Il comune ${filter.comune} non esiste.`,
      );
      delete filter.comune;
    }
  }
  if (filter.ats && geo.ats && !geo.ats.some((a) => a.code === filter.ats)) {
    problems.push(FIELD_PROBLEMS.ats);
    delete filter.ats;
  }
  if (filter.from && filter.to && filter.from > filter.to) {
    problems.push(`Periodo: la data «dal» (${italianDate(filter.from)}) è successiva alla data «al» (${italianDate(filter.to)}).`);
    delete filter.from;
    delete filter.to;
  }
  return { filter, problems };
}

/** The filter as a query string: what export links carry, so they ask exactly what the page shows. */
export const filterQuery = (filter: MonitoringFilter) =>
  new URLSearchParams(Object.entries(filter).filter((e): e is [string, string] => typeof e[1] === "string")).toString();

/**
 * The filters of the URL, checked, then confined to the viewer's territory (a territorial user:
 * OutOfScopeError when the URL names something outside it), with the options the viewer may pick.
 */
async function viewerFilter(url: URL, actor: Actor) {
  const db = getDb();
  const [all, ats] = await Promise.all([monitoringOptions(db), atsList(db)]);
  const options = { ...all, ats };
  const checked = checkMonitoringFilter(url, options);
  const filter = await confineToTerritory(db, actor, checked.filter);
  const t = actor.territory;
  if (!isTerritorialRole(actor.role) || !t) return { ...checked, filter, options, territory: null };
  const inside = {
    ...options,
    regions: t.level === "regione" ? options.regions.filter((r) => r.code === t.code) : [],
    provinces: t.level === "regione" ? options.provinces.filter((p) => p.region === t.code) : [],
    ats: t.level === "regione" ? ats.filter((a) => a.region === t.code) : t.level === "ats" ? ats.filter((a) => a.code === t.code) : [],
  };
  return { ...checked, filter, options: inside, territory: { ...t, name: await territoryName(db, t) } };
}

export async function dashboardPage(url: URL, actor: Actor) {
  const db = getDb();
  const { filter, problems, options, territory } = await viewerFilter(url, actor);
  const figures = await monitoringFigures(db, actor, filter, { today: todayInRome() });
  const tables = dashboardTables(filter, figures);
  // The headline figures are the table's total and rate rows, withheld cells included: one source.
  const [total, rate] = tables.stati.rows.slice(-2) as [Cell[], Cell[]];
  const [count, requested, approved, disbursed, approvalRate] = [...total.slice(1, 5), rate[1]] as Cell[];
  return {
    filter,
    problems,
    exportQuery: filterQuery(filter),
    level: figures.scope.level,
    individual: figures.individual,
    gestoreCf: figures.scope.gestoreCf,
    isGestoreUser: isGestoreRole(actor.role),
    headline: { count, requested, approved, disbursed, approvalRate },
    byState: figures.byState,
    flow: figures.flow,
    durations: figures.durations,
    hasComparison: figures.comparison !== null,
    tables,
    options,
    territory,
  };
}

/** The process map of the practices the filters select (docs/decisions/0056). */
export async function processMapPage(url: URL, actor: Actor) {
  const db = getDb();
  const { filter, problems, options } = await viewerFilter(url, actor);
  const figures = await cachedProcessMapFigures(db, actor, filter);
  return {
    filter,
    problems,
    exportQuery: filterQuery(filter),
    level: figures.scope.level,
    individual: figures.individual,
    isGestoreUser: isGestoreRole(actor.role),
    map: processMap(filter, figures),
    options,
  };
}

const exportSchema = z.object({ tabella: z.enum([...TABLE_IDS, ...PROCESS_TABLE_IDS]), formato: z.enum(["csv", "xlsx"]) });

async function exportedTable(actor: Actor, filter: MonitoringFilter, id: z.infer<typeof exportSchema>["tabella"]) {
  const db = getDb();
  if (id === "processo-stati" || id === "processo-passaggi") {
    const figures = await cachedProcessMapFigures(db, actor, filter);
    return { table: processMap(filter, figures).tables[id === "processo-stati" ? "stati" : "passaggi"], level: figures.scope.level };
  }
  const figures = await monitoringFigures(db, actor, filter, { today: todayInRome() });
  return { table: dashboardTables(filter, figures)[id], level: figures.scope.level };
}

/** One table of the dashboard as CSV or XLSX, with the same filters and visibility as the page. */
export async function exportTable(request: Request, actor: Actor): Promise<Response> {
  const url = new URL(request.url);
  const which = exportSchema.safeParse({ tabella: url.searchParams.get("tabella"), formato: url.searchParams.get("formato") });
  if (!which.success) return new Response("Tabella o formato non validi.", { status: 400 });
  const db = getDb();
  const { filter, problems } = await viewerFilter(url, actor);
  if (problems.length) return new Response(`Filtri non validi: ${problems.join(" ")}`, { status: 400 });
  const { table, level } = await exportedTable(actor, filter, which.data.tabella);
  await audit(db, { actor, ip: clientIp(request) }, {
    action: "monitoring.export",
    objectType: "monitoring_table",
    objectId: table.id,
    details: { format: which.data.formato, filter, level },
  });
  return tableDownload(table, `monitoraggio-${table.id}-${todayInRome()}`, which.data.formato);
}

/** A table as a CSV or XLSX download: the one way every export of a table answers. */
export function tableDownload(table: Pick<DataTable, "title" | "head" | "rows">, name: string, format: "csv" | "xlsx"): Response {
  if (format === "csv") {
    return new Response(tableCsv(table), { headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${name}.csv"` } });
  }
  return new Response(new Uint8Array(tableXlsx(table)), {
    headers: { "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Content-Disposition": `attachment; filename="${name}.xlsx"` },
  });
}

/** CSV for Italian spreadsheets; formula-like text is neutralised by csvLine. */
export function tableCsv(table: Pick<DataTable, "head" | "rows">): string {
  return CSV_BOM + csvLine(table.head) + table.rows.map((r) => csvLine(r.map((c) => cellText(c, { grouping: false, empty: "" })))).join("");
}

function xlsxCell(c: Cell): XlsxCell {
  if (c === null || typeof c === "string" || typeof c === "number") return c;
  if ("suppressed" in c) return "< 5";
  if ("money" in c) return { decimal: c.money };
  if ("rate" in c) return c.rate;
  return c.days;
}

export function tableXlsx(table: Pick<DataTable, "title" | "head" | "rows">): Buffer {
  return xlsx(table.title, [table.head, ...table.rows.map((r) => r.map(xlsxCell))], { headerRows: 1 });
}

const monthText = (m: string) => (m.includes("-T") ? `${m.slice(6)}° trimestre ${m.slice(0, 4)}` : `${m.slice(5, 7)}/${m.slice(0, 4)}`);

/**
 * The anonymous rows as the one table of every download (web CSV/XLSX, SFTP /out/export): the
 * amount columns only when the sheet gives them (docs/decisions/0108).
 */
export function anonymousRowsTable(data: AnonymousRows): DataTable {
  const money = (v: string | null): Cell => (v === null ? null : { money: v });
  return {
    id: "dati-anonimi",
    title: "Dati individuali anonimi",
    head: [
      "Pratica (pseudonimo)", "Misura", "Comune (codice ISTAT)", "Comune", "Provincia", "ATS", "Stato", "Presentata nel", "Nello stato dal",
      ...(data.amounts ? ["Importo richiesto", "Importo deliberato", "Importo erogato"] : []),
      ...PRACTICE_STATE_VALUES.map((s) => `Mese: ${STATE_LABELS[s]!.toLowerCase()}`),
    ],
    rows: [
      ...data.rows.map((r): Cell[] => [
        r.pseudonym,
        r.measure,
        r.comune,
        r.comuneName,
        r.province,
        r.ats,
        STATE_LABELS[r.state]!,
        monthText(r.submitted),
        monthText(r.stateSince),
        ...(data.amounts ? [money(r.requested), money(r.approved), money(r.disbursed)] : []),
        ...PRACTICE_STATE_VALUES.map((s) => (r.reached[s] ? monthText(r.reached[s]) : null)),
      ]),
      [`Righe generalizzate (provincia e trimestre): ${data.generalised}. Righe escluse (meno di 5 pratiche anche così): ${data.leftOut}.`],
    ],
    links: [],
  };
}

/**
 * A territorial user's anonymous practice-level rows of its territory (docs/decisions/0082), CSV
 * or XLSX, with the page's filters; every download audited with what it held.
 */
export async function exportAnonymousRows(request: Request, actor: Actor): Promise<Response> {
  const url = new URL(request.url);
  const format = z.enum(["csv", "xlsx"]).safeParse(url.searchParams.get("formato"));
  if (!format.success) return new Response("Formato non valido.", { status: 400 });
  const db = getDb();
  const { filter, problems } = await viewerFilter(url, actor);
  if (problems.length) return new Response(`Filtri non validi: ${problems.join(" ")}`, { status: 400 });
  const data = await anonymousRows(db, actor, filter);
  await audit(db, { actor, ip: clientIp(request) }, {
    action: "monitoring.anonymous_export",
    objectType: "territory",
    objectId: data.body,
    details: { format: format.data, filter, rows: data.rows.length, generalised: data.generalised, leftOut: data.leftOut },
  });
  const table = anonymousRowsTable(data);
  return tableDownload(table, `monitoraggio-dati-anonimi-${todayInRome()}`, format.data);
}
