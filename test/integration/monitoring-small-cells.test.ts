import { beforeAll, describe, expect, it } from "vitest";
import { unzipEntries } from "~/lib/xlsx";
import { cellText, type Cell, type DataTable } from "~/monitoring/tables";
import * as dashboard from "~/routes/monitoraggio._index";
import * as exportRoute from "~/routes/monitoraggio.esporta";
import { cookieFor, GESTORE_ALTRO, GESTORE_DEMO, PEOPLE, seedDemo, statusOf } from "../support/actors";
import { insertPractices } from "../support/monitoring";
import { gestoreId } from "../support/uploads";

/**
 * Small cells in aggregate views, primary and secondary (docs/decisions/0080), on the page, in CSV
 * and in XLSX. Gestore A (01234567897): 34 practices, every state but Non ammessa (2) at 5 or more;
 * one Revocata disbursed 30,00. Gestore B (02345678904): 7 practices, approved amounts on 2 of
 * them (1234,56 and 2000,00), a disbursed amount on 1 (1500,00): the leak.
 */
type Group = { g: "A" | "B"; state: string; n: number; submitted: string; appr?: string; disb?: string; disbFirst?: string };
const GROUPS: Group[] = [
  { g: "A", state: "PRESENTATA", n: 8, submitted: "2026-01-05" },
  { g: "A", state: "IN_ISTRUTTORIA", n: 6, submitted: "2026-01-05" },
  { g: "A", state: "DELIBERATA", n: 5, submitted: "2026-01-05", appr: "50.00" },
  { g: "A", state: "NON_AMMESSA", n: 2, submitted: "2026-02-03" },
  { g: "A", state: "EROGATA", n: 7, submitted: "2026-01-05", appr: "80.00", disb: "70.00" },
  { g: "A", state: "REVOCATA", n: 6, submitted: "2026-01-05", appr: "60.00", disbFirst: "30.00" },
  { g: "B", state: "PRESENTATA", n: 5, submitted: "2026-03-02" },
  { g: "B", state: "DELIBERATA", n: 1, submitted: "2026-03-02", appr: "1234.56" },
  { g: "B", state: "EROGATA", n: 1, submitted: "2026-03-02", appr: "2000.00", disb: "1500.00" },
];
/** Figures of fewer than 5 practices that no aggregate view may show, in Italian as on the page and in CSV, and as in XLSX. */
const SECRETS = ["1234,56", "2000,00", "3234,56", "1500,00", "30,00", "1234.56", "3234.56", "1500.00", "30.00"];

const cookies: Record<string, string> = {};

beforeAll(async () => {
  await seedDemo();
  const ids = { A: await gestoreId(GESTORE_DEMO), B: await gestoreId(GESTORE_ALTRO) };
  let k = 0;
  await insertPractices(
    GROUPS.flatMap((grp) =>
      Array.from({ length: grp.n }, (_, i) => {
        k += 1;
        const disbursed = grp.disb ?? (i === 0 ? (grp.disbFirst ?? null) : null);
        return { gestoreId: ids[grp.g], code: `S${k}`, measure: "COVID-LIQ", comune: "042002", submitted: grp.submitted, state: grp.state, requested: "100.00", approved: grp.appr, disbursed };
      }),
    ),
  );
  for (const who of ["osservatore", "altroOperatore", "funzionario"] as const) cookies[who] = await cookieFor(PEOPLE[who]);
});

type Page = { tables: Record<string, DataTable>; headline: Record<string, Cell>; level: string };
const page = async (who: string, query: string) => {
  const { status, data } = await statusOf(dashboard.loader, { path: `/monitoraggio${query}`, cookie: cookies[who] });
  expect(status).toBe(200);
  return data as Page;
};
const rowsOf = (t: DataTable) => t.rows.map((r) => r.map((c) => cellText(c, { grouping: false, empty: "" })).join(";"));
const csv = async (who: string, query: string) => {
  const { response } = await statusOf(exportRoute.loader, { path: `/monitoraggio/esporta?formato=csv&${query}`, cookie: cookies[who] });
  return response!.text();
};
const xlsxSheet = async (who: string, query: string) => {
  const { response } = await statusOf(exportRoute.loader, { path: `/monitoraggio/esporta?formato=xlsx&${query}`, cookie: cookies[who] });
  return unzipEntries(Buffer.from(await response!.arrayBuffer())).get("xl/worksheets/sheet1.xml")!;
};
const everything = async (who: string, query: string) => {
  const p = await page(who, query);
  const parts = [JSON.stringify(p.headline), ...Object.values(p.tables).flatMap(rowsOf)];
  for (const id of ["stati", "flusso", "confronto"]) parts.push(await csv(who, `tabella=${id}&${query.slice(1)}`), await xlsxSheet(who, `tabella=${id}&${query.slice(1)}`));
  return parts.join("\n");
};

