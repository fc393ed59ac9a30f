import fs from "node:fs";
import readline from "node:readline";
import { ingestUpload } from "~/uploads/ingest.server";
import { closeDb, getSql } from "~db/client";

// The measured worker: processes one stored upload and reports its time and peak memory.
// With --wait it first connects, says "ready" and waits for a line on stdin, so that several
// workers can start at the same moment (npm run bench:ingest -- --concurrent).
if (process.argv.includes("--wait")) {
  await getSql()`select 1`;
  process.stdout.write("ready\n");
  const lines = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  await lines.next();
}
const started = performance.now();
const outcome = await ingestUpload(process.argv[2]!);
const ms = performance.now() - started;
const hwm = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync("/proc/self/status", "utf8"))?.[1];
process.stdout.write(JSON.stringify({ ms, outcome, peakRssMb: Math.round(Number(hwm ?? 0) / 1024) }) + "\n");
await closeDb();
process.exit(0);
