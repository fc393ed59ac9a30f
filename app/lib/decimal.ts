/** A decimal string ("-1234567.5") in Italian form ("-1.234.567,50"), exactly: no float on the way. */
export function italianDecimal(decimal: string, grouping = true): string {
  const [, sign = "", int = "0", frac = ""] = /^(-?)(\d+)(?:\.(\d+))?$/.exec(decimal) ?? [];
  const grouped = grouping ? int.replace(/\B(?=(\d{3})+(?!\d))/g, ".") : int;
  return `${sign}${grouped},${frac.padEnd(2, "0")}`;
}

const numberFormats = new Map<string, Intl.NumberFormat>();

/**
 * `n.toLocaleString("it-IT", options)`, with one formatter per set of options kept for the
 * process: building an Intl formatter costs more than formatting a whole table with it (a
 * dashboard built one per cell: a third of its CPU, docs/decisions/0073).
 */
export function italianNumber(n: number, options: { maximumFractionDigits?: number; useGrouping?: boolean } = {}): string {
  const key = `${options.maximumFractionDigits}|${options.useGrouping}`;
  let format = numberFormats.get(key);
  if (!format) numberFormats.set(key, (format = new Intl.NumberFormat("it-IT", options)));
  return format.format(n);
}
