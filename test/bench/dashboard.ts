import { dashboardBenchData } from "./dashboard-data";
import { benchSessionCookie, buildIfStale, percentile as pct, startBenchWeb } from "./web";

/**
 * npm run bench:dashboard — seeded practices (1,000,000 by default, BENCH_PRACTICES to change),
 * five times as many moves, 200 gestori (BENCH_GESTORI); then the dashboard page over HTTP from
 * the web server as `npm start` runs it, signed in as an official: unfiltered and with each
 * filter, BENCH_REQUESTS (50) requests each. Prints p50 and p95 per view, the time of the
 * equivalent aggregate SQL run directly on the raw tables (the reference) and the ratio; the last
 * line is `p95_ms_max=<worst view> ratio_max=<worst ratio>`.
 */
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 50);

const data = await dashboardBenchData("dash");
const { url, sql, finish } = data;
let t = performance.now();
buildIfStale();
const cookie = await benchSessionCookie(sql, "NRELRA82D45D542F"); // an official
const web = await startBenchWeb(url);
const [region] = await sql<{ region_code: string; province_code: string; code: string }[]>`
  select c.region_code, c.province_code, c.code from practices p join comuni c on c.code = p.comune_code where p.gestore_id = (select id from gestori where fiscal_code = ${data.gestoreCf}) limit 1`;
const VIEWS: [string, string][] = [
  ["unfiltered", ""],
  ["measure", `measure=${data.measure}`],
  ["gestore", `gestore=${data.gestoreCf}`],
  ["region", `region=${region!.region_code}`],
  ["province", `province=${region!.province_code}`],
  ["comune", `comune=${region!.code}`],
  ["period", "from=2025-06-01&to=2025-08-31"],
];

/** The same figures as plain aggregate SQL on the raw tables, without the app. */
async function reference(query: string) {
  const q = new URLSearchParams(query);
  /** The filter's conditions as text with their own numbered parameters (one list per statement). */
  const where = (parts: ("base" | "cohort" | "moved")[]) => {
    const args: string[] = [];
    const arg = (v: string) => {
      args.push(v);
      return `$${args.length}`;
    };
    const c = ["true"];
    if (parts.includes("base") || parts.includes("cohort")) {
      if (q.get("measure")) c.push(`p.measure_id = (select id from measures where code = ${arg(q.get("measure")!)})`);
      if (q.get("gestore")) c.push(`p.gestore_id = (select id from gestori where fiscal_code = ${arg(q.get("gestore")!)})`);
      if (q.get("region")) c.push(`p.comune_code in (select code from comuni where region_code = ${arg(q.get("region")!)})`);
      if (q.get("province")) c.push(`p.comune_code in (select code from comuni where province_code = ${arg(q.get("province")!)})`);
      if (q.get("comune")) c.push(`p.comune_code = ${arg(q.get("comune")!)}`);
    }
    if (parts.includes("cohort")) {
      if (q.get("from")) c.push(`p.submitted_on >= ${arg(q.get("from")!)}::date`);
      if (q.get("to")) c.push(`p.submitted_on <= ${arg(q.get("to")!)}::date`);
    }
    if (parts.includes("moved")) {
      if (q.get("from")) c.push(`h.state_date >= ${arg(q.get("from")!)}::date`);
      if (q.get("to")) c.push(`h.state_date <= ${arg(q.get("to")!)}::date`);
    }
    return { sql: c.join(" and "), args };
  };
  const states = where(["cohort"]);
  const flow = where(["base", "moved"]);
  const stays = where(["cohort"]);
  const started = performance.now();
  await Promise.all([
    sql.unsafe(`select state, count(*), sum(amount_requested), sum(amount_approved), sum(amount_disbursed) from practices p where ${states.sql} group by grouping sets ((state), ())`, states.args),
    sql.unsafe(`select date_trunc('week', h.state_date), h.to_state, count(*) from practice_history h join practices p on p.id = h.practice_id
      where ${flow.sql} and h.to_state in ('DELIBERATA', 'NON_AMMESSA', 'EROGATA') group by 1, 2`, flow.args),
    sql.unsafe(`select h.from_state, h.to_state, count(*) from practice_history h join practices p on p.id = h.practice_id where ${flow.sql} group by 1, 2`, flow.args),
    sql.unsafe(`select from_state, percentile_cont(0.5) within group (order by days), percentile_cont(0.9) within group (order by days) from (
      select h.from_state, h.state_date - lag(h.state_date, 1, p.first_state_date) over (partition by h.practice_id order by h.id) as days
      from practice_history h join practices p on p.id = h.practice_id where ${stays.sql}) s group by 1`, stays.args),
  ]);
  return performance.now() - started;
}

let worstP95 = 0;
let worstRatio = 0;
console.log(`\n${"view".padEnd(12)} ${"p50 ms".padStart(8)} ${"p95 ms".padStart(8)} ${"ref ms".padStart(8)} ${"ratio".padStart(6)}`);
for (const [name, query] of VIEWS) {
  const target = `${web.base}/monitoraggio${query ? "?" + query : ""}`;
  const times: number[] = [];
  for (let i = 0; i < REQUESTS + 2; i++) {
    t = performance.now();
    const res = await fetch(target, { headers: { cookie } });
    const body = await res.text();
    if (res.status !== 200 || !body.includes("Pratiche per stato")) throw new Error(`${name}: HTTP ${res.status}`);
    if (i >= 2) times.push(performance.now() - t); // two warm-up requests
  }
  const refs: number[] = [];
  for (let i = 0; i < 5; i++) refs.push(await reference(query));
  const p50 = pct(times, 50);
  const p95 = pct(times, 95);
  const ref = pct(refs, 50);
  const ratio = p95 / ref;
  worstP95 = Math.max(worstP95, p95);
  worstRatio = Math.max(worstRatio, ratio);
  console.log(`${name.padEnd(12)} ${p50.toFixed(0).padStart(8)} ${p95.toFixed(0).padStart(8)} ${ref.toFixed(0).padStart(8)} ${ratio.toFixed(2).padStart(6)}`);
}
console.log("\nTarget: p95 ≤ 100 ms for every view (issue 12; 300 ms before).");
console.log(`p95_ms_max=${worstP95.toFixed(0)} ratio_max=${worstRatio.toFixed(2)}`);

await web.stop();
await finish();
process.exit(0);
