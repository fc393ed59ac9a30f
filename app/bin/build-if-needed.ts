import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const SOURCE_DIRS = ["app", "db", "workflows", "templates"];

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds the Remix app when a source is newer than build/index.js (npm start, and tests that start the web server). */
export function buildIfNeeded(): boolean {
  const output = path.resolve("build/index.js");
  const builtAt = fs.existsSync(output) ? fs.statSync(output).mtimeMs : 0;
  const changedAt = Math.max(...SOURCE_DIRS.filter((d) => fs.existsSync(d)).map(newestMtime), fs.statSync("remix.config.js").mtimeMs);
  if (builtAt > changedAt) return true;
  console.log("Compilazione dell'applicazione…");
  const cli = path.resolve("node_modules/@remix-run/dev/dist/cli.js");
  const result = spawnSync(process.execPath, [cli, "build"], { stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, NODE_ENV: "production" } });
  if (result.status !== 0) return false;
  // The downloadable validator, bundled from the same rules code (docs/decisions/0103).
  const validator = spawnSync(process.execPath, ["--import", "tsx", "app/bin/build-validator.ts"], { stdio: ["ignore", "inherit", "inherit"] });
  return validator.status === 0;
}
