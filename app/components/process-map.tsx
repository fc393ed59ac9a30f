import type { ProcessMap } from "~/monitoring/process-map";
import { labelWidth, MAP_HEIGHT, MAP_WIDTH } from "~/monitoring/process-map";
import { CHART_FONT } from "./chart-scale";

const PATH_COLOR = "#0066CC";
const OTHER_COLOR = "#5C6F82";

/**
 * The process map as SVG (docs/decisions/0056). Not one image: each box and arrow is a link to
 * its practices (when the viewer may see them), so the drawing is a group of links with a title
 * and a summary; the table beside it carries every number.
 */
export function ProcessMapView({ map }: { map: ProcessMap }) {
  return (
    <div className="process-map-scroll">
      <svg
        viewBox={`0 0 ${MAP_WIDTH} ${MAP_HEIGHT}`}
        className="process-map"
        role="group"
        aria-labelledby="pm-title"
        aria-describedby="pm-desc"
        data-testid="process-map"
        fontSize={CHART_FONT + 1}
        fontFamily="'Titillium Web', Geneva, Tahoma, sans-serif"
      >
        <title id="pm-title">Mappa del processo delle pratiche</title>
        <desc id="pm-desc">{map.summary}</desc>
        <defs>
          <marker id="pm-head-path" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 Z" fill={PATH_COLOR} />
          </marker>
          <marker id="pm-head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 Z" fill={OTHER_COLOR} />
          </marker>
        </defs>
        {map.arrows.map((a) => {
          const body = (
            <g data-testid={`pm-arrow-${a.from}-${a.to}`}>
              <path
                d={a.d}
                fill="none"
                stroke={a.highlighted ? PATH_COLOR : OTHER_COLOR}
                strokeWidth={a.width}
                strokeDasharray={a.highlighted ? undefined : "8 5"}
                markerEnd={`url(#${a.highlighted ? "pm-head-path" : "pm-head"})`}
              />
              <rect x={a.labelX - labelWidth(a.text) / 2} y={a.labelY - 11} width={labelWidth(a.text)} height={22} rx={4} fill="#fff" stroke={a.highlighted ? PATH_COLOR : OTHER_COLOR} />
              <text x={a.labelX} y={a.labelY} textAnchor="middle" dominantBaseline="middle" fill="#1a1a1a" fontWeight={a.highlighted ? 700 : 400}>
                {a.text}
              </text>
            </g>
          );
          return a.href ? (
            <a key={`${a.from}-${a.to}`} href={a.href} aria-label={a.ariaLabel}>
              {body}
            </a>
          ) : (
            <g key={`${a.from}-${a.to}`} role="img" aria-label={a.ariaLabel}>
              {body}
            </g>
          );
        })}
        {map.boxes.map((b) => {
          const body = (
            <g data-testid={`pm-box-${b.state}`}>
              <rect
                className="pm-box"
                x={b.x - b.w / 2}
                y={b.y - b.h / 2}
                width={b.w}
                height={b.h}
                rx={8}
                fill={b.highlighted ? "#E6F0FA" : "#fff"}
                stroke={b.highlighted ? PATH_COLOR : OTHER_COLOR}
                strokeWidth={b.highlighted ? 3 : 1.5}
                strokeDasharray={b.text.startsWith("0 ") ? "4 3" : undefined}
              />
              {/* One text with a space between its lines, so the link's visible text reads as its name does. */}
              <text textAnchor="middle" fill="#1a1a1a">
                <tspan x={b.x} y={b.y - 9} fontWeight={700}>
                  {b.label}
                </tspan>
                <tspan x={b.x} y={b.y + 13}>{` ${b.text}`}</tspan>
              </text>
            </g>
          );
          return b.href ? (
            <a key={b.state} href={b.href} aria-label={b.ariaLabel}>
              {body}
            </a>
          ) : (
            <g key={b.state} role="img" aria-label={b.ariaLabel}>
              {body}
            </g>
          );
        })}
      </svg>
    </div>
  );
}
