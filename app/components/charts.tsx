/**
 * Hand-written SVG charts (docs/decisions/0022): rendered on the server like any markup, no
 * browser-only dependency, no script. Each chart sits beside its table, which carries the same
 * numbers for screen readers and for copying; the chart itself is one labelled image.
 */

export const SERIES_COLORS = ["#0066CC", "#008055", "#C0392B", "#995C00"];

type Bar = { label: string; value: number | null };

export function BarChart({ id, title, bars, format = (n) => n.toLocaleString("it-IT") }: { id: string; title: string; bars: Bar[]; format?: (n: number) => string }) {
  const labelWidth = 190;
  const width = 640;
  const row = 30;
  const height = Math.max(1, bars.length) * row + 10;
  const max = Math.max(1, ...bars.map((b) => b.value ?? 0));
  const span = width - labelWidth - 110;
  return (
    <svg role="img" aria-labelledby={`${id}-title`} viewBox={`0 0 ${width} ${height}`} width="100%" className="chart" data-testid={`chart-${id}`}>
      <title id={`${id}-title`}>{title}</title>
      {bars.map((b, i) => {
        const y = i * row + 5;
        const w = b.value === null ? 0 : Math.max(b.value > 0 ? 2 : 0, (b.value / max) * span);
        return (
          <g key={b.label}>
            <text x={labelWidth - 8} y={y + row / 2} textAnchor="end" dominantBaseline="middle" fontSize="14" fill="#1a1a1a">
              {b.label}
            </text>
            <rect x={labelWidth} y={y + 4} width={w} height={row - 8} fill={SERIES_COLORS[0]} />
            <text x={labelWidth + w + 6} y={y + row / 2} dominantBaseline="middle" fontSize="14" fill="#1a1a1a">
              {b.value === null ? "< 5" : format(b.value)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

type Series = { name: string; values: (number | null)[] };

/** Lines over weeks; a withheld value (null) breaks its line. */
export function LineChart({ id, title, labels, series }: { id: string; title: string; labels: string[]; series: Series[] }) {
  const width = 640;
  const height = 260;
  const left = 48;
  const bottom = 40;
  const top = 10;
  const right = 10;
  const max = Math.max(1, ...series.flatMap((s) => s.values.map((v) => v ?? 0)));
  const step = labels.length > 1 ? (width - left - right) / (labels.length - 1) : 0;
  const x = (i: number) => left + (labels.length > 1 ? i * step : (width - left - right) / 2);
  const y = (v: number) => top + (height - top - bottom) * (1 - v / max);
  const ticks = [0, Math.round(max / 2), max];
  const every = Math.max(1, Math.ceil(labels.length / 8));
  return (
    <figure className="mb-3">
      <svg role="img" aria-labelledby={`${id}-title`} viewBox={`0 0 ${width} ${height}`} width="100%" className="chart" data-testid={`chart-${id}`}>
        <title id={`${id}-title`}>{title}</title>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={left} x2={width - right} y1={y(t)} y2={y(t)} stroke="#d9d9d9" />
            <text x={left - 6} y={y(t)} textAnchor="end" dominantBaseline="middle" fontSize="12" fill="#1a1a1a">
              {t.toLocaleString("it-IT")}
            </text>
          </g>
        ))}
        {labels.map((l, i) =>
          i % every === 0 ? (
            <text key={l} x={x(i)} y={height - bottom + 18} textAnchor="middle" fontSize="12" fill="#1a1a1a">
              {l.slice(8, 10)}/{l.slice(5, 7)}
            </text>
          ) : null,
        )}
        {series.map((s, k) => {
          const runs: string[][] = [[]];
          s.values.forEach((v, i) => {
            if (v === null) runs.push([]);
            else runs[runs.length - 1]!.push(`${x(i).toFixed(1)},${y(v).toFixed(1)}`);
          });
          return (
            <g key={s.name}>
              {runs
                .filter((r) => r.length)
                .map((r, j) =>
                  r.length === 1 ? (
                    <circle key={j} cx={r[0]!.split(",")[0]} cy={r[0]!.split(",")[1]} r="3" fill={SERIES_COLORS[k % SERIES_COLORS.length]} />
                  ) : (
                    <polyline key={j} points={r.join(" ")} fill="none" stroke={SERIES_COLORS[k % SERIES_COLORS.length]} strokeWidth="2.5" strokeDasharray={k % 2 ? "6 3" : undefined} />
                  ),
                )}
            </g>
          );
        })}
      </svg>
      <figcaption className="d-flex flex-wrap gap-3 small">
        {series.map((s, k) => (
          <span key={s.name}>
            <svg width="24" height="10" aria-hidden="true">
              <line x1="0" x2="24" y1="5" y2="5" stroke={SERIES_COLORS[k % SERIES_COLORS.length]} strokeWidth="3" strokeDasharray={k % 2 ? "6 3" : undefined} />
            </svg>{" "}
            {s.name}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
