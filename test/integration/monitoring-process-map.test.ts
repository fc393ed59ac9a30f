import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { processMap } from "~/monitoring/process-map";
import { cachedProcessMapFigures } from "~/monitoring/process-map-cache.server";
import * as exportRoute from "~/routes/monitoraggio.esporta";
import * as mapRoute from "~/routes/monitoraggio.processo";
import * as practicesList from "~/routes/pratiche._index";
import { getDb } from "~db/client";
import type { MonitoringFilter } from "~db/queries/monitoring";
import { processMapFigures } from "~db/queries/process-map";
import { cookieFor, GESTORE_ALTRO, GESTORE_DEMO, PEOPLE, seedDemo, statusOf, viewerOf } from "../support/actors";
import { gestoreId } from "../support/uploads";

/**
 * A data set whose process map was worked out by hand. Each practice is submitted on its first
 * date; the stays (days in the state left) are in the comments. R3 goes round the review twice.
 */
type Spec = { code: string; g: "A" | "B"; path: [string, string][] };
const DATA: Spec[] = [
  { code: "R1", g: "A", path: [["PRESENTATA", "2026-01-05"], ["IN_ISTRUTTORIA", "2026-01-15"], ["DELIBERATA", "2026-02-04"], ["EROGATA", "2026-02-14"]] }, // 10, 20, 10
  { code: "R2", g: "A", path: [["PRESENTATA", "2026-01-06"], ["IN_ISTRUTTORIA", "2026-01-10"], ["DELIBERATA", "2026-01-30"]] }, // 4, 20
  {
    code: "R3",
    g: "A",
    path: [["PRESENTATA", "2026-01-07"], ["IN_ISTRUTTORIA", "2026-01-13"], ["SOSPESA", "2026-01-20"], ["IN_ISTRUTTORIA", "2026-01-30"], ["SOSPESA", "2026-02-05"], ["IN_ISTRUTTORIA", "2026-02-10"], ["NON_AMMESSA", "2026-02-20"]],
  }, // 6, 7, 10, 6, 5, 10
  { code: "R4", g: "A", path: [["PRESENTATA", "2026-01-08"], ["IN_ISTRUTTORIA", "2026-01-09"], ["DELIBERATA", "2026-01-19"]] }, // 1, 10
  { code: "R5", g: "A", path: [["PRESENTATA", "2026-02-02"], ["RINUNCIATA", "2026-02-09"]] }, // 7
  { code: "R6", g: "A", path: [["DELIBERATA", "2026-02-01"]] },
  { code: "R7", g: "B", path: [["PRESENTATA", "2026-01-07"], ["IN_ISTRUTTORIA", "2026-01-17"], ["DELIBERATA", "2026-01-27"]] }, // 10, 10
];

const cookies: Record<string, string> = {};

beforeAll(async () => {
  await seedDemo();
  const ids = { A: await gestoreId(GESTORE_DEMO), B: await gestoreId(GESTORE_ALTRO) };
  const db = getDb();
  for (const p of DATA) {
    const [first, ...moves] = p.path;
    const last = p.path[p.path.length - 1]!;
    const [row] = await db.execute<{ id: number }>(sql`
      insert into practices (gestore_id, code, measure_id, beneficiary_fiscal_code, beneficiary_name, comune_code, submitted_on, state, state_date,
        amount_requested, snapshot, machine_version, first_state, first_state_date)
      values (${ids[p.g]}, ${p.code}, (select id from measures where code = 'COVID-LIQ'), '02342520158', ${"Impresa " + p.code},
        '042002', ${first![1]}, ${last[0]}, ${last[1]}, '1000.00', '{}'::jsonb, 1, ${first![0]}, ${first![1]})
      returning id`);
    let from = first![0];
    for (const [to, date] of moves) {
      await db.execute(sql`insert into practice_history (practice_id, kind, from_state, to_state, state_date) values (${row!.id}, 'transition', ${from}, ${to}, ${date})`);
      from = to;
    }
  }
  for (const who of ["funzionario", "osservatore", "operatore"] as const) cookies[who] = await cookieFor(PEOPLE[who]);
});

