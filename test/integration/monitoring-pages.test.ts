import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { addGestore } from "~/registry/registry.server";
import { numericFiscalCodeCheckDigit } from "~/lib/fiscal-code";
import { unzipEntries } from "~/lib/xlsx";
import type { DataTable } from "~/monitoring/tables";
import * as dashboard from "~/routes/monitoraggio._index";
import * as exportRoute from "~/routes/monitoraggio.esporta";
import * as practicesList from "~/routes/pratiche._index";
import { getDb } from "~db/client";
import { auditLog } from "~db/schema";
import { cookieFor, GESTORE_DEMO, PEOPLE, seedDemo, statusOf } from "../support/actors";
import { fixture, uploadAndProcess } from "../support/uploads";

const cookies: Record<string, string> = {};
type Page = { tables: Record<string, DataTable>; individual: boolean; level: string };

async function page(who: string, query = "") {
  const { status, data } = await statusOf(dashboard.loader, { path: `/monitoraggio${query}`, cookie: cookies[who] });
  expect(status).toBe(200);
  return data as Page;
}

beforeAll(async () => {
  await seedDemo();
  // Gestori whose names a spreadsheet would run as formulas.
  const names = ['=HYPERLINK("http://x.example","clic")', "+1+2", "-3+4", "@SUM(A1)"];
  for (const [i, name] of names.entries()) {
    const body = `045678900${i}`;
    await addGestore(getDb(), { system: "test" }, { cf: body + numericFiscalCodeCheckDigit(body), name });
  }
  await uploadAndProcess(GESTORE_DEMO, fixture("valid-first.txt"));
  await uploadAndProcess(GESTORE_DEMO, fixture("valid-second.txt"));
  for (const who of ["funzionario", "osservatore", "operatore", "altroOperatore"] as const) cookies[who] = await cookieFor(PEOPLE[who]);
});

