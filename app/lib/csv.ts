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
