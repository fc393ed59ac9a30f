import { and, desc, eq, isNull } from "drizzle-orm";
import { audit, auditAnonymousFailure } from "~/audit/audit.server";
import { InputError } from "~/lib/errors";
import { clientIp } from "~/lib/request.server";
import type { DbOrTx } from "~db/client";
import { getDb } from "~db/client";
import { activeAccessesOf } from "~db/queries/users";
import { confinedGestoreId, isGestoreRole, type Viewer } from "~db/scope";
import { apiTokens, gestori, users } from "~db/schema";
import { actorOf, type Actor } from "./guards.server";
import type { ChangeAuthor } from "~/audit/audit.server";
import { hashToken, randomToken } from "./session.server";

const TOKEN_PREFIX = "gp_";

/**
 * Creates a token for a gestore user's software. Only the hash is stored: the clear token is
 * returned once, to be shown once.
 */
export async function createApiToken(
  db: DbOrTx,
  who: ChangeAuthor,
  input: { userId: string; gestoreId?: string; label?: string; createdBy?: string | null },
) {
  return db.transaction(async (tx) => {
    const gestoreAccesses = (await activeAccessesOf(tx, input.userId)).filter((a) => isGestoreRole(a.access.role));
    const chosen = input.gestoreId
      ? gestoreAccesses.find((a) => a.access.gestoreId === input.gestoreId)
      : gestoreAccesses.length === 1
        ? gestoreAccesses[0]
        : undefined;
    if (!chosen) {
      throw new InputError(
        gestoreAccesses.length > 1
          ? "La persona opera per più enti gestori: indicare l'ente"
          : "I token API si rilasciano solo a operatori abilitati di un ente gestore",
      );
    }
    const token = TOKEN_PREFIX + randomToken(32);
    const [row] = await tx
      .insert(apiTokens)
      .values({
        userId: input.userId,
        gestoreId: chosen.access.gestoreId!,
        label: input.label?.trim() ?? "",
        tokenHash: hashToken(token),
        tokenPrefix: token.slice(0, 10),
        createdBy: input.createdBy ?? null,
      })
      .returning();
    await audit(tx, who, {
      action: "api_token.create",
      objectType: "api_token",
      objectId: row!.id,
      gestoreId: row!.gestoreId,
      details: { userId: input.userId },
    });
    return { token, id: row!.id };
  });
}

/** Tokens the viewer may see: a gestore user sees their gestore's tokens, an administrator all. */
export async function listApiTokens(db: DbOrTx, viewer: Viewer) {
  const confined = confinedGestoreId(viewer);
  return db
    .select({
      id: apiTokens.id,
      label: apiTokens.label,
      tokenPrefix: apiTokens.tokenPrefix,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
      gestoreName: gestori.name,
      gestoreFiscalCode: gestori.fiscalCode,
      ownerName: users.name,
      ownerSurname: users.surname,
    })
    .from(apiTokens)
    .innerJoin(gestori, eq(gestori.id, apiTokens.gestoreId))
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(confined ? eq(apiTokens.gestoreId, confined) : undefined)
    .orderBy(desc(apiTokens.createdAt));
}

export async function revokeApiToken(db: DbOrTx, who: ChangeAuthor & { actor: Actor }, tokenId: string) {
  const confined = confinedGestoreId(who.actor);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(apiTokens)
      .set({ revokedAt: new Date() })
      .where(
        and(
          eq(apiTokens.id, tokenId),
          isNull(apiTokens.revokedAt),
          confined ? eq(apiTokens.gestoreId, confined) : undefined,
        ),
      )
      .returning();
    if (!row) throw new InputError("Token non trovato o già revocato");
    await audit(tx, who, { action: "api_token.revoke", objectType: "api_token", objectId: row.id, gestoreId: row.gestoreId });
    return row;
  });
}

export function apiError(status: number, code: string, message: string) {
  return Response.json({ error: { code, message } }, { status });
}

/**
 * Authenticates `Authorization: Bearer <token>`. The token acts with its owner's access in the
 * token's gestore; if that access is no longer active, the token no longer works.
 */
export async function requireApiActor(request: Request): Promise<Actor> {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw apiError(401, "UNAUTHORIZED", "Token API mancante: usare l'intestazione Authorization: Bearer <token>");
  const db = getDb();
  const [row] = await db
    .select({ token: apiTokens, user: users })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(eq(apiTokens.tokenHash, hashToken(match[1]!)));
  if (!row || row.token.revokedAt) {
    await auditAnonymousFailure(clientIp(request), { action: "api.auth", reason: row ? "revoked" : "unknown" });
    throw apiError(401, "UNAUTHORIZED", "Token API non valido o revocato");
  }
  const access = (await activeAccessesOf(db, row.user.id)).find(
    (a) => isGestoreRole(a.access.role) && a.access.gestoreId === row.token.gestoreId,
  )?.access;
  if (!access) {
    await audit(db, { actor: { userId: row.user.id, fiscalCode: row.user.fiscalCode }, ip: clientIp(request) }, {
      action: "api.auth",
      outcome: "denied",
      objectType: "api_token",
      objectId: row.token.id,
      details: { reason: "operator_not_enabled" },
    });
    throw apiError(403, "FORBIDDEN", "L'operatore titolare del token non è più abilitato");
  }
  await db.update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, row.token.id));
  return actorOf(row.user, access);
}

