// Pure module: reads the official list of social districts (ATS) — one line per municipality:
// ISTAT municipality code; ATS code; ATS name; region; valid from — checking each line's form.
// The database checks (municipality known, region agreeing) follow in territories.server.ts.
import { splitCsvLine } from "~/lib/csv";
import { parseDay } from "~/lib/dates";
import { forbiddenCharacter } from "~/lib/text-safety";

export const ATS_CSV_COLUMNS = ["codice_istat_comune", "codice_ats", "nome_ats", "regione", "valido_dal"] as const;
export const ATS_CSV_MAX_ROWS = 10_000;

export type AtsCsvRow = { line: number; comune: string; atsCode: string; atsName: string; region: string; validFrom: string };
export type AtsCsvProblem = { line: number; message: string };

/**
 * `;` or `,` separated, UTF-8 with or without BOM, an optional header line (recognised by its
 * first cell not being a municipality code), blank lines ignored. Every line with a problem is
 * reported with its number; the caller stores nothing unless there are none.
 */
export function parseAtsCsv(text: string): { rows: AtsCsvRow[]; errors: AtsCsvProblem[] } {
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
  const first = lines.findIndex((l) => l.trim() !== "");
  if (first < 0) return { rows: [], errors: [{ line: 0, message: "Il file è vuoto" }] };
  const sep = lines[first]!.includes(";") ? ";" : ",";
  const start = /^\d+$/.test(splitCsvLine(lines[first]!, sep)[0] ?? "") ? first : first + 1;
  const rows: AtsCsvRow[] = [];
  const errors: AtsCsvProblem[] = [];
  for (let i = start; i < lines.length; i++) {
    if (lines[i]!.trim() === "") continue;
    const line = i + 1;
    const cells = splitCsvLine(lines[i]!, sep);
    if (cells.length !== ATS_CSV_COLUMNS.length) {
      errors.push({ line, message: `attese ${ATS_CSV_COLUMNS.length} colonne (${ATS_CSV_COLUMNS.join(";")}), trovate ${cells.length}` });
      continue;
    }
    const bad = cells.findIndex((c) => forbiddenCharacter(c));
    if (bad >= 0) {
      errors.push({ line, message: `colonna ${ATS_CSV_COLUMNS[bad]}: contiene un carattere di controllo non ammesso` });
      continue;
    }
    const [comune, atsCode, atsName, region, validFrom] = cells as [string, string, string, string, string];
    const problems: string[] = [];
    if (!/^\d{6}$/.test(comune)) problems.push("codice ISTAT del comune: servono 6 cifre");
    if (!/^[A-Za-z0-9-]{2,20}$/.test(atsCode)) problems.push("codice ATS: da 2 a 20 caratteri tra lettere, cifre e trattino");
    else if (/^DEMO-/i.test(atsCode)) problems.push("codice ATS: il prefisso DEMO- è riservato alla mappatura dimostrativa");
    if (!atsName) problems.push("nome ATS mancante");
    else if (atsName.length > 200) problems.push("nome ATS: al massimo 200 caratteri");
    if (!region) problems.push("regione mancante (codice ISTAT a 2 cifre o nome)");
    const day = parseDay(validFrom);
    if (!day) problems.push(`data di validità «${validFrom.slice(0, 20)}» non valida: usare gg/mm/aaaa`);
    if (problems.length) errors.push({ line, message: problems.join("; ") });
    else rows.push({ line, comune, atsCode: atsCode.toUpperCase(), atsName, region, validFrom: day! });
  }
  if (rows.length + errors.length === 0) errors.push({ line: 0, message: "Il file non contiene righe" });
  if (rows.length > ATS_CSV_MAX_ROWS) errors.push({ line: 0, message: `Al massimo ${ATS_CSV_MAX_ROWS} righe per file` });
  return { rows, errors };
}
