import { getDb } from "~db/client";
import { processMapFigures } from "~db/queries/process-map";
import type { Viewer } from "~db/scope";
import { generateDashboardData } from "./dashboard-data";
import { benchDatabase } from "./database";

/**
 * npm run bench:process-map — the process map's query (raw tables, docs/decisions/0056) on the
 * data of bench:dashboard: BENCH_PRACTICES (default 200,000) practices, five moves each, 200
 * gestori. Prints the median and worst of BENCH_REQUESTS (10) runs per view.
 */
const N = Number(process.env.BENCH_PRACTICES ?? 200_000);
const RUNS = Number(process.env.BENCH_REQUESTS ?? 10);
const { url, sql, finish } = await benchDatabase("pmap");
try {
  const data = await generateDashboardData(sql, { practices: N, gestori: 200 });
  process.env.DATABASE_URL = url;
  const db = getDb();
  // An official sees every practice: the view that reads the most.
  const viewer: Viewer = { userId: "00000000-0000-0000-0000-000000000000", role: "funzionario", gestoreId: null, orgUnitId: null };
  const [g] = await sql<{ fiscal_code: string }[]>`select fiscal_code from gestori order by fiscal_code limit 1`;
  const views: [string, Record<string, string>][] = [
    ["unfiltered", {}],
    ["measure", { measure: "COVID-LIQ" }],
    ["gestore", { gestore: g!.fiscal_code }],
    ["region", { region: "11" }],
    ["period", { from: "2026-01-01", to: "2026-03-31" }],
  ];
  console.log(`${data.practices.toLocaleString("en")} practices, ${data.history.toLocaleString("en")} moves`);
  let worst = 0;
  for (const [name, filter] of views) {
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      await processMapFigures(db, viewer, filter);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const p50 = times[Math.floor(times.length / 2)]!;
    worst = Math.max(worst, times[times.length - 1]!);
    console.log(`${name.padEnd(12)} p50=${p50.toFixed(0)} ms  max=${times[times.length - 1]!.toFixed(0)} ms`);
  }
  // A view repeated with no write in between is read from the per-process cache.
  const { cachedProcessMapFigures } = await import("~/monitoring/process-map-cache.server");
  await cachedProcessMapFigures(db, viewer, {});
  const t = performance.now();
  await cachedProcessMapFigures(db, viewer, {});
  const cached = performance.now() - t;
  console.log(`process_map_max_ms=${worst.toFixed(0)} cached_ms=${cached.toFixed(1)} practices=${data.practices}`);
} finally {
  await finish();
}
process.exit(0);
