import { z } from "zod";
import { audit } from "~/audit/audit.server";
import { clientIp } from "~/lib/request.server";
import { getDb } from "~db/client";
import { activeAccessesOf, findUserByFiscalCode } from "~db/queries/users";
import { users } from "~db/schema";
import { eq } from "drizzle-orm";
import type { SignedIn } from "./guards.server";
import { ROLE_LABELS } from "./permissions";
import { deleteSession, setSessionAccess } from "./session.server";

export async function profilesOf(signedIn: SignedIn) {
  const rows = await activeAccessesOf(getDb(), signedIn.actor.userId);
  return rows.map((r) => ({
    id: r.access.id,
    roleLabel: ROLE_LABELS[r.access.role],
    scope: r.gestoreName ?? r.orgUnitName ?? null,
  }));
}

const choice = z.object({ accessId: z.uuid(), redirectTo: z.string().optional() });

/** Switches the session to another of the person's own active accesses. */
export async function switchProfile(request: Request, signedIn: SignedIn, form: FormData) {
  const parsed = choice.safeParse(Object.fromEntries(form));
  if (!parsed.success) throw new Response("Profilo non valido.", { status: 400 });
  const db = getDb();
  const chosen = (await activeAccessesOf(db, signedIn.actor.userId)).find((r) => r.access.id === parsed.data.accessId);
  if (!chosen) throw new Response("Profilo non disponibile.", { status: 403 });
  await db.transaction(async (tx) => {
    await setSessionAccess(tx, signedIn.session.idHash, chosen.access.id);
    await audit(tx, { actor: { ...signedIn.actor, role: chosen.access.role }, ip: clientIp(request) }, {
      action: "auth.switch_profile",
      objectType: "access",
      objectId: chosen.access.id,
    });
  });
  return parsed.data.redirectTo;
}

export async function signOut(request: Request, signedIn: SignedIn) {
  await getDb().transaction(async (tx) => {
    await deleteSession(tx, signedIn.session.idHash);
    await audit(tx, { actor: signedIn.actor, ip: clientIp(request) }, { action: "auth.signout" });
  });
}

/** Whether the person gets the outcome mail of the files they send (issue 18). */
export async function outcomeMailOf(signedIn: SignedIn) {
  return (await findUserByFiscalCode(getDb(), signedIn.actor.fiscalCode))?.outcomeMail ?? true;
}

const outcomeMailChoice = z.object({ intent: z.literal("outcome-mail"), outcomeMail: z.enum(["on"]).optional() });

export async function setOutcomeMail(request: Request, signedIn: SignedIn, form: FormData) {
  const parsed = outcomeMailChoice.safeParse(Object.fromEntries(form));
  if (!parsed.success) throw new Response("Scelta non valida.", { status: 400 });
  const on = parsed.data.outcomeMail === "on";
  await getDb().transaction(async (tx) => {
    await tx.update(users).set({ outcomeMail: on }).where(eq(users.id, signedIn.actor.userId));
    await audit(tx, { actor: signedIn.actor, ip: clientIp(request) }, { action: "profile.outcome_mail", objectType: "user", objectId: signedIn.actor.userId, details: { on } });
  });
  return on ? "Riceverai per e-mail l'esito di ogni file che invii." : "Non riceverai più per e-mail l'esito dei file che invii.";
}