const figures = async (who: keyof typeof PEOPLE, filter: MonitoringFilter = {}) => processMapFigures(getDb(), await viewerOf(PEOPLE[who]), filter);
const byState = (f: Awaited<ReturnType<typeof figures>>) => Object.fromEntries(f.nodes.map((n) => [n.state, [n.practices, n.started]]));
const byMove = (f: Awaited<ReturnType<typeof figures>>) => Object.fromEntries(f.edges.map((e) => [`${e.from}>${e.to}`, [e.practices, e.medianDays]]));

describe("the process map's figures, against the hand-worked data set", () => {
  it("an official: practices through each state, practices and median days per move, the most frequent path", async () => {
    const f = await figures("funzionario");
    expect(f.individual).toBe(true);
    expect(f.cohort).toBe(7);
    expect(byState(f)).toEqual({
      PRESENTATA: [6, 6],
      IN_ISTRUTTORIA: [5, 0],
      SOSPESA: [1, 0],
      DELIBERATA: [5, 1],
      EROGATA: [1, 0],
      NON_AMMESSA: [1, 0],
      RINUNCIATA: [1, 0],
    });
    expect(byMove(f)).toEqual({
      "PRESENTATA>IN_ISTRUTTORIA": [5, 6], // stays 1, 4, 6, 10, 10
      "IN_ISTRUTTORIA>DELIBERATA": [4, 15], // 10, 10, 20, 20
      "DELIBERATA>EROGATA": [1, 10],
      "IN_ISTRUTTORIA>SOSPESA": [1, 6.5], // R3 twice: 7 and 6
      "SOSPESA>IN_ISTRUTTORIA": [1, 7.5], // 10 and 5
      "IN_ISTRUTTORIA>NON_AMMESSA": [1, 10],
      "PRESENTATA>RINUNCIATA": [1, 7],
    });
    expect(f.topPath).toEqual({ states: ["PRESENTATA", "IN_ISTRUTTORIA", "DELIBERATA"], practices: 3 });
  });

  it("the period selects the practices submitted in it", async () => {
    const f = await figures("funzionario", { from: "2026-02-01", to: "2026-02-28" });
    expect(f.cohort).toBe(2);
    expect(byState(f)).toEqual({ PRESENTATA: [1, 1], RINUNCIATA: [1, 0], DELIBERATA: [1, 1] });
    expect(byMove(f)).toEqual({ "PRESENTATA>RINUNCIATA": [1, 7] });
  });

  it("an osservatore: every figure of fewer than 5 practices withheld, the path too", async () => {
    const f = await figures("osservatore");
    expect(f.individual).toBe(false);
    // Deliberata's first reports are under 5; shown with Presentata's they would be the cohort minus 6: both withheld.
    expect(byState(f)).toMatchObject({ PRESENTATA: [6, null], IN_ISTRUTTORIA: [5, 0], DELIBERATA: [5, null], SOSPESA: [null, 0], EROGATA: [null, 0] });
    expect(byMove(f)["PRESENTATA>IN_ISTRUTTORIA"]).toEqual([5, 6]);
    expect(byMove(f)["IN_ISTRUTTORIA>DELIBERATA"]).toEqual([null, null]);
    expect(f.topPath).toBeNull();
  });

  it("a gestore user sees its own practices only", async () => {
    const f = await figures("operatore");
    expect(f.scope.level).toBe("proprio_ente");
    expect(f.cohort).toBe(6);
    expect(f.topPath).toEqual({ states: ["PRESENTATA", "IN_ISTRUTTORIA", "DELIBERATA"], practices: 2 });
  });
});

