import fs from "node:fs";
import { ingestUpload } from "~/uploads/ingest.server";
import { closeDb } from "~db/client";

// The measured worker: processes one stored upload and reports its time and peak memory.
const started = performance.now();
const outcome = await ingestUpload(process.argv[2]!);
const ms = performance.now() - started;
const hwm = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync("/proc/self/status", "utf8"))?.[1];
process.stdout.write(JSON.stringify({ ms, outcome, peakRssMb: Math.round(Number(hwm ?? 0) / 1024) }) + "\n");
await closeDb();
