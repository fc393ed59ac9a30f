import { lt, or } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { samlRequests, sessions } from "../schema";

/** Removes sessions past either time-out and AuthnRequest ids too old to be answered. */
export async function purgeStaleAuthState(db: DbOrTx, opts: { idleMs: number; now?: Date }) {
  const now = opts.now ?? new Date();
  const purgedSessions = await db
    .delete(sessions)
    .where(or(lt(sessions.expiresAt, now), lt(sessions.lastSeenAt, new Date(now.getTime() - opts.idleMs))))
    .returning({ id: sessions.idHash });
  const purgedRequests = await db
    .delete(samlRequests)
    .where(lt(samlRequests.createdAt, new Date(now.getTime() - 24 * 3_600_000)))
    .returning({ id: samlRequests.id });
  return { sessions: purgedSessions.length, samlRequests: purgedRequests.length };
}
