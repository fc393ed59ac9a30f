import { lt, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { failureCounts, rateLimitHits } from "../schema";

export function windowStartOf(now: Date, windowMs: number) {
  return new Date(Math.floor(now.getTime() / windowMs) * windowMs);
}

/** Counts one request for `key` in the current fixed window; returns the count so far. */
export async function countHit(db: DbOrTx, key: string, windowMs: number, now = new Date()) {
  const windowStart = windowStartOf(now, windowMs);
  const [row] = await db
    .insert(rateLimitHits)
    .values({ key, windowStart, hits: 1 })
    .onConflictDoUpdate({ target: [rateLimitHits.key, rateLimitHits.windowStart], set: { hits: sql`${rateLimitHits.hits} + 1` } })
    .returning({ hits: rateLimitHits.hits });
  return { hits: row!.hits, windowEnd: new Date(windowStart.getTime() + windowMs) };
}

/** Counts one anonymous failure in its hour; returns how many there were so far in that hour. */
export async function countFailure(db: DbOrTx, input: { action: string; reason: string; ip: string }, windowMs: number, now = new Date()) {
  const windowStart = windowStartOf(now, windowMs);
  const [row] = await db
    .insert(failureCounts)
    .values({ ...input, windowStart, count: 1 })
    .onConflictDoUpdate({
      target: [failureCounts.action, failureCounts.reason, failureCounts.ip, failureCounts.windowStart],
      set: { count: sql`${failureCounts.count} + 1` },
    })
    .returning({ count: failureCounts.count });
  return row!.count;
}

/** Removes and returns the failure counts of windows that ended before `before`. */
export async function takeClosedFailureCounts(db: DbOrTx, before: Date) {
  return db.delete(failureCounts).where(lt(failureCounts.windowStart, before)).returning();
}

export async function purgeRateLimitHits(db: DbOrTx, before: Date) {
  const gone = await db.delete(rateLimitHits).where(lt(rateLimitHits.windowStart, before)).returning({ key: rateLimitHits.key });
  return gone.length;
}

