import http from "node:http";
import { percentile } from "./web";

export type LoadResult = { requests: number; errors: number; rps: number; p50: number; p95: number; seconds: number };

/**
 * A bounded load client: `connections` keep-alive connections to 127.0.0.1, each sending the next
 * request as soon as the previous answer is read, for `seconds`. Counts only complete 200 answers
 * (anything else is an error, and the first one is reported); times are from send to last byte.
 */
export async function load(url: string, opts: { cookie?: string; connections: number; seconds: number; expect?: string }): Promise<LoadResult> {
  const target = new URL(url);
  if (target.hostname !== "127.0.0.1") throw new Error("the load client talks to 127.0.0.1 only");
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.connections });
  const times: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  const until = performance.now() + opts.seconds * 1000;
  const one = () =>
    new Promise<void>((resolve) => {
      const started = performance.now();
      const req = http.get(target, { agent, headers: opts.cookie ? { cookie: opts.cookie } : {} }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const ok = res.statusCode === 200 && (!opts.expect || Buffer.concat(chunks).includes(opts.expect));
          if (ok) times.push(performance.now() - started);
          else {
            errors++;
            firstError ??= `HTTP ${res.statusCode}${res.statusCode === 200 ? ` without "${opts.expect}"` : ""}`;
          }
          resolve();
        });
      });
      req.on("error", (e) => {
        errors++;
        firstError ??= e.message;
        resolve();
      });
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: opts.connections }, async () => {
      while (performance.now() < until) await one();
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  if (errors) console.error(`  ${errors} failed requests to ${target.pathname}${target.search}: first ${firstError}`);
  return { requests: times.length, errors, rps: times.length / seconds, p50: percentile(times, 50), p95: percentile(times, 95), seconds };
}
