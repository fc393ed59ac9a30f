/**
 * Fixed one-minute windows counted in this process's memory (docs/decisions/0097): for limits on
 * a path that must stay cheap at its peak (the click day's send), where a database counter per
 * request (ADR 42's limiter) would add a write and a hot row to every send. Behind several web
 * processes each counts its own share.
 */
export function windowCounter(windowMs = 60_000) {
  let windowStart = 0;
  let hits = new Map<string, number>();
  return {
    /** Counts one hit of `key`; returns how many it has in the current window and when that ends. */
    hit(key: string, now = Date.now()) {
      const start = now - (now % windowMs);
      if (start !== windowStart) {
        windowStart = start;
        hits = new Map();
      }
      const n = (hits.get(key) ?? 0) + 1;
      hits.set(key, n);
      return { hits: n, windowEnd: start + windowMs };
    },
  };
}
