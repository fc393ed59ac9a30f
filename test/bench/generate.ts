import { numericFiscalCodeCheckDigit } from "~/lib/fiscal-code";
import { seeded } from "~/demo/history";

const COMUNI = ["042002", "058091", "109006", "041044", "043023", "044007", "001272", "015146", "063049", "082053"];

export type Generated = { chunks: Buffer[]; size: number; records: number };

/**
 * A file of `n` practices of gestore `cf` in layout version 1. `step` 0 reports every practice
 * PRESENTATA; step 1 moves each one state forward (to IN_ISTRUTTORIA).
 */
export function generateFile(opts: { n: number; cf: string; measure: string; step: 0 | 1; seed: number; ref: string; id: string }): Generated {
  const chunks: Buffer[] = [];
  let buf: string[] = [`T|1|${opts.cf}|${opts.ref}|${opts.id}`];
  let size = 0;
  let totalCents = 0;
  const flush = () => {
    const b = Buffer.from(buf.join("\n") + "\n");
    chunks.push(b);
    size += b.length;
    buf = [];
  };
  for (let i = 0; i < opts.n; i++) {
    const r = seeded(opts.seed * 7919 + i);
    const body = String(1_000_000_000 + Math.floor(r() * 899_999_999)).slice(0, 10);
    const cf = body + numericFiscalCodeCheckDigit(body);
    const cents = 100_000 + Math.floor(r() * 50_000_000);
    totalCents += cents;
    const amount = `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, "0")}`;
    const comune = COMUNI[Math.floor(r() * COMUNI.length)]!;
    const state = opts.step === 0 ? "PRESENTATA|02/01/2020" : "IN_ISTRUTTORIA|15/02/2020";
    buf.push(`D|P${String(i).padStart(8, "0")}|${opts.measure}|${cf}|Impresa ${i} S.r.l.|${comune}|02/01/2020|${state}|${amount}|||`);
    if (buf.length >= 20_000) flush();
  }
  buf.push(`C|${opts.n}|${Math.floor(totalCents / 100)},${String(totalCents % 100).padStart(2, "0")}`);
  flush();
  return { chunks, size, records: opts.n };
}
