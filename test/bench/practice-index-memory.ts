import fs from "node:fs";
import { execFileSync } from "node:child_process";
import { WORKER_NODE_FLAGS } from "~/bin/worker-flags";
import { CopyTextRows } from "~/uploads/copy-rows";
import { PracticeIndex } from "~/uploads/practice-index";
import { centsToDecimal, type Detail } from "~/uploads/records";
import type { UploadError } from "~/uploads/errors";

/**
 * npm run bench:index — the ingestion's practice index alone (docs/decisions/0035): a child with
 * the worker's Node flags loads BENCH_RECORDS (1,000,000) synthetic stored practices shaped like
 * `bench:ingest`'s, as the COPY text rows the ingestion reads (docs/decisions/0077), then judges one moving record for each. Prints the load and judge times, the
 * live heap and array buffers after a full collection, and the peak RSS.
 */
const N = Number(process.env.BENCH_RECORDS ?? 1_000_000);

const COMUNI = ["042002", "058091", "109006", "041044", "043023"];
const detail = (i: number): Detail => ({
  line: i + 2,
  code: `P${String(i).padStart(8, "0")}`,
  measureId: "00000000-0000-4000-8000-000000000001",
  beneficiaryFiscalCode: String(10_000_000_000 + ((i * 7919) % 89_999_999_999)).slice(0, 11),
  beneficiaryName: `Impresa ${i} S.r.l.`,
  comuneCode: COMUNI[i % COMUNI.length]!,
  submittedOn: "2020-01-02",
  state: "PRESENTATA",
  stateDate: "2020-01-02",
  requestedCents: 100_000 + ((i * 104_729) % 50_000_000),
  approvedCents: null,
  disbursedCents: null,
  notes: "",
});

const mb = (bytes: number) => Math.round(bytes / 2 ** 20);

if (process.argv[2] === "--child") {
  const gc = (globalThis as { gc?: () => void }).gc!;
  let t = performance.now();
  const index = new PracticeIndex(N);
  // As loadPracticeIndex receives them: COPY text rows of STORED_PRACTICE_COLUMNS, in chunks of bytes.
  const rows = new CopyTextRows((bytes, start, end) => index.addKnownRow(bytes, start, end));
  const amount = (cents: number | null) => (cents === null ? "\\N" : centsToDecimal(cents));
  let chunk: string[] = [];
  for (let i = 0; i < N; i++) {
    const d = detail(i);
    chunk.push(`${d.code}\t${i + 1}\t${d.state}\t${d.stateDate}\t${d.measureId}\t${d.beneficiaryFiscalCode}\t${d.beneficiaryName}\t${d.comuneCode}\t${d.submittedOn}\t${amount(d.requestedCents)}\t${amount(d.approvedCents)}\t${amount(d.disbursedCents)}\t${d.notes}\n`);
    if (chunk.length === 500 || i === N - 1) {
      rows.push(Buffer.from(chunk.join("")));
      chunk = [];
    }
  }
  rows.end();
  const loadMs = performance.now() - t;
  gc();
  const m = process.memoryUsage();
  t = performance.now();
  index.startPass({ exact: false, expectedCodes: N });
  const errors: UploadError[] = [];
  let moved = 0;
  for (let i = 0; i < N; i++) if (index.judge({ ...detail(i), state: "IN_ISTRUTTORIA", stateDate: "2020-02-15" }, errors).kind === "transition") moved++;
  const judgeMs = performance.now() - t;
  if (moved !== N || errors.length) throw new Error(`judged ${moved} moves, ${errors.length} errors`);
  const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync("/proc/self/status", "utf8"))?.[1] ?? 0) * 1024;
  console.log(
    `index of ${N} practices: load ${(loadMs / 1000).toFixed(2)} s, judge ${(judgeMs / 1000).toFixed(2)} s; ` +
      `heap_used_mb=${mb(m.heapUsed)} array_buffers_mb=${mb(m.arrayBuffers)} rss_mb=${mb(m.rss)} peak_rss_mb=${mb(hwm)}`,
  );
} else {
  execFileSync(process.execPath, [...WORKER_NODE_FLAGS, "--expose-gc", "--import", "tsx", "test/bench/practice-index-memory.ts", "--child"], { stdio: "inherit" });
}