describe("the drawing", () => {
  it("highlights the most frequent path, sizes boxes by practices and says it all in text", async () => {
    const map = processMap({}, await figures("funzionario"));
    const box = (s: string) => map.boxes.find((b) => b.state === s)!;
    expect(box("PRESENTATA").highlighted).toBe(true);
    expect(box("SOSPESA").highlighted).toBe(false);
    expect(box("PRESENTATA").w).toBeGreaterThan(box("SOSPESA").w);
    expect(box("REVOCATA").text).toBe("0 pratiche");
    expect(box("REVOCATA").href).toBeNull();
    expect(map.arrows.filter((a) => a.highlighted).map((a) => `${a.from}>${a.to}`).sort()).toEqual(["IN_ISTRUTTORIA>DELIBERATA", "PRESENTATA>IN_ISTRUTTORIA"]);
    expect(map.arrows.find((a) => a.from === "IN_ISTRUTTORIA" && a.to === "SOSPESA")!.text).toBe("1 · 6,5 gg");
    expect(map.pathText).toBe("Presentata → In istruttoria → Deliberata: 3 pratiche (42,9% delle pratiche)");
    expect(map.summary).toContain("Passaggio più frequente: da Presentata a In istruttoria, 5 pratiche.");
    // The two directions between review and suspension bend apart instead of overlapping.
    const there = map.arrows.find((a) => a.from === "IN_ISTRUTTORIA" && a.to === "SOSPESA")!;
    const back = map.arrows.find((a) => a.from === "SOSPESA" && a.to === "IN_ISTRUTTORIA")!;
    expect(Math.abs(there.labelX - back.labelX)).toBeGreaterThan(20);
  });

  it("every box and arrow leads to a practice list of exactly its number", async () => {
    const { status, data } = await statusOf(mapRoute.loader, { path: "/monitoraggio/processo", cookie: cookies.funzionario });
    expect(status).toBe(200);
    const { map } = data as { map: ReturnType<typeof processMap> };
    let checked = 0;
    for (const [text, href] of [...map.boxes.map((b) => [b.text, b.href] as const), ...map.arrows.map((a) => [a.text, a.href] as const)]) {
      if (!href) continue;
      const { data: list } = await statusOf(practicesList.loader, { path: href, cookie: cookies.funzionario });
      expect((list as { total: { n: number; estimated: boolean } }).total, href).toEqual({ n: Number(text.split(/[ ·]/)[0]), estimated: false });
      checked += 1;
    }
    expect(checked).toBe(14);
  });

  it("an osservatore's map has no links", async () => {
    const { data } = await statusOf(mapRoute.loader, { path: "/monitoraggio/processo", cookie: cookies.osservatore });
    const { map } = data as { map: ReturnType<typeof processMap> };
    expect([...map.boxes, ...map.arrows].every((x) => x.href === null)).toBe(true);
    expect(map.boxes.find((b) => b.state === "SOSPESA")!.text).toBe("< 5 pratiche");
  });
});

describe("exports of the map's tables", () => {
  it("CSV in Italian formats, with the same numbers as the map", async () => {
    const { response } = await statusOf(exportRoute.loader, { path: "/monitoraggio/esporta?tabella=processo-passaggi&formato=csv", cookie: cookies.funzionario });
    const text = await response!.text();
    expect(text).toContain("Da;A;Pratiche;Giorni nello stato di partenza (mediana);Nel percorso più frequente");
    expect(text).toContain("In istruttoria;Sospesa;1;6,5;no\r\n");
    expect(text).toContain("Presentata;In istruttoria;5;6;sì\r\n");
  });

  it("an osservatore's export withholds what the map withholds", async () => {
    const { response } = await statusOf(exportRoute.loader, { path: "/monitoraggio/esporta?tabella=processo-stati&formato=csv", cookie: cookies.osservatore });
    const text = await response!.text();
    expect(text).toContain("Sospesa;< 5;0\r\n");
    expect(text).toContain("Presentata;6;< 5\r\n");
  });
});

describe("the per-process cache of the map's figures", () => {
  it("is reused until a practice or a move is written, then recomputed", async () => {
    const viewer = await viewerOf(PEOPLE.funzionario);
    const first = await cachedProcessMapFigures(getDb(), viewer, { measure: "COVID-LIQ" });
    expect(await cachedProcessMapFigures(getDb(), viewer, { measure: "COVID-LIQ" })).toBe(first);
    // Another viewer role is another entry: an osservatore never gets an official's figures.
    const observer = await cachedProcessMapFigures(getDb(), await viewerOf(PEOPLE.osservatore), { measure: "COVID-LIQ" });
    expect(observer.individual).toBe(false);
    const [r5] = await getDb().execute<{ id: number }>(sql`select id from practices where code = 'R4'`);
    await getDb().execute(sql`insert into practice_history (practice_id, kind, from_state, to_state, state_date) values (${r5!.id}, 'transition', 'DELIBERATA', 'EROGATA', '2026-02-01')`);
    const after = await cachedProcessMapFigures(getDb(), viewer, { measure: "COVID-LIQ" });
    expect(after).not.toBe(first);
    expect(after.edges.find((e) => e.from === "DELIBERATA" && e.to === "EROGATA")!.practices).toBe(2);
  });
});
