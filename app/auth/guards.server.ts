import { forbiddenCharacter, forbiddenCharacterMessage, shownValue } from "~/lib/text-safety";
import crypto from "node:crypto";
import { redirect } from "@remix-run/node";
import { audit } from "~/audit/audit.server";
import { clientIp, formOf, fromIntranet } from "~/lib/request.server";
import type { Viewer } from "~db/scope";
import { confinedGestoreId, isGestoreRole, isTerritorialRole, OutOfScopeError } from "~db/scope";
import type { accesses, Role, users } from "~db/schema";
import { can, type Permission } from "./permissions";
import { loadSession, type LoadedSession } from "./session.server";

/** Where a signed-in person without an enablement is told how to request one. */
export const NO_ACCESS_PATH = "/accesso-negato";

export type Actor = Viewer & {
  fiscalCode: string;
  name: string;
  surname: string;
  email: string;
  accessId: string;
};

export type SignedIn = { actor: Actor; session: LoadedSession };

/** A person acting through one of their accesses: what sessions and API tokens both yield. */
export function actorOf(user: typeof users.$inferSelect, access: typeof accesses.$inferSelect): Actor {
  return {
    userId: user.id,
    fiscalCode: user.fiscalCode,
    name: user.name,
    surname: user.surname,
    email: user.email,
    accessId: access.id,
    role: access.role,
    gestoreId: access.gestoreId,
    orgUnitId: access.orgUnitId,
    territory: access.territoryLevel && access.territoryCode ? { level: access.territoryLevel, code: access.territoryCode } : null,
  };
}

// The root loader and the route loader of one request would otherwise both read the session.
const perRequest = new WeakMap<Request, Promise<SignedIn | null>>();

export function getSignedIn(request: Request): Promise<SignedIn | null> {
  let pending = perRequest.get(request);
  if (!pending) {
    pending = loadSession(request).then((session) => {
      return session?.access ? { actor: actorOf(session.user, session.access), session } : null;
    });
    perRequest.set(request, pending);
  }
  return pending;
}

function loginRedirect(request: Request) {
  const url = new URL(request.url);
  const to = url.pathname + url.search;
  return redirect(`/accedi?redirectTo=${encodeURIComponent(to)}`);
}

export const INTRANET_ONLY_MESSAGE =
  "Le pagine degli uffici regionali si raggiungono solo dalla rete interna dell'amministrazione. Collegarsi dalla rete dell'ufficio (o dalla sua VPN) e riprovare.";

/**
 * Every page and action behind a sign-in starts here. Officials, observers and administrators
 * are served only at the intranet access point when one is configured (docs/decisions/0044);
 * gestori and territorial bodies (outside the administration, issue 19) everywhere.
 */
export async function requireUser(request: Request): Promise<SignedIn> {
  const signedIn = await getSignedIn(request);
  if (!signedIn) throw loginRedirect(request);
  if (!isGestoreRole(signedIn.actor.role) && !isTerritorialRole(signedIn.actor.role) && signedIn.actor.role !== "richiedente" && !fromIntranet(request)) {
    await forbidden(request, signedIn.actor, "access_point");
    throw new Response(INTRANET_ONLY_MESSAGE, { status: 403, statusText: "Forbidden" });
  }
  return signedIn;
}

export async function forbidden(request: Request, actor: Actor, reason: string, details: Record<string, unknown> = {}) {
  await audit(null, { actor, ip: clientIp(request) }, {
    action: "access.denied",
    outcome: "denied",
    objectType: "route",
    objectId: new URL(request.url).pathname,
    details: { reason, ...details },
  });
  return new Response("Non hai i permessi per accedere a questa pagina.", { status: 403, statusText: "Forbidden" });
}

export async function requireRole(request: Request, roles: readonly Role[]): Promise<SignedIn> {
  const signedIn = await requireUser(request);
  if (!roles.includes(signedIn.actor.role)) throw await refusal(request, signedIn.actor, "role");
  return signedIn;
}

export async function requirePermission(request: Request, permission: Permission): Promise<SignedIn> {
  const signedIn = await requireUser(request);
  if (!can(signedIn.actor.role, permission)) throw await refusal(request, signedIn.actor, "permission", { permission });
  return signedIn;
}

/** An applicant on a page of the gestori or offices is shown how to request an enablement. */
async function refusal(request: Request, actor: Actor, reason: string, details: Record<string, unknown> = {}) {
  const response = await forbidden(request, actor, reason, details);
  return actor.role === "richiedente" ? redirect(NO_ACCESS_PATH) : response;
}

/**
 * Runs a scoped read: a row outside the actor's scope (the data layer throws OutOfScopeError)
 * becomes an audited 403, a missing one a 404 with the given Italian message.
 */
export async function requireInScope<T>(
  request: Request,
  actor: Actor,
  read: () => Promise<T | null>,
  notFound: string,
): Promise<T> {
  let row: T | null;
  try {
    row = await read();
  } catch (e) {
    if (e instanceof OutOfScopeError) throw await forbidden(request, actor, `${e.objectType}_scope`);
    throw e;
  }
  if (row === null) throw new Response(notFound, { status: 404 });
  return row;
}

/** Gestore users may act only on their own gestore; officials and administrators on any. */
export async function requireGestoreScope(request: Request, actor: Actor, gestoreId: string) {
  const confined = confinedGestoreId(actor);
  if (confined && confined !== gestoreId) throw await forbidden(request, actor, "gestore_scope", { gestoreId });
}

/**
 * Every state-changing request carries the session's token; a forged cross-site post lacks it.
 * It is the form's `csrf` field; a request whose body is a file (no form) sends it in the
 * `x-csrf-token` header or the `csrf` query parameter. Compared in constant time. A caller that
 * asks for JSON gets the refusal as `{ error }`.
 */
export async function requireCsrf(request: Request, session: LoadedSession, form?: FormData) {
  const sent = form ? form.get("csrf") : (request.headers.get("x-csrf-token") ?? new URL(request.url).searchParams.get("csrf"));
  if (typeof sent !== "string" || !timingSafeEqualStr(sent, session.csrfToken)) {
    const message = "Richiesta non valida: ricaricare la pagina e riprovare.";
    throw (request.headers.get("accept") ?? "").includes("application/json")
      ? Response.json({ error: message }, { status: 403 })
      : new Response(message, { status: 403 });
  }
}

function timingSafeEqualStr(a: string, b: string) {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && crypto.timingSafeEqual(ab, bb);
}


/**
 * Parses a submitted form of a signed-in user and checks its CSRF token in one step. Every text
 * field is checked here for characters nothing may store (docs/decisions/0045); the shared zod
 * helpers check the stricter single-line rule field by field.
 */
export async function requireForm(request: Request, signedIn: SignedIn): Promise<FormData> {
  const form = await formOf(request);
  await requireCsrf(request, signedIn.session, form);
  for (const [name, value] of form) {
    const char = typeof value === "string" ? forbiddenCharacter(value, { multiline: true }) : null;
    if (char) throw new Response(`${forbiddenCharacterMessage(`Campo «${shownValue(name, 40)}»`, char)}: correggere il testo e inviare di nuovo.`, { status: 400 });
  }
  return form;
}
