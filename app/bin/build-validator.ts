import fs from "node:fs";
import path from "node:path";
import { build } from "esbuild";

/** Where `npm run build` leaves the validator's code, before the platform adds its reference data. */
export const VALIDATOR_BUNDLE = path.resolve("build/verifica-flusso.bundle.mjs");

/**
 * Bundles the server's own rules code (app/uploads/check, scan, records, practice index) into one
 * dependency-free ES module for Node (docs/decisions/0103).
 */
export async function buildValidator(outFile = VALIDATOR_BUNDLE) {
  const result = await build({
    entryPoints: [path.resolve("app/uploads/check/script-entry.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    write: false,
    minify: false,
    legalComments: "none",
    logLevel: "silent",
  });
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, result.outputFiles[0]!.text);
  return outFile;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = await buildValidator();
  console.log(`Validatore compilato in ${path.relative(process.cwd(), out)} (${Math.round(fs.statSync(out).size / 1024)} kB).`);
}
