/**
 * CSV for Italian spreadsheets: `;` separator, UTF-8 with BOM. Cells that a spreadsheet would
 * take as a formula (= + - @, tab, CR) are prefixed with an apostrophe so they stay text.
 */
export const CSV_BOM = "\uFEFF";

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let s = value instanceof Date ? value.toISOString() : typeof value === "object" ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[";\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(values: unknown[]): string {
  return values.map(csvCell).join(";") + "\r\n";
}

/** One line of a `sep`-separated file into trimmed cells (quotes as Excel writes them). */
export function splitCsvLine(line: string, sep: string): string[] {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === sep) cells.push(cell), (cell = "");
    else cell += c;
  }
  cells.push(cell);
  return cells.map((s) => s.trim());
}
