#!/usr/bin/env node
// `npm test`: every suite, then one line "N passed, N failed" summing them all.
// Installs Debian's chromium for the end-to-end tests when it is missing and we are allowed to.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { checkImportBoundaries, printImportBoundaries } from "./import-boundaries.mjs";
import { startDebianPostgres } from "./support/debian-postgres.mjs";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
process.chdir(root);
const cacheDir = path.join(root, ".cache");
fs.mkdirSync(cacheDir, { recursive: true });
const CHROMIUM = "/usr/bin/chromium";
const bin = (name) => path.join(root, "node_modules", ".bin", name);

let passed = 0;
let failed = 0;
const notes = [];

function run(cmd, args, env = {}) {
  console.log(`\n▶ ${cmd} ${args.join(" ")}`);
  return spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, ...env } }).status ?? 1;
}

function ensureChromium() {
  if (fs.existsSync(CHROMIUM)) return true;
  const isRoot = process.getuid?.() === 0;
  const hasApt = fs.existsSync("/usr/bin/apt-get");
  if (isRoot && hasApt) {
    console.log("Chromium non trovato: installazione del pacchetto Debian 'chromium' con apt-get…");
    const env = { DEBIAN_FRONTEND: "noninteractive" };
    if (run("apt-get", ["update", "-qq"], env) === 0 && run("apt-get", ["install", "-y", "-qq", "chromium"], env) === 0 && fs.existsSync(CHROMIUM))
      return true;
  }
  notes.push(
    `Chromium non è installato in ${CHROMIUM} e non è stato possibile installarlo automaticamente.\n` +
      `  Installarlo con: sudo apt-get update && sudo apt-get install -y chromium\n` +
      `  (i test end-to-end usano il Chromium di Debian; non viene scaricato alcun browser)`,
  );
  return false;
}

// 1. Types
if (run(bin("tsc"), ["--noEmit"]) === 0) passed += 1;
else {
  failed += 1;
  notes.push("Controllo dei tipi (tsc) non superato.");
}

// 1b. Import boundaries (docs/architecture.md): each rule counts as one test
console.log("\n▶ import boundaries (dependency-cruiser)");
try {
  const rules = checkImportBoundaries();
  printImportBoundaries(rules);
  for (const r of rules) {
    if (r.violations.length === 0) passed += 1;
    else {
      failed += 1;
      notes.push(`Confini degli import: la regola ${r.rule} è violata (${r.violations.length}).`);
    }
  }
} catch (e) {
  failed += 1;
  notes.push(`Controllo dei confini degli import non eseguito: ${e instanceof Error ? e.message : String(e)}`);
}

// 2. Unit and integration tests (vitest, real PostgreSQL: the embedded one)
const reportOf = (label) => path.join(cacheDir, `vitest-report${label ? "-" + label.replace(/\W+/g, "") : ""}.json`);
const vitestArgs = (label, args) => ["run", ...args, "--reporter=default", "--reporter=json", `--outputFile.json=${reportOf(label)}`];

function countVitest(label) {
  const report = reportOf(label);
  const name = label ? `vitest (${label})` : "vitest";
  if (!fs.existsSync(report)) {
    failed += 1;
    notes.push(`${name} non ha prodotto il rapporto.`);
    return;
  }
  const r = JSON.parse(fs.readFileSync(report, "utf8"));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  // A file that fails to load has no tests to count: count it as a failure.
  const brokenFiles = r.testResults.filter((f) => f.status === "failed" && f.assertionResults.length === 0).length;
  failed += brokenFiles;
  if (r.numFailedTests || brokenFiles) notes.push(`${name}: ${r.numFailedTests} test falliti, ${brokenFiles} file non caricati.`);
}

fs.rmSync(reportOf(""), { force: true });
run(bin("vitest"), vitestArgs("", []));
countVitest("");

// 2b. Migrations and the integration suite again on Debian's PostgreSQL 15, the oldest supported
// server, in a throwaway cluster (docs/decisions/0037). TEST_DATABASE_URL set: that server only.
// It runs while Playwright runs (docs/decisions/0063): the browser tests mostly wait, so the two
// together take little more than the browser tests alone. Its output goes to a file, shown after.
let pg15Run = null;
if (!process.env.TEST_DATABASE_URL && !process.env.SKIP_PG15) {
  console.log("\n▶ PostgreSQL 15 di Debian: cluster temporaneo (la suite gira insieme ai test end-to-end)");
  const pg15 = await startDebianPostgres(15);
  if (pg15.error) {
    failed += 1;
    notes.push(pg15.error);
  } else {
    const label = "PostgreSQL 15";
    const log = path.join(cacheDir, "vitest-PostgreSQL15.log");
    const out = fs.openSync(log, "w");
    fs.rmSync(reportOf(label), { force: true });
    const args = vitestArgs(label, ["test/integration", "--maxWorkers=2"]);
    console.log(`▶ ${bin("vitest")} ${args.join(" ")} > ${path.relative(root, log)}`);
    const child = spawn(bin("vitest"), args, { stdio: ["ignore", out, out], env: { ...process.env, TEST_DATABASE_URL: pg15.url } });
    const done = new Promise((resolve) => {
      child.once("exit", resolve);
      child.once("error", resolve);
    });
    pg15Run = { label, log, done, stop: () => (fs.closeSync(out), pg15.stop()) };
  }
}

// 3. End-to-end tests (Playwright driving Debian's Chromium)
if (ensureChromium()) {
  const pwReport = path.join(cacheDir, "playwright-report.json");
  fs.rmSync(pwReport, { force: true });
  run(bin("playwright"), ["test", "--reporter=list,json"], { PLAYWRIGHT_JSON_OUTPUT_NAME: pwReport });
  if (fs.existsSync(pwReport)) {
    const s = JSON.parse(fs.readFileSync(pwReport, "utf8")).stats;
    passed += s.expected + (s.flaky ?? 0);
    failed += s.unexpected;
    if (s.unexpected) notes.push(`Playwright: ${s.unexpected} test falliti.`);
    if ((s.expected ?? 0) + (s.unexpected ?? 0) === 0) {
      failed += 1;
      notes.push("Playwright non ha eseguito alcun test (il server di prova si è avviato?).");
    }
  } else {
    failed += 1;
    notes.push("Playwright non ha prodotto il rapporto.");
  }
} else {
  failed += 1;
}

if (pg15Run) {
  await pg15Run.done;
  pg15Run.stop();
  console.log(`\n▶ vitest (${pg15Run.label}), eseguito insieme ai test end-to-end:\n`);
  process.stdout.write(fs.readFileSync(pg15Run.log, "utf8"));
  countVitest(pg15Run.label);
}

if (notes.length) console.log(`\n${notes.join("\n")}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
