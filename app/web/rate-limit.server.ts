import crypto from "node:crypto";
import type express from "express";
import { log } from "~/lib/logger.server";
import { getDb } from "~db/client";
import { countHit } from "~db/queries/counters";
import { refuse } from "./respond.server";

const WINDOW_MS = 60_000;

/**
 * The counters a request is charged to: its address on /auth/* and on the local sign-in pages
 * (/accesso-locale/*, ADR 0067), its address and its token on /api/v1/*.
 */
export function rateLimitKeys(path: string, ip: string, authorization: string | undefined): { key: string; limit: "auth" | "api" }[] {
  if (path.startsWith("/auth/") || path.startsWith("/accesso-locale/")) return [{ key: `auth:ip:${ip}`, limit: "auth" }];
  if (!path.startsWith("/api/v1/")) return [];
  const keys: { key: string; limit: "auth" | "api" }[] = [{ key: `api:ip:${ip}`, limit: "api" }];
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1];
  // Only a hash of the token is kept, as for the tokens themselves.
  if (token) keys.push({ key: `api:token:${crypto.createHash("sha256").update(token).digest("hex")}`, limit: "api" });
  return keys;
}

export type Counted = { key: string; limit: number; windowMs: number };

/**
 * Counts one hit on each key (fixed windows in PostgreSQL, shared by every web process,
 * docs/decisions/0042) and returns the seconds until the latest exceeded window ends, 0 when
 * none is exceeded. The one rate-limit check: the middleware below and the public help-desk form.
 */
export async function secondsOverLimit(counted: Counted[], now = new Date()): Promise<number> {
  let retryAt = 0;
  for (const { key, limit, windowMs } of counted) {
    const { hits, windowEnd } = await countHit(getDb(), key, windowMs, now);
    if (hits > limit) retryAt = Math.max(retryAt, windowEnd.getTime());
  }
  return retryAt ? Math.max(1, Math.ceil((retryAt - now.getTime()) / 1000)) : 0;
}

/**
 * Fixed one-minute windows counted in PostgreSQL, so every web process behind a load balancer
 * shares them (docs/decisions/0042). Over the limit: 429 with Retry-After, before the route runs.
 */
export function rateLimit(limits: { authPerMinute: number; apiPerMinute: number }): express.RequestHandler {
  return async (req, res, next) => {
    const keys = rateLimitKeys(req.path, req.ip ?? "", req.get("authorization"));
    if (keys.length === 0) return next();
    try {
      const seconds = await secondsOverLimit(
        keys.map(({ key, limit }) => ({ key, windowMs: WINDOW_MS, limit: limit === "auth" ? limits.authPerMinute : limits.apiPerMinute })),
      );
      if (!seconds) return next();
      refuse(req, res, 429, "TOO_MANY_REQUESTS", `Troppe richieste: riprovare tra ${seconds} secondi.`, { "Retry-After": String(seconds) });
    } catch (e) {
      // The limiter must not take the service down with it: log and let the request through.
      log.error("rate limit check failed", { error: (e as Error).message });
      next();
    }
  };
}
