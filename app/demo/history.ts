import { italianDate } from "~/lib/dates";
import { numericFiscalCodeCheckDigit } from "~/lib/fiscal-code";
import { directMoves } from "~workflows/practice-graph";
import type { PracticeState } from "~workflows/practice.machine";

/** Deterministic pseudo-random numbers (mulberry32), so every fresh demo and benchmark is the same. */
export function seeded(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COMUNI = ["042002", "042010", "041044", "043023", "044007", "109006", "058091", "001272", "015146", "037006", "048017", "063049"];
const NAMES = ["Meccanica", "Servizi", "Turismo", "Edilizia", "Alimentari", "Tessile", "Logistica", "Digitale", "Agricola", "Commercio"];
const FORMS = ["S.r.l.", "S.p.A.", "soc. coop.", "S.n.c.", "S.a.s."];
const WEIGHTS: Partial<Record<PracticeState, Partial<Record<PracticeState, number>>>> = {
  PRESENTATA: { IN_ISTRUTTORIA: 0.6, NON_AMMESSA: 0.05, RINUNCIATA: 0.03 },
  IN_ISTRUTTORIA: { DELIBERATA: 0.35, SOSPESA: 0.12, NON_AMMESSA: 0.08, RINUNCIATA: 0.02 },
  SOSPESA: { IN_ISTRUTTORIA: 0.45, NON_AMMESSA: 0.05, RINUNCIATA: 0.05 },
  DELIBERATA: { EROGATA: 0.5, RINUNCIATA: 0.02, REVOCATA: 0.01 },
  EROGATA: { REVOCATA: 0.005 },
};

type Practice = { code: string; measure: string; cf: string; name: string; comune: string; submitted: string; state: PracticeState; date: string; requested: number; approved: number | null; disbursed: number | null };

const money = (cents: number) => `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, "0")}`;

/**
 * Monthly files for one demo gestore: new applications every month, older ones moving through the
 * machine's own moves, only what changed reported. `broken` months are sent first with an error
 * (and then corrected), so the demo shows rejected files too.
 */
export function demoHistoryFiles(opts: { cf: string; measures: string[]; seed: number; months: string[]; perMonth: number; broken: number[] }) {
  const random = seeded(opts.seed);
  const moves = directMoves();
  const practices: Practice[] = [];
  const files: { name: string; content: string }[] = [];
  opts.months.forEach((month, m) => {
    const [y, mo] = month.split("-").map(Number) as [number, number];
    const lastDay = new Date(Date.UTC(y, mo, 0)).getUTCDate();
    const day = (d: number) => `${month}-${String(Math.min(d, lastDay)).padStart(2, "0")}`;
    const changed = new Set<Practice>();
    for (const p of practices) {
      const weights = WEIGHTS[p.state];
      if (!weights) continue;
      let r = random();
      for (const next of moves.get(p.state) ?? []) {
        const w = weights[next] ?? 0;
        if (r < w) {
          p.state = next;
          p.date = day(1 + Math.floor(random() * 27));
          if (next === "DELIBERATA") p.approved = Math.round(p.requested * (0.6 + random() * 0.4));
          if (next === "EROGATA") p.disbursed = p.approved;
          changed.add(p);
          break;
        }
        r -= w;
      }
    }
    for (let i = 0; i < opts.perMonth; i++) {
      const body = String(1_000_000_000 + Math.floor(random() * 8_999_999_999)).slice(0, 10);
      const submitted = day(1 + Math.floor(random() * 27));
      const p: Practice = {
        code: `${month.replace("-", "")}-${String(i + 1).padStart(4, "0")}`,
        measure: opts.measures[Math.floor(random() * opts.measures.length)]!,
        cf: body + numericFiscalCodeCheckDigit(body),
        name: `${NAMES[Math.floor(random() * NAMES.length)]} ${String.fromCharCode(65 + Math.floor(random() * 26))}${i} ${FORMS[Math.floor(random() * FORMS.length)]}`,
        comune: COMUNI[Math.floor(random() * COMUNI.length)]!,
        submitted,
        state: "PRESENTATA",
        date: submitted,
        requested: (5_000 + Math.floor(random() * 195_000)) * 100,
        approved: null,
        disbursed: null,
      };
      practices.push(p);
      changed.add(p);
    }
    const lines = [...changed].map(
      (p) =>
        `D|${p.code}|${p.measure}|${p.cf}|${p.name}|${p.comune}|${italianDate(p.submitted)}|${p.state}|${italianDate(p.date)}|${money(p.requested)}|${p.approved === null ? "" : money(p.approved)}|${p.disbursed === null ? "" : money(p.disbursed)}|`,
    );
    const total = [...changed].reduce((s, p) => s + p.requested, 0);
    const file = (id: string, body: string[]) => [`T|1|${opts.cf}|${italianDate(day(31))}|${id}`, ...body, `C|${body.length}|${money(total)}`].join("\n") + "\n";
    if (opts.broken.includes(m)) {
      const wrong = [...lines];
      wrong[0] = wrong[0]!.replace(/\|\d{6}\|/, "|999999|");
      files.push({ name: `flusso-${month}-errato.txt`, content: file(`${month}-A`, wrong) });
    }
    files.push({ name: `flusso-${month}.txt`, content: file(`${month}-${opts.broken.includes(m) ? "B" : "A"}`, lines) });
  });
  return files;
}
