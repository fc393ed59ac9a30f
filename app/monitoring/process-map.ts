import { itNumber } from "~/components/chart-scale";
import { STATE_LABELS } from "~/components/labels";
import type { MonitoringFilter, PracticeStateValue } from "~db/queries/monitoring";
import type { ProcessMapFigures } from "~db/queries/process-map";
import { linker, type Cell, type DataTable } from "./tables";

/**
 * The process map's drawing (docs/decisions/0056), computed as plain geometry so the component
 * only paints it and tests can check it: one box per state, sized by the practices that passed
 * through it, placed as the practice machine flows (left to right: submitted, under review,
 * decided, paid); one curved arrow per observed move, as thick as its practices; the most
 * frequent path highlighted. Pure: no I/O.
 */
export const MAP_WIDTH = 1200;
export const MAP_HEIGHT = 580;

/**
 * Centres of the boxes: columns follow the machine's order (submitted, under review, decided,
 * paid or revoked); rows keep every arrow clear of the boxes it does not join.
 */
const PLACES: Record<PracticeStateValue, [number, number]> = {
  PRESENTATA: [120, 240],
  IN_ISTRUTTORIA: [470, 240],
  SOSPESA: [470, 480],
  DELIBERATA: [800, 80],
  NON_AMMESSA: [790, 340],
  EROGATA: [1080, 80],
  REVOCATA: [1080, 260],
  RINUNCIATA: [1080, 500],
};

export type MapBox = {
  state: PracticeStateValue;
  label: string;
  x: number;
  y: number;
  w: number;
  h: number;
  text: string;
  highlighted: boolean;
  href: string | null;
  ariaLabel: string;
};
export type MapArrow = {
  from: PracticeStateValue;
  to: PracticeStateValue;
  d: string;
  width: number;
  labelX: number;
  labelY: number;
  text: string;
  highlighted: boolean;
  href: string | null;
  ariaLabel: string;
};
export type ProcessMap = { boxes: MapBox[]; arrows: MapArrow[]; summary: string; pathText: string | null; tables: { stati: DataTable; passaggi: DataTable } };

const label = (s: PracticeStateValue) => STATE_LABELS[s] ?? s;
const practicesText = (n: number | null) => (n === null ? "< 5 pratiche" : n === 1 ? "1 pratica" : `${itNumber(n)} pratiche`);
const daysText = (d: number | null) => (d === null ? "" : `${itNumber(d, 1)} gg`);

/** The width of an arrow's label box at the map's font size (no DOM to measure on the server). */
export const labelWidth = (text: string) => text.length * 8.8 + 8;

type Rect = { x: number; y: number; w: number; h: number };
const overlaps = (p: Rect, q: Rect) => p.x < q.x + q.w + 3 && q.x < p.x + p.w + 3 && p.y < q.y + q.h + 3 && q.y < p.y + p.h + 3;

/** Where the segment from a box's centre towards (tx, ty) leaves the box. */
function exitPoint(b: { x: number; y: number; w: number; h: number }, tx: number, ty: number): [number, number] {
  const dx = tx - b.x;
  const dy = ty - b.y;
  if (dx === 0 && dy === 0) return [b.x, b.y];
  const t = Math.min(dx === 0 ? Infinity : b.w / 2 / Math.abs(dx), dy === 0 ? Infinity : b.h / 2 / Math.abs(dy));
  return [b.x + dx * t, b.y + dy * t];
}

