import { italianDate } from "~/lib/dates";
import { CHART_FONT, itNumber, labelEvery, niceTicks, robustMax, shortDate, textWidth } from "./chart-scale";

/**
 * Server-drawn SVG charts (docs/decisions/0022, 0055): markup like any other, no browser-only
 * dependency, no script. Each chart is one labelled image with a text summary (its <desc>), and
 * sits beside its table, which carries the same numbers. The viewBox is as wide as the narrowest
 * phone column and the image never shrinks below it, so no label is ever under CHART_FONT px.
 */

/** Blue, green, red, brown: each at least 4.5:1 on white. Series also differ by dash and marker. */
export const SERIES_COLORS = ["#0066CC", "#00704A", "#B02A1F", "#8A5300"];
const DASHES = [undefined, "7 4", "2 3", "9 3 2 3"];
const INK = "#1a1a1a";
const GRID = "#c5c7c9";
export const CHART_WIDTH = 360;

function ChartFrame({ id, title, summary, height, children }: { id: string; title: string; summary: string; height: number; children: React.ReactNode }) {
  return (
    <div className="chart-scroll">
      <svg
        role="img"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-desc`}
        viewBox={`0 0 ${CHART_WIDTH} ${height}`}
        className="chart"
        data-testid={`chart-${id}`}
        fontSize={CHART_FONT}
        fontFamily="'Titillium Web', Geneva, Tahoma, sans-serif"
      >
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{summary}</desc>
        {children}
      </svg>
    </div>
  );
}

type Bar = { label: string; value: number | null };

/** The text summary of a bar chart: the largest and smallest bars, and those withheld. */
export function barSummary(bars: readonly Bar[], format: (n: number) => string): string {
  const shown = bars.filter((b): b is { label: string; value: number } => b.value !== null);
  if (bars.length === 0) return "Nessun dato.";
  const parts: string[] = [];
  if (shown.length) {
    const top = shown.reduce((a, b) => (b.value > a.value ? b : a));
    const low = shown.reduce((a, b) => (b.value < a.value ? b : a));
    parts.push(`Valore più alto: ${top.label}, ${format(top.value)}.`);
    if (low !== top) parts.push(`Valore più basso: ${low.label}, ${format(low.value)}.`);
  }
  const hidden = bars.filter((b) => b.value === null).map((b) => b.label);
  if (hidden.length) parts.push(`Non mostrati perché riferiti a meno di 5 pratiche: ${hidden.join(", ")}.`);
  return parts.join(" ");
}

export function BarChart({ id, title, bars, format = (n) => itNumber(n) }: { id: string; title: string; bars: Bar[]; format?: (n: number) => string }) {
  const row = 26;
  const labelWidth = Math.min(150, Math.max(40, ...bars.map((b) => textWidth(b.label)))) + 8;
  const valueWidth = Math.max(28, ...bars.map((b) => textWidth(b.value === null ? "< 5" : format(b.value)))) + 8;
  const span = CHART_WIDTH - labelWidth - valueWidth;
  const height = Math.max(1, bars.length) * row + 6;
  const { max, clipped } = robustMax(bars.map((b) => b.value ?? 0));
  const top = Math.max(max, 1);
  return (
    <>
      <ChartFrame id={id} title={title} summary={barSummary(bars, format)} height={height}>
        <line x1={labelWidth} x2={labelWidth} y1={0} y2={height - 4} stroke={INK} />
        {bars.map((b, i) => {
          const y = i * row + 3;
          const beyond = b.value !== null && b.value > top;
          const w = b.value === null ? 0 : Math.max(b.value > 0 ? 2 : 0, (Math.min(b.value, top) / top) * span);
          return (
            <g key={b.label}>
              <text x={labelWidth - 6} y={y + row / 2} textAnchor="end" dominantBaseline="middle" fill={INK}>
                {b.label.length > 22 ? `${b.label.slice(0, 21)}…` : b.label}
              </text>
              <rect x={labelWidth} y={y + 4} width={w} height={row - 8} fill={SERIES_COLORS[0]} />
              {beyond ? <path d={`M${labelWidth + w - 8},${y + 4} l6,${(row - 8) / 2} l-6,${(row - 8) / 2}`} fill="none" stroke="#fff" strokeWidth="2" /> : null}
              <text x={labelWidth + w + 5} y={y + row / 2} dominantBaseline="middle" fill={INK}>
                {b.value === null ? "< 5" : format(b.value)}
              </text>
            </g>
          );
        })}
      </ChartFrame>
      {clipped ? <p className="small mb-2">Le barre interrotte (›) superano la scala del grafico: il valore è scritto accanto.</p> : null}
    </>
  );
}

type Series = { name: string; values: (number | null)[] };

function Marker({ kind, x, y, color }: { kind: number; x: number; y: number; color: string }) {
  const s = 4;
  if (kind === 1) return <rect x={x - s} y={y - s} width={2 * s} height={2 * s} fill={color} />;
  if (kind === 2) return <path d={`M${x},${y - s - 1} L${x + s + 1},${y + s} L${x - s - 1},${y + s} Z`} fill={color} />;
  if (kind === 3) return <path d={`M${x},${y - s - 1} L${x + s + 1},${y} L${x},${y + s + 1} L${x - s - 1},${y} Z`} fill={color} />;
  return <circle cx={x} cy={y} r={s} fill={color} />;
}

/** The text summary of a line chart over weeks: per series its total and its peak week. */
export function lineSummary(labels: readonly string[], series: readonly Series[]): string {
  if (labels.length === 0) return "Nessun dato.";
  const parts = [`Settimane dal ${italianDate(labels[0]!)} al ${italianDate(labels[labels.length - 1]!)}.`];
  for (const s of series) {
    const shown = s.values.map((v, i) => [v, i] as const).filter((p): p is readonly [number, number] => p[0] !== null);
    if (!shown.length) {
      parts.push(`${s.name}: dati non mostrati.`);
      continue;
    }
    const total = shown.reduce((t, [v]) => t + v, 0);
    const [peak, at] = shown.reduce((a, b) => (b[0] > a[0] ? b : a));
    parts.push(`${s.name}: ${itNumber(total)} in tutto, al massimo ${itNumber(peak)} nella settimana del ${italianDate(labels[at]!)}.`);
  }
  return parts.join(" ");
}

/** Lines over weeks (ISO dates of Mondays); a withheld value (null) breaks its line. */
export function LineChart({ id, title, labels, series }: { id: string; title: string; labels: string[]; series: Series[] }) {
  const height = 230;
  const top = 12;
  const bottom = 30;
  const { max, clipped } = robustMax(series.flatMap((s) => s.values.map((v) => v ?? 0)));
  const { ticks, top: yTop } = niceTicks(max, 4);
  const left = Math.max(...ticks.map((t) => textWidth(itNumber(t)))) + 10;
  const years = new Set(labels.map((l) => l.slice(0, 4)));
  const withYear = years.size > 1;
  const label = (l: string) => shortDate(l, withYear);
  const labelW = textWidth(label(labels[0] ?? "2026-01-01"));
  const right = labelW / 2 + 4;
  const span = CHART_WIDTH - left - right;
  const every = labelEvery(labels.length, labelW, span);
  const x = (i: number) => left + (labels.length > 1 ? (i * span) / (labels.length - 1) : span / 2);
  const y = (v: number) => top + (height - top - bottom) * (1 - Math.min(v, yTop) / yTop);
  const beyond: string[] = [];
  return (
    <figure className="mb-3">
      <ChartFrame id={id} title={title} summary={lineSummary(labels, series)} height={height}>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={left} x2={CHART_WIDTH - right} y1={y(t)} y2={y(t)} stroke={GRID} />
            <text x={left - 5} y={y(t)} textAnchor="end" dominantBaseline="middle" fill={INK}>
              {itNumber(t)}
            </text>
          </g>
        ))}
        {labels.map((l, i) =>
          i % every === 0 ? (
            <text key={l} x={x(i)} y={height - bottom + 18} textAnchor="middle" fill={INK}>
              {label(l)}
            </text>
          ) : null,
        )}
        {series.map((s, k) => {
          const color = SERIES_COLORS[k % SERIES_COLORS.length]!;
          const runs: [number, number][][] = [[]];
          s.values.forEach((v, i) => {
            if (v === null) runs.push([]);
            else {
              runs[runs.length - 1]!.push([x(i), y(v)]);
              if (v > yTop) beyond.push(`${s.name}, settimana del ${italianDate(labels[i]!)}: ${itNumber(v)}`);
            }
          });
          const outliers = s.values.map((v, i) => (v !== null && v > yTop ? i : -1)).filter((i) => i >= 0);
          const last = s.values.reduce<number>((a, v, i) => (v === null ? a : i), -1);
          return (
            <g key={s.name}>
              {runs
                .filter((r) => r.length > 1)
                .map((r, j) => (
                  <polyline key={j} points={r.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join(" ")} fill="none" stroke={color} strokeWidth="2.5" strokeDasharray={DASHES[k % DASHES.length]} />
                ))}
              {runs
                .filter((r) => r.length === 1)
                .map((r, j) => (
                  <Marker key={`p${j}`} kind={k % 4} x={r[0]![0]} y={r[0]![1]} color={color} />
                ))}
              {last >= 0 ? <Marker kind={k % 4} x={x(last)} y={y(s.values[last]!)} color={color} /> : null}
              {outliers.map((i) => (
                <text key={`o${i}`} x={x(i)} y={top - 2} textAnchor="middle" fill={color} fontWeight="bold">
                  ▲
                </text>
              ))}
            </g>
          );
        })}
      </ChartFrame>
      <figcaption className="d-flex flex-wrap gap-3 small">
        {series.map((s, k) => (
          <span key={s.name}>
            <svg width="30" height="12" aria-hidden="true" className="me-1">
              <line x1="0" x2="30" y1="6" y2="6" stroke={SERIES_COLORS[k % SERIES_COLORS.length]} strokeWidth="3" strokeDasharray={DASHES[k % DASHES.length]} />
              <Marker kind={k % 4} x={15} y={6} color={SERIES_COLORS[k % SERIES_COLORS.length]!} />
            </svg>
            {s.name}
          </span>
        ))}
        {clipped && beyond.length ? <span className="w-100">Fuori scala (▲ in alto nel grafico): {beyond.join("; ")}.</span> : null}
      </figcaption>
    </figure>
  );
}

/**
 * Columns over consecutive steps (a click day's seconds around its opening): one column per
 * label, a label every few columns so none overlap; the table beside it carries the numbers.
 */
export function ColumnChart({ id, title, summary, labels, values }: { id: string; title: string; summary: string; labels: string[]; values: number[] }) {
  const height = 200;
  const top = 12;
  const bottom = 30;
  // Counts: at least 4 at the top, so the ticks stay whole numbers.
  const { ticks, top: yTop } = niceTicks(Math.max(4, ...values), 4);
  const left = Math.max(...ticks.map((t) => textWidth(itNumber(t)))) + 10;
  const labelW = Math.max(...labels.map((l) => textWidth(l)));
  const span = CHART_WIDTH - left - labelW / 2 - 4;
  const step = span / Math.max(1, labels.length);
  // Labels on round steps (0, 5, 10…: the opening always labelled) at least as far apart as they need.
  const every = [5, 10, 15, 20, 30, 60].find((k) => k >= labelEvery(labels.length, labelW, span)) ?? labels.length;
  const zero = Math.max(0, labels.indexOf("0"));
  const y = (v: number) => top + (height - top - bottom) * (1 - Math.min(v, yTop) / yTop);
  return (
    <ChartFrame id={id} title={title} summary={summary} height={height}>
      {ticks.map((t) => (
        <g key={t}>
          <line x1={left} x2={CHART_WIDTH - 2} y1={y(t)} y2={y(t)} stroke={GRID} />
          <text x={left - 6} y={y(t) + 4} textAnchor="end" fill={INK}>{itNumber(t)}</text>
        </g>
      ))}
      {values.map((v, i) => (v > 0 ? <rect key={i} x={left + i * step + step * 0.1} y={y(v)} width={Math.max(1, step * 0.8)} height={y(0) - y(v)} fill={SERIES_COLORS[0]} /> : null))}
      {labels.map((l, i) => ((i - zero) % every === 0 ? <text key={l} x={left + i * step + step / 2} y={height - 10} textAnchor="middle" fill={INK}>{l}</text> : null))}
    </ChartFrame>
  );
}
