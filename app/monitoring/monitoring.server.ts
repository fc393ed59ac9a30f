import { z } from "zod";
import { audit } from "~/audit/audit.server";
import type { Actor } from "~/auth/guards.server";
import { CSV_BOM, csvLine } from "~/lib/csv";
import { clientIp } from "~/lib/request.server";
import { xlsx, type XlsxCell } from "~/lib/xlsx";
import { todayInRome } from "~/lib/dates";
import { getDb } from "~db/client";
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
  from: isoDate,
  to: isoDate,
});

function parseFilter(url: URL): { filter: MonitoringFilter; invalid: boolean } {
  const raw = Object.fromEntries([...url.searchParams].filter(([k]) => k in monitoringFilterSchema.shape));
  const parsed = monitoringFilterSchema.safeParse(raw);
  if (!parsed.success) return { filter: {}, invalid: true };
  const filter = Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined)) as MonitoringFilter;
  return { filter, invalid: false };
}

export async function dashboardPage(url: URL, actor: Actor) {
  const { filter, invalid } = parseFilter(url);
  const db = getDb();
  const [figures, options] = await Promise.all([monitoringFigures(db, actor, filter, { today: todayInRome() }), monitoringOptions(db)]);
  const tables = dashboardTables(filter, figures);
  return {
    filter,
    invalidFilter: invalid,
    level: figures.scope.level,
    individual: figures.individual,
    gestoreCf: figures.scope.gestoreCf,
    isGestoreUser: actor.role === "gestore_operatore" || actor.role === "gestore_referente",
    totals: figures.totals,
    byState: figures.byState,
    flow: figures.flow,
    durations: figures.durations,
    hasComparison: figures.comparison !== null,
    tables,
    options,
  };
}

/** The process map of the practices the filters select (docs/decisions/0056). */
export async function processMapPage(url: URL, actor: Actor) {
  const { filter, invalid } = parseFilter(url);
  const db = getDb();
  const [figures, options] = await Promise.all([cachedProcessMapFigures(db, actor, filter), monitoringOptions(db)]);
  return {
    filter,
    invalidFilter: invalid,
    level: figures.scope.level,
    individual: figures.individual,
    isGestoreUser: actor.role === "gestore_operatore" || actor.role === "gestore_referente",
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
  const { filter, invalid } = parseFilter(url);
  if (invalid) return new Response("Filtri non validi.", { status: 400 });
  const { table, level } = await exportedTable(actor, filter, which.data.tabella);
  await audit(getDb(), { actor, ip: clientIp(request) }, {
    action: "monitoring.export",
    objectType: "monitoring_table",
    objectId: table.id,
    details: { format: which.data.formato, filter, level },
  });
  const name = `monitoraggio-${table.id}-${todayInRome()}`;
  if (which.data.formato === "csv") {
    return new Response(tableCsv(table), {
      headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${name}.csv"` },
    });
  }
  return new Response(new Uint8Array(tableXlsx(table)), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="${name}.xlsx"`,
    },
  });
}

/** CSV for Italian spreadsheets; formula-like text is neutralised by csvLine. */
export function tableCsv(table: DataTable): string {
  return CSV_BOM + csvLine(table.head) + table.rows.map((r) => csvLine(r.map((c) => cellText(c, { grouping: false, empty: "" })))).join("");
}

function xlsxCell(c: Cell): XlsxCell {
  if (c === null || typeof c === "string" || typeof c === "number") return c;
  if ("suppressed" in c) return "< 5";
  if ("money" in c) return { decimal: c.money };
  if ("rate" in c) return c.rate;
  return c.days;
}

export function tableXlsx(table: DataTable): Buffer {
  return xlsx(table.title, [table.head, ...table.rows.map((r) => r.map(xlsxCell))], { headerRows: 1 });
}