describe("the issue's leak: totals from one or two practices", () => {
  it("an osservatore looking at a gestore sees no total amount of fewer than 5 practices, on the page or in CSV and XLSX", async () => {
    const p = await page("osservatore", `?gestore=${GESTORE_ALTRO}`);
    expect(p.level).toBe("aggregato");
    expect(p.headline).toEqual({ count: 7, requested: { money: "700.00" }, approved: { suppressed: true }, disbursed: { suppressed: true }, approvalRate: { suppressed: true } });
    expect(rowsOf(p.tables.stati!)).toContain("Totale;7;700,00;< 5;< 5");
    expect(await csv("osservatore", `tabella=stati&gestore=${GESTORE_ALTRO}`)).toContain("Totale;7;700,00;< 5;< 5\r\n");
    const sheet = await xlsxSheet("osservatore", `tabella=stati&gestore=${GESTORE_ALTRO}`);
    expect(sheet).toContain("&lt; 5");
    const text = await everything("osservatore", `?gestore=${GESTORE_ALTRO}`);
    for (const secret of SECRETS) expect(text, secret).not.toContain(secret);
  });

  it("a gestore user looking at another gestore is held to the same", async () => {
    const text = await everything("altroOperatore", `?gestore=${GESTORE_DEMO}`);
    for (const secret of SECRETS) expect(text, secret).not.toContain(secret);
    // ... but its own practices it sees in full.
    expect(rowsOf((await page("altroOperatore", "")).tables.stati!)).toContain("Totale;7;700,00;3234,56;1500,00");
  });

  it("an official sees every figure", async () => {
    expect(rowsOf((await page("funzionario", `?gestore=${GESTORE_ALTRO}`)).tables.stati!)).toContain("Totale;7;700,00;3234,56;1500,00");
  });
});

describe("secondary suppression: a withheld cell cannot be recomputed from the total and the other cells", () => {
  const expected = [
    "Presentata;8;800,00;;",
    "In istruttoria;6;600,00;;",
    // Non ammessa (2) alone would be 34 - 8 - 6 - 5 - 7 - 6: the smallest other count goes with it.
    "Deliberata;< 5;< 5;< 5;< 5",
    // The one disbursed Revocata (30,00) would be 520,00 - 490,00: Erogata's disbursed goes with it.
    "Erogata;7;700,00;560,00;< 5",
    "Non ammessa;< 5;< 5;< 5;< 5",
    "Revocata;6;600,00;360,00;< 5",
    "Totale;34;3400,00;1170,00;520,00",
    "Tasso di approvazione (deliberate, erogate, revocate su decise);< 5;;;",
  ];

  it("on the page, both from the summary and from the raw tables (a period not of whole months)", async () => {
    expect(rowsOf((await page("osservatore", `?gestore=${GESTORE_DEMO}`)).tables.stati!)).toEqual(expected);
    expect(rowsOf((await page("osservatore", `?gestore=${GESTORE_DEMO}&from=2026-01-02&to=2026-02-27`)).tables.stati!)).toEqual(expected);
  });

  it("in the CSV and the XLSX", async () => {
    const text = await csv("osservatore", `tabella=stati&gestore=${GESTORE_DEMO}`);
    for (const line of expected) expect(text).toContain(`${line}\r\n`);
    const sheet = await xlsxSheet("osservatore", `tabella=stati&gestore=${GESTORE_DEMO}`);
    expect(sheet).toContain("<v>1170.00</v>");
    expect(sheet).toContain("<v>520.00</v>");
    expect(sheet).not.toContain("<v>490.00</v>");
    expect(sheet).not.toContain("<v>30.00</v>");
    expect(sheet.match(/&lt; 5/g)?.length).toBe(11);
  });

  it("the weeks' new practices add up to the total: the small week takes the other with it", async () => {
    const p = await page("osservatore", `?gestore=${GESTORE_DEMO}`);
    expect(p.tables.flusso!.rows.map((r) => r[1])).toEqual([{ suppressed: true }, { suppressed: true }]);
    expect(await csv("osservatore", `tabella=flusso&gestore=${GESTORE_DEMO}`)).toContain("05/01/2026;< 5;5;0;7\r\n");
  });

  it("the comparison hides the average amounts the other gestore's few practices would give away", async () => {
    const p = await page("osservatore", `?gestore=${GESTORE_DEMO}&measure=COVID-LIQ`);
    const rows = rowsOf(p.tables.confronto!);
    expect(rows).toContain("COVID-LIQ;Importo deliberato;1170,00;< 5");
    // Gestore A's own disbursed amount has 8 practices behind it; the other gestore's 1 would be average × 3 - 520,00.
    expect(rows).toContain("COVID-LIQ;Importo erogato;520,00;< 5");
  });
});
