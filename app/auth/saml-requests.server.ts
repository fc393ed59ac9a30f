import type { CacheProvider } from "@node-saml/node-saml";
import { and, eq, gt, isNull } from "drizzle-orm";
import type { DbOrTx } from "~db/client";
import { getDb } from "~db/client";
import { samlRequests } from "~db/schema";

export const SAML_REQUEST_TTL_MS = 10 * 60_000;

/**
 * node-saml's cache of issued AuthnRequest ids, kept in PostgreSQL so any web instance can
 * validate the answer. node-saml's own removeAsync runs before we know the sign-in succeeded
 * and its result is ignored, so single use is enforced by `claimSamlRequest` instead.
 */
export function samlRequestCache(db: () => DbOrTx = getDb): CacheProvider {
  return {
    async saveAsync(key, value) {
      await db().insert(samlRequests).values({ id: key, value }).onConflictDoNothing();
      return { value, createdAt: Date.now() };
    },
    async getAsync(key) {
      const [row] = await db()
        .select({ value: samlRequests.value })
        .from(samlRequests)
        .where(
          and(
            eq(samlRequests.id, key),
            isNull(samlRequests.claimedAt),
            gt(samlRequests.createdAt, new Date(Date.now() - SAML_REQUEST_TTL_MS)),
          ),
        );
      return row?.value ?? null;
    },
    async removeAsync() {
      return null;
    },
  };
}

/** True for exactly one caller per request id: the first to answer it. */
export async function claimSamlRequest(db: DbOrTx, id: string): Promise<boolean> {
  const claimed = await db
    .update(samlRequests)
    .set({ claimedAt: new Date() })
    .where(
      and(
        eq(samlRequests.id, id),
        isNull(samlRequests.claimedAt),
        gt(samlRequests.createdAt, new Date(Date.now() - SAML_REQUEST_TTL_MS)),
      ),
    )
    .returning({ id: samlRequests.id });
  return claimed.length === 1;
}
