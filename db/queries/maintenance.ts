import { lt, or } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { samlRequests, sessions } from "../schema";
import { purgeRateLimitHits } from "./counters";

/**
 * Removes sessions past either time-out, AuthnRequest ids past their time to live (answered or
 * not: an unanswered one can no longer be used) and rate-limit windows long closed.
 */
export async function purgeStaleAuthState(db: DbOrTx, opts: { idleMs: number; samlRequestTtlMs: number; now?: Date }) {
  const now = opts.now ?? new Date();
  const purgedSessions = await db
    .delete(sessions)
    .where(or(lt(sessions.expiresAt, now), lt(sessions.lastSeenAt, new Date(now.getTime() - opts.idleMs))))
    .returning({ id: sessions.idHash });
  const purgedRequests = await db
    .delete(samlRequests)
    .where(lt(samlRequests.createdAt, new Date(now.getTime() - opts.samlRequestTtlMs)))
    .returning({ id: samlRequests.id });
  // Windows last at most an hour (the public help-desk form's): keep two.
  const rateLimitWindows = await purgeRateLimitHits(db, new Date(now.getTime() - 2 * 3_600_000));
  return { sessions: purgedSessions.length, samlRequests: purgedRequests.length, rateLimitWindows };
}
