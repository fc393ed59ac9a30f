import fs from "node:fs";
import { checkFile, validationContextFrom, type CheckData } from "./check-file";

const USAGE = `Uso: node verifica-flusso.mjs [--ente CODICE_FISCALE] [--json] file.txt

Controlla un file del flusso di alimentazione (tracciato versione 1) sul computer, senza inviarlo:
sintassi, campi, codici fiscali, date, importi, coda. Esce con 0 se il file sarebbe accettato,
1 se ha errori, 2 se il comando è sbagliato o il file non si legge.`;

const NOT_CHECKED_HERE =
  "Non controllati qui (li controlla la piattaforma all'invio, o «Verifica senza inviare»): data di riferimento rispetto all'ultimo file accettato, identificativo di invio già usato, passaggi di stato e campi non modificabili delle pratiche già trasmesse.";

type Io = { out: (s: string) => void; err: (s: string) => void };

/**
 * The command line of the validator on the gestore's PC (docs/decisions/0103): the downloaded
 * `verifica-flusso.mjs` and `npm run validate` both end here. Returns the exit code.
 */
export async function runCli(argv: string[], data: CheckData, io: Io = { out: (s) => process.stdout.write(`${s}\n`), err: (s) => process.stderr.write(`${s}\n`) }) {
  let json = false;
  let file: string | null = null;
  let ente = data.gestoreFiscalCode;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--json") json = true;
    else if (a === "--ente" && argv[i + 1]) ente = argv[++i]!;
    else if (a === "--help" || a === "-h") return io.out(USAGE), 0;
    else if (!a.startsWith("--") && !file) file = a;
    else return io.err(`Opzione non riconosciuta: ${a}\n\n${USAGE}`), 2;
  }
  if (!file) return io.err(USAGE), 2;
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) return io.err(`File non trovato: ${file}`), 2;
  const result = await checkFile(fs.createReadStream(file, { highWaterMark: 1024 * 1024 }), validationContextFrom({ ...data, gestoreFiscalCode: ente }));
  if (json) {
    io.out(JSON.stringify(result, null, 2));
  } else {
    io.out(`File: ${file}`);
    io.out(
      result.status === "accepted"
        ? `Esito: nessun errore, il file sarebbe accettato (${result.records} record D).`
        : `Esito: il file sarebbe rifiutato, ${result.errorCount} ${result.errorCount === 1 ? "errore" : "errori"}${result.errorCount > result.errors.length ? ` (elencati i primi ${result.errors.length})` : ""}.`,
    );
    for (const e of result.errors) io.out(`riga ${e.line}${e.field ? ` · ${e.field}` : ""} · ${e.code} · ${e.message}`);
    io.out(NOT_CHECKED_HERE);
    if (!ente) io.out("Ente gestore non indicato: il codice fiscale della testata non è confrontato (usare --ente).");
    if (!data.measures) io.out("Misure non controllate: dati delle misure non disponibili.");
    io.out(`Dati di riferimento: ${data.source}`);
  }
  return result.status === "accepted" ? 0 : 1;
}
