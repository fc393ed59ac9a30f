import { italianNumber } from "~/lib/decimal";

/**
 * Scales, ticks and Italian labels for the server-drawn charts (docs/decisions/0055). Pure: no
 * DOM, no clock; the charts and their tests share it.
 */

/** Every chart's text is drawn at this size (px) or larger: the SVG never shrinks below its viewBox. */
export const CHART_FONT = 13;

/** Rough width of a text at CHART_FONT in the system sans-serif (no DOM to measure on the server). */
export function textWidth(text: string, font = CHART_FONT): number {
  return text.length * font * 0.6;
}

/** Italian digits, grouped from the thousands as the dashboard's tables are ("1.234", "6,5"). */
export const itNumber = (n: number, digits = 0) => italianNumber(n, { maximumFractionDigits: digits, useGrouping: true });

/** "2026-03-02" → "02/03", or "02/03/26" when the dates span more than one year. */
export function shortDate(iso: string, withYear: boolean): string {
  const [y, m, d] = iso.split("-");
  return withYear ? `${d}/${m}/${y!.slice(2)}` : `${d}/${m}`;
}

/** Round steps (1, 2, 2.5, 5 × 10^k) from 0 to at least `max`, about `count` of them. */
export function niceTicks(max: number, count = 4): { ticks: number[]; top: number } {
  if (!(max > 0)) return { ticks: [0, 1], top: 1 };
  const rough = max / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= rough)!;
  const top = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let t = 0; t <= top + step / 2; t += step) ticks.push(Number(t.toPrecision(12)));
  return { ticks, top };
}

/**
 * The top of a value axis that one outlier cannot flatten: when the largest value is more than
 * four times the 90th percentile of the others, the axis stops just above that percentile and the
 * values beyond it are drawn at the top edge and named in a note.
 */
export function robustMax(values: readonly number[]): { max: number; clipped: boolean } {
  const sorted = values.filter((v) => Number.isFinite(v) && v > 0).sort((a, b) => a - b);
  const largest = sorted[sorted.length - 1] ?? 0;
  if (sorted.length < 5) return { max: largest, clipped: false };
  const p90 = sorted[Math.floor(0.9 * (sorted.length - 1))]!;
  if (p90 > 0 && largest > 4 * p90) return { max: p90 * 1.25, clipped: true };
  return { max: largest, clipped: false };
}

/** Which of `n` evenly spaced labels to draw so that labels of `width` px never overlap in `span` px. */
export function labelEvery(n: number, width: number, span: number): number {
  if (n <= 1) return 1;
  const room = span / (n - 1);
  return Math.max(1, Math.ceil((width + 6) / room));
}
