#!/usr/bin/env node
// The import boundaries of docs/architecture.md, checked with dependency-cruiser
// (.dependency-cruiser.cjs). One result per rule, so `npm test` counts each rule as a test.
// Run alone: `npm run check:imports`.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const require = createRequire(import.meta.url);

/** @returns {{ rule: string, comment: string, violations: string[] }[]} */
export function checkImportBoundaries() {
  const config = require(path.join(root, ".dependency-cruiser.cjs"));
  const out = path.join(root, ".cache", "import-boundaries.json");
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.rmSync(out, { force: true });
  const r = spawnSync(
    path.join(root, "node_modules", ".bin", "depcruise"),
    ["app", "db", "workflows", "--config", ".dependency-cruiser.cjs", "--output-type", "json", "--output-to", out],
    { cwd: root, stdio: ["ignore", "ignore", "inherit"] },
  );
  if (!fs.existsSync(out)) throw new Error(`dependency-cruiser did not run (exit ${r.status})`);
  const { summary } = JSON.parse(fs.readFileSync(out, "utf8"));
  return config.forbidden.map((rule) => ({
    rule: rule.name,
    comment: rule.comment,
    violations: summary.violations
      .filter((v) => v.rule.name === rule.name)
      .map((v) => (v.cycle ? [v.from, ...v.cycle.map((c) => (typeof c === "string" ? c : c.name))].join(" → ") : `${v.from} → ${v.to}`)),
  }));
}

export function printImportBoundaries(results) {
  for (const r of results) {
    console.log(`${r.violations.length ? "✗" : "✓"} ${r.rule}: ${r.comment}`);
    for (const v of r.violations) console.log(`    ${v}`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const results = checkImportBoundaries();
  printImportBoundaries(results);
  process.exit(results.some((r) => r.violations.length) ? 1 : 0);
}