describe("every number links to the practices behind it", () => {
  it("the count of each state, each week's flow and each move lead to lists of that size", async () => {
    const { tables, individual } = await page("funzionario", "?measure=COVID-LIQ");
    expect(individual).toBe(true);
    let checked = 0;
    for (const id of ["stati", "flusso", "passaggi"]) {
      const t = tables[id]!;
      for (const [r, row] of t.rows.entries()) {
        for (const [c, cell] of row.entries()) {
          const href = t.links[r]![c];
          if (!href || typeof cell !== "number") continue;
          const { data } = await statusOf(practicesList.loader, { path: href, cookie: cookies.funzionario });
          // A move counts once per practice here: no practice of these files moves twice the same way.
          expect((data as { total: { n: number; estimated: boolean } }).total, `${id} ${href}`).toEqual({ n: cell, estimated: false });
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it("an osservatore gets no link at all, and withheld cells", async () => {
    const { tables, individual, level } = await page("osservatore");
    expect(level).toBe("aggregato");
    expect(individual).toBe(false);
    for (const t of Object.values(tables)) for (const row of t.links) for (const l of row) expect(l).toBeNull();
    expect(tables.stati!.rows.find((r) => r[0] === "Presentata")![1]).toEqual({ suppressed: true });
  });

  it("a gestore user's view of another gestore has no links; of its own, it has", async () => {
    expect((await page("operatore")).individual).toBe(true);
    const other = await page("altroOperatore", `?gestore=${GESTORE_DEMO}`);
    expect(other.level).toBe("aggregato");
    expect(other.tables.stati!.links.flat().every((l) => l === null)).toBe(true);
  });

  type Checked = { problems: string[]; filter: Record<string, string>; exportQuery: string; options: { provinces: { region: string }[] } };
  const checked = async (query: string) =>
    (await statusOf(dashboard.loader, { path: `/monitoraggio${query}`, cookie: cookies.funzionario })).data as Checked;

  it("an invalid filter is ignored and said so, not obeyed", async () => {
    const data = await checked("?region=Marche&measure=COVID-LIQ");
    expect(data.problems).toEqual(["Regione: valore non valido."]);
    expect(data.filter).toEqual({ measure: "COVID-LIQ" });
  });

  it("filters that contradict each other get an Italian message instead of silently showing nothing", async () => {
    // Roma (058) is in Lazio (12), not in the Marche (11).
    const outside = await checked("?region=11&province=058");
    expect(outside.problems).toEqual(["La provincia di Roma (RM) non è nella regione Marche: scegliere una provincia della regione."]);
    expect(outside.filter).toEqual({ region: "11" });
    const period = await checked("?from=2026-06-30&to=2026-01-01");
    expect(period.problems).toEqual(["Periodo: la data «dal» (30/06/2026) è successiva alla data «al» (01/01/2026)."]);
    expect(period.filter).toEqual({});
    const comune = await checked("?province=042&comune=058091");
    expect(comune.problems).toEqual(["Il comune 058091 non è nella provincia di Ancona (AN)."]);
    expect((await checked("?region=11&province=042&comune=042002")).problems).toEqual([]);
  });

  it("export links carry only the filter the page applied, so none of them answers 400", async () => {
    const data = await checked("?region=11&province=058&from=2026-06-30&to=2026-01-01&measure=COVID-LIQ");
    expect(data.exportQuery).toBe("measure=COVID-LIQ&region=11");
    const { status } = await statusOf(exportRoute.loader, { path: `/monitoraggio/esporta?tabella=stati&formato=csv&${data.exportQuery}`, cookie: cookies.funzionario });
    expect(status).toBe(200);
    const refused = await statusOf(exportRoute.loader, { path: "/monitoraggio/esporta?tabella=stati&formato=csv&region=11&province=058", cookie: cookies.funzionario });
    expect(refused.status).toBe(400);
  });
});

describe("exports", () => {
  const download = async (who: string, query: string) => statusOf(exportRoute.loader, { path: `/monitoraggio/esporta?${query}`, cookie: cookies[who] });

  it("CSV: formula-like cells are neutralised with an apostrophe", async () => {
    const { response } = await download("funzionario", "tabella=tempestivita&formato=csv");
    expect(response!.headers.get("content-type")).toContain("text/csv");
    const text = await response!.text();
    expect(text).toContain(`"'=HYPERLINK(""http://x.example"",""clic"")"`);
    expect(text).toContain("'+1+2;");
    expect(text).toContain("'-3+4;");
    expect(text).toContain("'@SUM(A1);");
    expect(text).not.toMatch(/(^|;|\n)[=+\-@]/);
  });

  it("XLSX: formula-like cells are inline text with the quote-prefix style, never formulas", async () => {
    const { response } = await download("funzionario", "tabella=tempestivita&formato=xlsx");
    expect(response!.headers.get("content-disposition")).toMatch(/monitoraggio-tempestivita-.*\.xlsx/);
    const entries = unzipEntries(Buffer.from(await response!.arrayBuffer()));
    const sheet = entries.get("xl/worksheets/sheet1.xml")!;
    expect(sheet).not.toContain("<f>");
    for (const v of ["=HYPERLINK(&quot;http://x.example&quot;,&quot;clic&quot;)", "+1+2", "-3+4", "@SUM(A1)"]) {
      expect(sheet).toMatch(new RegExp(`t="inlineStr" s="1"><is><t xml:space="preserve">${v.replace(/[()+.]/g, "\\$&")}</t>`));
    }
    expect(entries.get("xl/styles.xml")).toContain('quotePrefix="1"');
  });

  it("amounts stay exact and Italian in the CSV; the export is audited", async () => {
    const { response } = await download("funzionario", "tabella=stati&formato=csv&measure=COVID-LIQ");
    const text = await response!.text();
    // valid-first + valid-second: PR-0001 DELIBERATA (25000, 20000), PR-0003 DELIBERATA (40000, 35000)
    expect(text).toContain("Deliberata;2;65000,00;55000,00;\r\n");
    const rows = await getDb().select().from(auditLog).where(eq(auditLog.action, "monitoring.export"));
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(rows.some((r) => r.actorFiscalCode === PEOPLE.funzionario && r.objectId === "stati")).toBe(true);
  });

  it("an osservatore's export carries the same withheld cells as the page", async () => {
    const { response } = await download("osservatore", "tabella=stati&formato=csv");
    const text = await response!.text();
    expect(text).toContain("Deliberata;< 5;< 5;< 5;< 5\r\n");
    expect(text).toContain("Totale;6;");
  });

  it("an unknown table or format is refused, with nothing written", async () => {
    const before = (await getDb().execute(sql`select count(*)::int as n from audit_log`))[0]!.n;
    expect((await download("funzionario", "tabella=segreti&formato=csv")).status).toBe(400);
    expect(await (await download("funzionario", "tabella=stati&formato=pdf")).response!.text()).toBe("Tabella o formato non validi.");
    expect((await download("funzionario", "tabella=stati&formato=csv&from=ieri")).status).toBe(400);
    expect((await getDb().execute(sql`select count(*)::int as n from audit_log`))[0]!.n).toBe(before);
  });
});
