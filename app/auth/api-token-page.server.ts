import { eq } from "drizzle-orm";
import { z } from "zod";
import { InputError } from "~/lib/errors";
import { normalizeFiscalCode } from "~/lib/fiscal-code";
import { clientIp } from "~/lib/request.server";
import { getDb } from "~db/client";
import { isGestoreRole } from "~db/scope";
import { users } from "~db/schema";
import { createApiToken, listApiTokens, revokeApiToken } from "./api-tokens.server";
import type { SignedIn } from "./guards.server";

export const tokenAction = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("create"),
    label: z.string().trim().max(100, "Descrizione: al massimo 100 caratteri").default(""),
    // Only administrators name the person: a gestore user always gets a token for themself.
    user: z.string().trim().optional(),
  }),
  z.object({ intent: z.literal("revoke"), tokenId: z.uuid("Token non valido") }),
]);

export async function tokensPageData(signedIn: SignedIn) {
  const rows = await listApiTokens(getDb(), signedIn.actor);
  return rows.map((r) => ({
    ...r,
    createdAt: r.createdAt.toISOString(),
    lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
    revokedAt: r.revokedAt?.toISOString() ?? null,
  }));
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
    let userId = signedIn.actor.userId;
    let gestoreId: string | undefined = signedIn.actor.gestoreId ?? undefined;
    if (!isGestoreRole(signedIn.actor.role)) {
      if (!parsed.data.user) throw new InputError("Indicare il codice fiscale dell'operatore", "user");
      const [owner] = await db.select().from(users).where(eq(users.fiscalCode, normalizeFiscalCode(parsed.data.user)));
      if (!owner) throw new InputError("Nessun operatore registrato con questo codice fiscale", "user");
      userId = owner.id;
      gestoreId = undefined;
    }
    const { token } = await createApiToken(db, who, {
      userId,
      gestoreId,
      label: parsed.data.label,
      createdBy: signedIn.actor.userId,
    });
    return { ok: true as const, token };
  } catch (e) {
    if (e instanceof InputError) return { ok: false as const, error: e.message };
    throw e;
  }
}
