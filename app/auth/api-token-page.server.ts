import { z } from "zod";
import { InputError } from "~/lib/errors";
import { clientIp } from "~/lib/request.server";
import { getDb } from "~db/client";
import { isGestoreRole } from "~db/scope";
import { createApiToken, listApiTokens, revokeApiToken } from "./api-tokens.server";
import type { SignedIn } from "./guards.server";

export const tokenAction = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("create"),
    label: z.string().trim().max(100, "Descrizione: al massimo 100 caratteri").default(""),
  }),
  z.object({ intent: z.literal("revoke"), tokenId: z.uuid("Token non valido") }),
]);

/** The tokens the viewer sees; administrators get no creation form (a token is made by its owner). */
export async function tokensPageData(signedIn: SignedIn) {
  const rows = await listApiTokens(getDb(), signedIn.actor);
  const tokens = rows.map((r) => ({
    ...r,
    createdAt: r.createdAt.toISOString(),
    lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
    revokedAt: r.revokedAt?.toISOString() ?? null,
  }));
  return { tokens, revokeOnly: !isGestoreRole(signedIn.actor.role) };
}

export async function handleTokenAction(request: Request, signedIn: SignedIn, form: FormData) {
  const parsed = tokenAction.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { ok: false as const, error: parsed.error.issues[0]?.message ?? "Richiesta non valida" };
  const who = { actor: signedIn.actor, ip: clientIp(request) };
  const db = getDb();
  try {
    if (parsed.data.intent === "revoke") {
      await revokeApiToken(db, who, parsed.data.tokenId);
      return { ok: true as const, message: "Token revocato." };
    }
    // A token acts as its owner, so only its owner creates it; administrators may only revoke.
    if (!isGestoreRole(signedIn.actor.role) || !signedIn.actor.gestoreId)
      throw new InputError("Un token si crea solo dal suo titolare, operatore di un ente gestore: l'amministratore può solo revocarlo.");
    const { token } = await createApiToken(db, who, {
      userId: signedIn.actor.userId,
      gestoreId: signedIn.actor.gestoreId,
      label: parsed.data.label,
      createdBy: signedIn.actor.userId,
    });
    return { ok: true as const, token };
  } catch (e) {
    if (e instanceof InputError) return { ok: false as const, error: e.message };
    throw e;
  }
}