export function processMap(f: MonitoringFilter, figures: ProcessMapFigures): ProcessMap {
  const link = linker(f, figures);
  const max = Math.max(1, ...figures.nodes.map((n) => n.practices ?? 0));
  const onPath = new Set<string>();
  const pathStates = new Set<PracticeStateValue>(figures.topPath?.states ?? []);
  figures.topPath?.states.forEach((s, i, all) => i > 0 && onPath.add(`${all[i - 1]}>${s}`));

  const boxes: MapBox[] = (Object.keys(PLACES) as PracticeStateValue[]).map((state) => {
    const node = figures.nodes.find((n) => n.state === state);
    const n = node ? node.practices : 0;
    const share = Math.sqrt((n ?? 1) / max);
    const [x, y] = PLACES[state];
    const href = n ? link.cohort({ event: state }) : null;
    return {
      state,
      label: label(state),
      x,
      y,
      w: 150 + 40 * share,
      h: 44 + 36 * share,
      text: practicesText(n),
      highlighted: pathStates.has(state),
      href,
      // Starts with the visible text, as speech-input users say what they see.
      ariaLabel: `${label(state)} ${practicesText(n)}, passate da questo stato${href ? ": apri l'elenco" : ""}`,
    };
  });
  const boxOf = (s: PracticeStateValue) => boxes.find((b) => b.state === s)!;

  const maxEdge = Math.max(1, ...figures.edges.map((e) => e.practices ?? 0));
  // Labels are placed busiest arrow first, each at the first spot along its curve that covers
  // no box and no label already placed.
  const taken: Rect[] = boxes.map((b) => ({ x: b.x - b.w / 2, y: b.y - b.h / 2, w: b.w, h: b.h }));
  const arrows: MapArrow[] = [...figures.edges]
    .sort((x, y) => (y.practices ?? 0) - (x.practices ?? 0))
    .map((e) => {
      const a = boxOf(e.from);
      const b = boxOf(e.to);
      // A curve bending to the right of its direction: the two directions of a pair never overlap.
      const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
      const bend = Math.min(60, 0.18 * len);
      const nx = -(b.y - a.y) / len;
      const ny = (b.x - a.x) / len;
      const cx = (a.x + b.x) / 2 + nx * bend;
      const cy = (a.y + b.y) / 2 + ny * bend;
      const [sx, sy] = exitPoint(a, cx, cy);
      const [ex, ey] = exitPoint(b, cx, cy);
      const days = daysText(e.medianDays);
      const text: string = e.practices === null ? "< 5" : `${itNumber(e.practices)}${days ? ` · ${days}` : ""}`;
      const href = e.practices ? link.cohort({ event: e.to, eventFrom: e.from }) : null;
      const w = labelWidth(text);
      const at = (t: number, out: number): Rect => {
        const px = (1 - t) ** 2 * sx + 2 * (1 - t) * t * cx + t ** 2 * ex + nx * out;
        const py = (1 - t) ** 2 * sy + 2 * (1 - t) * t * cy + t ** 2 * ey + ny * out;
        return { x: px - w / 2, y: py - 11, w, h: 22 };
      };
      const candidates = [0.5, 0.38, 0.62, 0.28, 0.72].flatMap((t) => [at(t, 0), at(t, Math.abs(nx) * (w / 2) + Math.abs(ny) * 11 + 2), at(t, -(Math.abs(nx) * (w / 2) + Math.abs(ny) * 11 + 2))]);
      const spot = candidates.find((c) => !taken.some((r) => overlaps(r, c))) ?? candidates[1]!;
      taken.push(spot);
      return {
        from: e.from,
        to: e.to,
        d: `M${sx.toFixed(1)},${sy.toFixed(1)} Q${cx.toFixed(1)},${cy.toFixed(1)} ${ex.toFixed(1)},${ey.toFixed(1)}`,
        width: 1.5 + 6 * Math.sqrt((e.practices ?? 1) / maxEdge),
        labelX: spot.x + w / 2,
        labelY: spot.y + 11,
        text,
        highlighted: onPath.has(`${e.from}>${e.to}`),
        href,
        ariaLabel: `${text}: da ${label(e.from)} a ${label(e.to)}, ${practicesText(e.practices)}${e.medianDays === null ? "" : `, mediana ${itNumber(e.medianDays, 1)} giorni in ${label(e.from)}`}${href ? ": apri l'elenco" : ""}`,
      };
    });

  const cohort = figures.cohort;
  const pathText = figures.topPath
    ? `${figures.topPath.states.map(label).join(" → ")}: ${practicesText(figures.topPath.practices)}${cohort ? ` (${itNumber((100 * figures.topPath.practices) / cohort, 1)}% delle pratiche)` : ""}`
    : null;
  const busiest = [...figures.edges].filter((e) => e.practices !== null).sort((x, y) => y.practices! - x.practices!)[0];
  const summary = [
    `Mappa del processo di ${practicesText(cohort)}.`,
    pathText ? `Percorso più frequente: ${pathText}.` : "Nessun percorso abbastanza frequente da mostrare.",
    busiest ? `Passaggio più frequente: da ${label(busiest.from)} a ${label(busiest.to)}, ${practicesText(busiest.practices)}.` : "",
    "La tabella sotto la mappa riporta tutti i valori.",
  ]
    .filter(Boolean)
    .join(" ");

  return { boxes, arrows, summary, pathText, tables: processTables(f, figures, onPath) };
}

/** The map's accessible alternative, also downloadable: states, then moves. */
function processTables(f: MonitoringFilter, figures: ProcessMapFigures, onPath: Set<string>): { stati: DataTable; passaggi: DataTable } {
  const link = linker(f, figures);
  const count = (n: number | null): Cell => (n === null ? { suppressed: true } : n);
  const order = Object.keys(PLACES) as PracticeStateValue[];
  const nodes = [...figures.nodes].sort((a, b) => order.indexOf(a.state) - order.indexOf(b.state));
  const edges = [...figures.edges].sort((a, b) => order.indexOf(a.from) - order.indexOf(b.from) || order.indexOf(a.to) - order.indexOf(b.to));
  return {
    stati: {
      id: "processo-stati",
      title: "Mappa del processo: pratiche passate da ogni stato",
      head: ["Stato", "Pratiche passate", "Di cui comunicate per la prima volta in questo stato"],
      rows: nodes.map((n) => [label(n.state), count(n.practices), count(n.started)]),
      links: nodes.map((n) => [null, n.practices ? link.cohort({ event: n.state }) : null, null]),
    },
    passaggi: {
      id: "processo-passaggi",
      title: "Mappa del processo: passaggi tra stati",
      head: ["Da", "A", "Pratiche", "Giorni nello stato di partenza (mediana)", "Nel percorso più frequente"],
      rows: edges.map((e) => [label(e.from), label(e.to), count(e.practices), e.practices === null ? { suppressed: true } : e.medianDays === null ? null : { days: e.medianDays }, onPath.has(`${e.from}>${e.to}`) ? "sì" : "no"]),
      links: edges.map((e) => [null, null, e.practices ? link.cohort({ event: e.to, eventFrom: e.from }) : null, null, null]),
    },
  };
}
