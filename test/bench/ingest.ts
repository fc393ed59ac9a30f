import { execFileSync } from "node:child_process";
import { WORKER_NODE_FLAGS } from "~/bin/worker-flags";
import { receiveUpload } from "~/uploads/receive.server";
import { generateFile, type Generated } from "./generate";
import { benchDatabase } from "./database";

/**
 * npm run bench:ingest — 1,000,000-record files through the real pipeline, on one database:
 * (a) a file creating every practice, (b) a file moving each one state forward, (c) a plain COPY
 * of the same rows into an unindexed table. Prints times, ratios and the worker's peak RSS.
 * BENCH_RECORDS sets the size, INGEST_TIMINGS=1 prints the worker's phases, BENCH_CPU_PROF=<dir>
 * writes CPU profiles, BENCH_NO_SUMMARY=1 measures the floor without the monitoring summary.
 */
if (process.argv.includes("--concurrent")) {
  await (await import("./ingest-concurrent")).benchConcurrent();
  process.exit(0);
}
const N = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const GESTORE = "01234567897";

const { url, sql, finish } = await benchDatabase("ingest");
const [{ id: gestoreId }] = await sql<{ id: string }[]>`select id from gestori where fiscal_code = ${GESTORE}`;
if (process.env.BENCH_NO_SUMMARY) {
  // The floor: the same run with the ingestion's monitoring summary switched off (this database only).
  await sql`create or replace function monitoring_apply_new(upload uuid, after_id bigint) returns void language sql as 'select'`;
  await sql`create or replace function monitoring_apply_moves(upload uuid, after_id bigint, phase text) returns void language sql as 'select'`;
  console.log("BENCH_NO_SUMMARY: the monitoring summary is not maintained in this run");
}

async function* iterate(file: Generated) {
  for (const c of file.chunks) yield c;
}

async function store(file: Generated) {
  const t = performance.now();
  const { uploadId } = await receiveUpload({ gestoreId, userId: null, channel: "api", fileName: "bench.txt", body: iterate(file), who: { actor: {}, ip: null } });
  return { uploadId, ms: performance.now() - t };
}

/** The upload processed by a child process started as `npm start` starts the worker. */
function processInWorker(uploadId: string) {
  // BENCH_CPU_PROF=<dir> writes a V8 CPU profile of each measured worker there.
  const profile = process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  // BENCH_NODE_FLAGS tries other V8 settings for the worker without changing the platform's.
  profile.push(...(process.env.BENCH_NODE_FLAGS?.split(" ").filter(Boolean) ?? []));
  const out = execFileSync(process.execPath, [...WORKER_NODE_FLAGS, ...profile, "--import", "tsx", "test/bench/ingest-child.ts", uploadId], {
    env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: "warn" },
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.toString()) as { ms: number; outcome: { status: string; created: number; transitioned: number }; peakRssMb: number };
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
console.log(`Generating two files of ${N.toLocaleString("en")} records (seeded)…`);
const first = generateFile({ n: N, cf: GESTORE, measure: "COVID-LIQ", step: 0, seed: 42, ref: "31/01/2020", id: "BENCH-1" });
const second = generateFile({ n: N, cf: GESTORE, measure: "COVID-LIQ", step: 1, seed: 42, ref: "29/02/2020", id: "BENCH-2" });
console.log(`file sizes: ${(first.size / 1e6).toFixed(1)} MB, ${(second.size / 1e6).toFixed(1)} MB`);

const s1 = await store(first);
const a = processInWorker(s1.uploadId);
if (a.outcome.status !== "accepted" || a.outcome.created !== N) throw new Error(`first file not applied: ${JSON.stringify(a.outcome)}`);
console.log(`(a) create ${N} practices: ${fmt(a.ms)} (storing the upload: ${fmt(s1.ms)}), peak RSS ${a.peakRssMb} MB`);

const s2 = await store(second);
const b = processInWorker(s2.uploadId);
if (b.outcome.status !== "accepted" || b.outcome.transitioned !== N) throw new Error(`second file not applied: ${JSON.stringify(b.outcome)}`);
console.log(`(b) advance ${N} practices: ${fmt(b.ms)} (storing the upload: ${fmt(s2.ms)}), peak RSS ${b.peakRssMb} MB`);

/** COPY of the file's D rows, as they are, into a fresh unindexed table; `typed` gives its columns the data's types. */
async function plainCopy(typed: boolean) {
  const table = typed ? "bench_copy_typed" : "bench_copy_text";
  const t = (type: string) => (typed ? type : "text");
  await sql.unsafe(`create table ${table} (t text, code ${t("varchar(50)")}, measure text, cf ${t("varchar(16)")}, name ${t("varchar(200)")},
    comune ${t("varchar(6)")}, submitted ${t("date")}, state ${t("practice_state")}, state_date ${t("date")}, requested ${t("numeric(15,2)")},
    approved ${t("numeric(15,2)")}, disbursed ${t("numeric(15,2)")}, notes ${t("varchar(500)")})`);
  const started = performance.now();
  await sql.begin(async (tx) => {
    // Day-first dates are the file's; its decimal comma becomes a point (the only change to the rows).
    if (typed) await tx`set local datestyle = 'ISO, DMY'`;
    const copy = await tx.unsafe(`copy ${table} from stdin with (format text, delimiter '|', null '')`).writable();
    await new Promise<void>((resolve, reject) => {
      copy.on("finish", resolve);
      copy.on("error", reject);
      (async () => {
        for (const chunk of first.chunks) {
          let text = chunk.toString("utf8").split("\n").filter((l) => l.startsWith("D|")).join("\n") + "\n";
          if (typed) text = text.replaceAll(",", ".");
          if (!copy.write(text)) await new Promise((r) => copy.once("drain", r));
        }
        copy.end();
      })().catch(reject);
    });
  });
  return performance.now() - started;
}
const cText = await plainCopy(false);
const c = await plainCopy(true);
console.log(`(c) plain COPY of the same rows into an unindexed table: ${fmt(c)} with the data's column types (all text: ${fmt(cText)})`);

const ratioCreate = a.ms / c;
const ratioAdvance = b.ms / c;
const peak = Math.max(a.peakRssMb, b.peakRssMb);
console.log(`ratios: a/c = ${ratioCreate.toFixed(2)}, b/c = ${ratioAdvance.toFixed(2)} (targets ≤ 5 and ≤ 8); worker peak RSS ${peak} MB (target ≤ 384)`);
console.log(`against the all-text COPY: a/c = ${(a.ms / cText).toFixed(2)}, b/c = ${(b.ms / cText).toFixed(2)}`);
console.log(`ratio_create=${ratioCreate.toFixed(2)} ratio_advance=${ratioAdvance.toFixed(2)} peak_rss_mb=${peak}`);

await finish();
process.exit(0);
