import { dashboardBenchData } from "./dashboard-data";
import { load, type LoadResult } from "./load";
import { benchSessionCookie, buildIfStale, postgresCpuMs, processCpuMs, startBenchWeb } from "./web";

/**
 * npm run bench:pages — the pages people use, under load, on the database of bench:dashboard
 * (1,000,000 practices by default; BENCH_PRACTICES, BENCH_GESTORI change it). For each page,
 * BENCH_CONNECTIONS (32) keep-alive connections of one bounded client on 127.0.0.1 send
 * requests for BENCH_SECONDS (20) s, signed in as an official (Laura Neri) and as a gestore
 * operator of one of the generated gestori; a static asset gives the server's own ceiling.
 * Prints requests per second and p50/p95 per page; the last line is
 * `min_rps_list=… min_rps_worklist=… min_rps_dashboard=… p95_ms_max=…` (static asset excluded).
 * BENCH_DATABASE_URL reuses a database generated before (with BENCH_KEEP) instead of a new one;
 * BENCH_PORT and BENCH_PG_PORT fix the ports (default: free ones).
 */
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const ONLY = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : null;

const { url, sql, finish, gestoreCf } = await dashboardBenchData("pages");

// A gestore operator of one generated gestore (its practices are 1/GESTORI of the total).
const OPERATOR_CF = "BNCPRA80A01H501X";
await sql`insert into users (fiscal_code, name, surname, email) values (${OPERATOR_CF}, 'Operatore', 'Bench', 'operatore.bench@example.it') on conflict do nothing`;
await sql`
  insert into accesses (user_id, role, gestore_id)
  select u.id, 'gestore_operatore', g.id from users u, gestori g where u.fiscal_code = ${OPERATOR_CF} and g.fiscal_code = ${gestoreCf}
  on conflict do nothing`;

buildIfStale();
const official = await benchSessionCookie(sql, "NRELRA82D45D542F");
const operator = await benchSessionCookie(sql, OPERATOR_CF);
const web = await startBenchWeb(url);

const [practice] = await sql<{ id: string }[]>`select p.id from practices p join gestori g on g.id = p.gestore_id where g.fiscal_code = ${gestoreCf} order by p.id limit 1`;

/** Page 500 of the unfiltered list, reached as a person would: following "next" 499 times. */
async function page500(): Promise<string> {
  let path = "/pratiche";
  for (let page = 1; page < 500; page++) {
    const res = await fetch(web.base + path, { headers: { cookie: official } });
    const html = await res.text();
    const next = /<a [^>]*rel="next"[^>]*href="([^"]+)"|<a [^>]*href="([^"]+)"[^>]*rel="next"/.exec(html);
    if (!next && page === 1) return "/pratiche?page=500"; // offset pagination (before ADR 36)
    if (!next) throw new Error(`no next link on page ${page}`);
    path = "/pratiche" + (next![1] ?? next![2])!.replaceAll("&amp;", "&").replace(/^\/pratiche/, "");
  }
  return path;
}

type Page = { name: string; kind: "list" | "practice" | "worklist" | "dashboard" | "static"; path: string | (() => Promise<string>); cookie?: string; expect?: string };
const PAGES: Page[] = [
  { name: "static asset", kind: "static", path: "/favicon.svg" },
  { name: "list, official", kind: "list", path: "/pratiche", cookie: official, expect: "Pagina successiva" },
  { name: "list filtered, official", kind: "list", path: "/pratiche?measure=BENCH-2&state=NON_AMMESSA", cookie: official, expect: "Pagina successiva" },
  { name: "list page 500, official", kind: "list", path: page500, cookie: official, expect: "Pagina precedente" },
  { name: "list, gestore", kind: "list", path: "/pratiche", cookie: operator, expect: "Pagina successiva" },
  { name: "practice, official", kind: "practice", path: `/pratiche/${practice!.id}`, cookie: official, expect: "Storia della pratica" },
  { name: "practice, gestore", kind: "practice", path: `/pratiche/${practice!.id}`, cookie: operator, expect: "Storia della pratica" },
  { name: "worklist, official", kind: "worklist", path: "/lavorazione", cookie: official, expect: "Lavorazione" },
  { name: "dashboard, official", kind: "dashboard", path: "/monitoraggio", cookie: official, expect: "Pratiche per stato" },
  { name: "dashboard, gestore", kind: "dashboard", path: "/monitoraggio", cookie: operator, expect: "Pratiche per stato" },
];

const [{ count }] = await sql<{ count: number }[]>`select count(*)::int as count from practices`;
console.log(`\n${CONNECTIONS} connections, ${SECONDS} s per page, ${count.toLocaleString("en")} practices`);
// CPU per request (web process, PostgreSQL) does not depend on what else runs on the machine.
console.log(`${"page".padEnd(26)} ${"requests".padStart(9)} ${"rps".padStart(7)} ${"p50 ms".padStart(7)} ${"p95 ms".padStart(7)} ${"web cpu".padStart(8)} ${"pg cpu".padStart(7)}`);
const results: (Page & LoadResult)[] = [];
for (const page of PAGES) {
  if (ONLY && !ONLY.test(page.name)) continue;
  const path = typeof page.path === "string" ? page.path : await page.path();
  // Warm-up: a few requests (first compilations, caches) before measuring.
  await load(web.base + path, { cookie: page.cookie, connections: 4, seconds: 1, expect: page.expect });
  const [web0, pg0] = [processCpuMs(web.pid), await postgresCpuMs(sql)];
  const r = await load(web.base + path, { cookie: page.cookie, connections: CONNECTIONS, seconds: SECONDS, expect: page.expect });
  const [web1, pg1] = [processCpuMs(web.pid), await postgresCpuMs(sql)];
  if (r.errors) throw new Error(`${page.name}: ${r.errors} failed requests`);
  results.push({ ...page, ...r });
  const perRequest = (ms: number) => (ms / Math.max(1, r.requests)).toFixed(1).padStart(7);
  console.log(
    `${page.name.padEnd(26)} ${String(r.requests).padStart(9)} ${r.rps.toFixed(0).padStart(7)} ${r.p50.toFixed(0).padStart(7)} ${r.p95.toFixed(0).padStart(7)} ${perRequest(web1 - web0)} ${pg0 === null || pg1 === null ? "    n/a" : perRequest(pg1 - pg0)}`,
  );
}
const minRps = (kinds: Page["kind"][]) => {
  const rs = results.filter((r) => kinds.includes(r.kind));
  return rs.length ? Math.min(...rs.map((r) => r.rps)).toFixed(0) : "n/a";
};
const p95Max = Math.max(...results.filter((r) => r.kind !== "static").map((r) => r.p95));
console.log("web cpu, pg cpu: CPU milliseconds per request of the web process and of the PostgreSQL server (all its processes).");
console.log("\nTargets: list and practice ≥ 200 rps, worklist and dashboard ≥ 100 rps, p95 ≤ 300 ms.");
console.log(`min_rps_list=${minRps(["list", "practice"])} min_rps_worklist=${minRps(["worklist"])} min_rps_dashboard=${minRps(["dashboard"])} p95_ms_max=${p95Max.toFixed(0)}`);

await web.stop();
await finish();
process.exit(0);
