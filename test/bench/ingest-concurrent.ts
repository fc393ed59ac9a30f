import { spawn } from "node:child_process";
import readline from "node:readline";
import type { Sql } from "postgres";
import { WORKER_NODE_FLAGS } from "~/bin/worker-flags";
import { numericFiscalCodeCheckDigit } from "~/lib/fiscal-code";
import { receiveUpload } from "~/uploads/receive.server";
import { benchDatabase } from "./database";
import { generateFile, type Generated } from "./generate";

/**
 * npm run bench:ingest -- --concurrent — 10 gestori send a 20,000-record file at the same moment,
 * each processed by its own worker process, against the same files of 10 other gestori processed
 * one by one: a round of first files (creating), then a round of second files (moving every
 * practice). Prints the wall time of the concurrent rounds against the sum of the one-by-one
 * times, checks every file was accepted and that the monitoring summary equals one rebuilt from
 * the raw tables.
 */
const GESTORI = Number(process.env.BENCH_GESTORI ?? 10);
const N = Number(process.env.BENCH_RECORDS ?? 20_000);

type Worker = { ready: Promise<void>; go: () => void; done: Promise<{ ms: number; outcome: { status: string }; peakRssMb: number }> };

/** A worker process, connected and waiting for `go` (its start-up is not measured). */
function startWorker(url: string, uploadId: string): Worker {
  const child = spawn(process.execPath, [...WORKER_NODE_FLAGS, "--import", "tsx", "test/bench/ingest-child.ts", uploadId, "--wait"], {
    env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: "warn" },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = readline.createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const ready = lines.next().then((l) => {
    if (l.value !== "ready") throw new Error(`worker not ready: ${String(l.value)}`);
  });
  const done = ready.then(async () => {
    const l = await lines.next();
    if (l.done) throw new Error("worker ended without a result");
    return JSON.parse(String(l.value)) as Awaited<Worker["done"]>;
  });
  return { ready, go: () => child.stdin!.write("go\n"), done };
}

async function addGestori(sql: Sql, prefix: number, n: number) {
  const cfs = Array.from({ length: n }, (_, i) => {
    const body = String(prefix * 100_000_000 + i + 1).padStart(10, "0");
    return body + numericFiscalCodeCheckDigit(body);
  });
  const rows = await sql<{ id: string; fiscal_code: string }[]>`
    insert into gestori (fiscal_code, name) select cf, 'Gestore di prova ' || cf from unnest(${cfs}::text[]) cf returning id, fiscal_code`;
  await sql`insert into measure_gestori (measure_id, gestore_id) select m.id, g from measures m, unnest(${rows.map((r) => r.id)}::uuid[]) g where m.code = 'COVID-LIQ'`;
  return rows;
}

async function* iterate(file: Generated) {
  for (const c of file.chunks) yield c;
}

async function store(gestoreId: string, file: Generated) {
  const { uploadId } = await receiveUpload({ gestoreId, userId: null, channel: "api", fileName: "bench.txt", body: iterate(file), who: { actor: {}, ip: null } });
  return uploadId;
}

/** Each gestore's file of this step, stored; then processed one by one or all at once. */
async function round(url: string, gestori: { id: string; fiscal_code: string }[], step: 0 | 1, together: boolean) {
  const uploads = [];
  for (const [i, g] of gestori.entries()) {
    const file = generateFile({ n: N, cf: g.fiscal_code, measure: "COVID-LIQ", step, seed: 100 + i, ref: step === 0 ? "31/01/2020" : "29/02/2020", id: `C-${step}` });
    uploads.push(await store(g.id, file));
  }
  if (!together) {
    const results = [];
    for (const u of uploads) {
      const w = startWorker(url, u);
      await w.ready;
      w.go();
      results.push(await w.done);
    }
    return { ms: results.reduce((s, r) => s + r.ms, 0), results };
  }
  const workers = uploads.map((u) => startWorker(url, u));
  await Promise.all(workers.map((w) => w.ready));
  const t = performance.now();
  for (const w of workers) w.go();
  const results = await Promise.all(workers.map((w) => w.done));
  return { ms: performance.now() - t, results };
}

/** The summary's counting rows, summed over slots, against the same rebuilt from every practice. */
async function summaryEqualsRaw(sql: Sql) {
  const rows = (from: string) => `
    select md5(coalesce(string_agg(k, ',' order by k), '')) as h from (
      select concat_ws('|', lvl, gestore_id, measure_id, region_code, province_code, fact, bucket, a, b, days, sum(n), sum(requested),
        sum(approved), sum(approved_n), sum(disbursed), sum(disbursed_n)) as k
      from ${from} group by lvl, gestore_id, measure_id, region_code, province_code, fact, bucket, a, b, days
      having sum(n) <> 0 or sum(approved_n) <> 0 or sum(disbursed_n) <> 0) x`;
  const [{ h: kept }] = await sql.unsafe<{ h: string }[]>(rows("monitoring_rollup"));
  let rebuilt = "";
  await sql
    .begin(async (tx) => {
      await tx`set local work_mem = '256MB'`;
      await tx`delete from monitoring_rollup`;
      await tx`select monitoring_apply(array(select id from practices), 1)`;
      [{ h: rebuilt }] = await tx.unsafe<{ h: string }[]>(rows("monitoring_rollup"));
      throw new Error("rollback");
    })
    .catch((e: Error) => {
      if (e.message !== "rollback") throw e;
    });
  return kept === rebuilt;
}

export async function benchConcurrent() {
  const { url, sql, finish } = await benchDatabase("ingest_concurrent");
  const oneByOne = await addGestori(sql, 91, GESTORI);
  const together = await addGestori(sql, 92, GESTORI);
  const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(`${GESTORI} gestori × ${N.toLocaleString("en")}-record files, one worker process each`);
  let seqMs = 0;
  let wallMs = 0;
  const all = [];
  for (const step of [0, 1] as const) {
    const what = step === 0 ? "first files (create)" : "second files (move)";
    const seq = await round(url, oneByOne, step, false);
    const con = await round(url, together, step, true);
    seqMs += seq.ms;
    wallMs += con.ms;
    all.push(...seq.results, ...con.results);
    console.log(`${what}: one by one ${fmt(seq.ms)} in all; at once ${fmt(con.ms)} wall (gain ${(seq.ms / con.ms).toFixed(2)})`);
  }
  const rejected = all.filter((r) => r.outcome.status !== "accepted").length;
  const exact = await summaryEqualsRaw(sql);
  const gain = seqMs / wallMs;
  const peak = Math.max(...all.map((r) => r.peakRssMb));
  console.log(`files accepted: ${all.length - rejected} of ${all.length}; summary equal to the raw tables: ${exact}`);
  console.log(`sum_one_by_one_s=${(seqMs / 1000).toFixed(2)} wall_concurrent_s=${(wallMs / 1000).toFixed(2)} concurrency_gain=${gain.toFixed(2)} (target ≥ 1.6) peak_rss_mb=${peak} all_accepted=${rejected === 0} summary_exact=${exact}`);
  await finish();
  if (rejected || !exact) process.exit(1);
}
