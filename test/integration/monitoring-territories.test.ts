import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { monitoringFigures } from "~/monitoring/figures.server";
import type { DataTable } from "~/monitoring/tables";
import * as dashboard from "~/routes/monitoraggio._index";
import * as exportRoute from "~/routes/monitoraggio.esporta";
import * as processMap from "~/routes/monitoraggio.processo";
import { getDb } from "~db/client";
import type { MonitoringFilter } from "~db/queries/monitoring";
import { auditLog } from "~db/schema";
import { cookieFor, GESTORE_DEMO, PEOPLE, seedDemo, statusOf, TERRITORIAL_PEOPLE, userOf, viewerOf } from "../support/actors";
import { insertPractices } from "../support/monitoring";
import { gestoreId } from "../support/uploads";

/**
 * Territorial users (issue 19, docs/decisions/0081) on the dashboard: opened on their territory,
 * never wider (an audited 403), lower levels open; the ATS of a practice by its municipality on
 * its submission day. Demo ATS: one per Marche province (DEMO-ATS-042: province of Ancona).
 */
const PRACTICES: [comune: string, submitted: string, n: number][] = [
  ["042002", "2026-01-12", 6], // Ancona
  ["042002", "2026-03-02", 5], // Ancona, after it moves to the ATS of Macerata (below)
  ["042010", "2026-01-12", 2], // Castelfidardo (province of Ancona)
  ["041044", "2026-01-12", 7], // Pesaro
  ["058091", "2026-01-12", 9], // Roma
];
const TODAY = "2026-03-20";
const cookies: Record<string, string> = {};

beforeAll(async () => {
  await seedDemo();
  const g = await gestoreId(GESTORE_DEMO);
  await insertPractices(
    PRACTICES.flatMap(([comune, submitted, n], j) =>
      Array.from({ length: n }, (_, i) => ({ gestoreId: g, code: `T${j}-${i}`, measure: "COVID-LIQ", comune, submitted, state: "PRESENTATA", requested: "100.00" })),
    ),
  );
  const db = getDb();
  // Ancona moves to the ATS of Macerata from 1 February 2026.
  await db.execute(sql`insert into comune_ats (comune_code, ats_code, valid_from) values ('042002', 'DEMO-ATS-043', '2026-02-01')`);
  for (const [who, cf] of Object.entries({ ...TERRITORIAL_PEOPLE, funzionario: PEOPLE.funzionario })) cookies[who] = await cookieFor(cf);
});

const figures = async (cf: string, filter: MonitoringFilter) => monitoringFigures(getDb(), await viewerOf(cf), filter, { today: TODAY });
type Page = { filter: MonitoringFilter; level: string; tables: Record<string, DataTable>; territory: { name: string } | null; options: { ats: { code: string }[]; regions: unknown[] } };
const open = async (who: string, query = "") => statusOf(dashboard.loader, { path: `/monitoraggio${query}`, cookie: cookies[who] });
const totalOf = (p: Page) => p.tables.stati!.rows.find((r) => r[0] === "Totale")![1];

describe("the ATS of a practice: its municipality's on its submission day", () => {
  it("a municipality that moved counts for its old ATS before the date and its new one after", async () => {
    expect((await figures(PEOPLE.funzionario, { ats: "DEMO-ATS-042" })).totals.count).toBe(6 + 2);
    expect((await figures(PEOPLE.funzionario, { ats: "DEMO-ATS-043" })).totals.count).toBe(5);
    expect((await figures(PEOPLE.funzionario, { ats: "DEMO-ATS-041" })).totals.count).toBe(7);
  });
});

describe("an ATS operator", () => {
  it("opens the dashboard on its ATS, with small cells withheld", async () => {
    const { status, data } = await open("operatoreTerritoriale");
    expect(status).toBe(200);
    const p = data as Page;
    expect(p.filter.ats).toBe("DEMO-ATS-042");
    expect(p.level).toBe("territorio");
    expect(p.territory!.name).toBe("ATS Ancona (dimostrativo)");
    expect(p.options.ats.map((a) => a.code)).toEqual(["DEMO-ATS-042"]);
    expect(p.options.regions).toEqual([]);
    expect(totalOf(p)).toBe(8);
    // Castelfidardo alone: 2 practices, withheld.
    expect(totalOf((await open("operatoreTerritoriale", "?comune=042010")).data as Page)).toEqual({ suppressed: true });
  });

  it("cannot widen it by editing the URL: 403, audited, on the page, the process map and the exports", async () => {
    const db = getDb();
    const user = await userOf(TERRITORIAL_PEOPLE.operatoreTerritoriale);
    const denied = async () => (await db.select().from(auditLog).where(and(eq(auditLog.action, "access.denied"), eq(auditLog.actorUserId, user.id)))).length;
    const before = await denied();
    for (const query of ["?ats=DEMO-ATS-041", "?region=11", "?province=042", "?comune=058091", "?comune=041044"]) {
      expect((await open("operatoreTerritoriale", query)).status, query).toBe(403);
    }
    expect((await statusOf(processMap.loader, { path: "/monitoraggio/processo?region=11", cookie: cookies.operatoreTerritoriale })).status).toBe(403);
    expect((await statusOf(exportRoute.loader, { path: "/monitoraggio/esporta?tabella=stati&formato=csv&ats=DEMO-ATS-041", cookie: cookies.operatoreTerritoriale })).status).toBe(403);
    expect(await denied()).toBe(before + 7);
    const [row] = await db.select().from(auditLog).where(and(eq(auditLog.action, "access.denied"), eq(auditLog.actorUserId, user.id))).limit(1);
    expect(row!.details).toMatchObject({ reason: "territory_scope" });
  });

  it("its exports carry only its territory", async () => {
    const { response } = await statusOf(exportRoute.loader, { path: "/monitoraggio/esporta?tabella=stati&formato=csv", cookie: cookies.operatoreTerritoriale });
    expect(await response!.text()).toContain("Totale;8;800,00;;\r\n");
  });
});

describe("a regional referente", () => {
  it("sees its Region and every ATS, province and municipality inside it, nothing outside", async () => {
    const p = (await open("referenteRegionale")).data as Page;
    expect(p.filter.region).toBe("11");
    expect(totalOf(p)).toBe(6 + 5 + 2 + 7);
    expect(totalOf((await open("referenteRegionale", "?ats=DEMO-ATS-041")).data as Page)).toBe(7);
    expect((await open("referenteRegionale", "?province=041")).status).toBe(200);
    for (const query of ["?region=12", "?province=058", "?comune=058091"]) expect((await open("referenteRegionale", query)).status, query).toBe(403);
  });
});

describe("an official", () => {
  it("filters by ATS too, with no links to a practice list that could not follow it", async () => {
    const p = (await open("funzionario", "?ats=DEMO-ATS-042")).data as Page;
    expect(totalOf(p)).toBe(8);
    expect(p.tables.stati!.links.flat().every((l) => l === null)).toBe(true);
  });
});
