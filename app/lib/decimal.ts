/** A decimal string ("-1234567.5") in Italian form ("-1.234.567,50"), exactly: no float on the way. */
export function italianDecimal(decimal: string, grouping = true): string {
  const [, sign = "", int = "0", frac = ""] = /^(-?)(\d+)(?:\.(\d+))?$/.exec(decimal) ?? [];
  const grouped = grouping ? int.replace(/\B(?=(\d{3})+(?!\d))/g, ".") : int;
  return `${sign}${grouped},${frac.padEnd(2, "0")}`;
}
