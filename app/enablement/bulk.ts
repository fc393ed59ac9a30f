// Pure module: reads the bulk enablement list (CSV) into rows; each row is then validated like
// a single request, and every problem is shown before anything is sent.
import { splitCsvLine } from "~/lib/csv";
import { forbiddenCharacter, shownValue } from "~/lib/text-safety";

export const BULK_HEADER = ["cognome", "nome", "codice_fiscale", "email", "ruolo"] as const;
export const BULK_MAX_ROWS = 200;

/** Role words accepted in the `ruolo` column (Italian, case-insensitive), and the role codes. */
const ROLE_WORDS: Record<string, string> = {
  operatore: "gestore_operatore",
  referente: "gestore_referente",
  funzionario: "funzionario",
  gestore_operatore: "gestore_operatore",
  gestore_referente: "gestore_referente",
};

export type BulkRow = { line: number; surname: string; name: string; fiscalCode: string; email: string; role: string };
export type BulkParse = { rows: BulkRow[]; errors: { line: number; message: string }[] };

/**
 * Header `cognome;nome;codice_fiscale;email` plus an optional `ruolo` (operatore, referente,
 * funzionario); `;` or `,` separated, UTF-8 with or without BOM, blank lines ignored.
 */
export function parseBulkCsv(text: string): BulkParse {
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
  const first = lines.findIndex((l) => l.trim() !== "");
  if (first < 0) return { rows: [], errors: [{ line: 0, message: "Il file è vuoto" }] };
  const sep = lines[first]!.includes(";") ? ";" : ",";
  const header = splitCsvLine(lines[first]!, sep).map((h) => h.toLowerCase());
  const missing = BULK_HEADER.slice(0, 4).filter((h) => !header.includes(h));
  if (missing.length)
    return { rows: [], errors: [{ line: first + 1, message: `Intestazione non valida: mancano le colonne ${missing.join(", ")} (attese: ${BULK_HEADER.join(";")})` }] };
  const at = (cells: string[], name: string) => cells[header.indexOf(name)] ?? "";
  const rows: BulkRow[] = [];
  const errors: BulkParse["errors"] = [];
  for (let i = first + 1; i < lines.length; i++) {
    if (lines[i]!.trim() === "") continue;
    const cells = splitCsvLine(lines[i]!, sep);
    const line = i + 1;
    if (cells.length !== header.length) {
      errors.push({ line, message: `attese ${header.length} colonne, trovate ${cells.length}` });
      continue;
    }
    const badColumn = header.findIndex((_, c) => forbiddenCharacter(cells[c]!));
    if (badColumn >= 0) {
      errors.push({ line, message: `colonna ${header[badColumn]}: contiene un carattere di controllo non ammesso (${forbiddenCharacter(cells[badColumn]!)})` });
      continue;
    }
    const roleWord = header.includes("ruolo") ? at(cells, "ruolo").toLowerCase() : "";
    const role = roleWord ? ROLE_WORDS[roleWord] : "";
    if (role === undefined) {
      errors.push({ line, message: `ruolo «${shownValue(at(cells, "ruolo"))}» non riconosciuto: usare operatore, referente o funzionario` });
      continue;
    }
    rows.push({ line, surname: at(cells, "cognome"), name: at(cells, "nome"), fiscalCode: at(cells, "codice_fiscale"), email: at(cells, "email"), role });
  }
  if (rows.length + errors.length === 0) errors.push({ line: 0, message: "Il file non contiene persone" });
  if (rows.length > BULK_MAX_ROWS) errors.push({ line: 0, message: `Al massimo ${BULK_MAX_ROWS} persone per invio` });
  return { rows, errors };
}
