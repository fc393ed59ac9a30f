import { redirect } from "@remix-run/node";
import { audit, auditAnonymousFailure } from "~/audit/audit.server";
import { clientIp, safeRedirectPath } from "~/lib/request.server";
import { getDb } from "~db/client";
import { activeAccessesOf, findUserByFiscalCode } from "~db/queries/users";
import { authnRequestIdOf, bindLoginToBrowser, clearLoginBinding } from "./login-binding.server";
import { getSaml } from "./saml-runtime.server";
import { claimSamlRequest } from "./saml-requests.server";
import { commitSessionCookie, cookieSessionHash, createSession, deleteSession } from "./session.server";

export const NO_ACCESS_PATH = "/accesso-negato";

/** Sends the browser to the IdP with a signed AuthnRequest, bound to this browser by a cookie. */
export async function startSignIn(request: Request, redirectTo: string) {
  const { serviceProvider } = await getSaml();
  const url = await serviceProvider.loginRedirectUrl(redirectTo);
  return redirect(url, { headers: { "Set-Cookie": await bindLoginToBrowser(request, authnRequestIdOf(url)) } });
}

/**
 * Turns a validated SAML identity into a session. Unknown people and people without an active
 * access get the same "no access" page; the audit log keeps the reason. A session this browser
 * already had (someone else's, or the same person's) ends: one browser, one signed-in person.
 */
export async function completeSignIn(
  request: Request,
  identity: { fiscalCode: string; inResponseTo: string; relayState?: string },
) {
  const db = getDb();
  const ip = clientIp(request);
  if (!(await claimSamlRequest(db, identity.inResponseTo))) {
    await audit(db, { actor: { fiscalCode: identity.fiscalCode }, ip }, {
      action: "auth.signin",
      outcome: "failure",
      details: { reason: "saml_request_already_answered" },
    });
    throw new Response("Risposta di autenticazione già utilizzata: ripetere l'accesso.", { status: 400 });
  }
  const headers = new Headers({ "Set-Cookie": await clearLoginBinding() });
  const user = await findUserByFiscalCode(db, identity.fiscalCode);
  const accesses = user ? await activeAccessesOf(db, user.id) : [];
  const chosen = accesses[0]?.access;
  if (!user || !chosen) {
    await audit(db, { actor: { fiscalCode: identity.fiscalCode, userId: user?.id }, ip }, {
      action: "auth.signin",
      outcome: "failure",
      details: { reason: user ? "no_active_access" : "unknown_person" },
    });
    return redirect(NO_ACCESS_PATH, { headers });
  }
  const previous = await cookieSessionHash(request);
  const token = await db.transaction(async (tx) => {
    if (previous) await deleteSession(tx, previous);
    const t = await createSession(tx, { userId: user.id, accessId: chosen.id });
    await audit(tx, { actor: { userId: user.id, fiscalCode: user.fiscalCode, role: chosen.role }, ip }, {
      action: "auth.signin",
      objectType: "access",
      objectId: chosen.id,
      gestoreId: chosen.gestoreId,
    });
    return t;
  });
  headers.append("Set-Cookie", await commitSessionCookie(token));
  const to = accesses.length > 1 ? `/profilo?redirectTo=${encodeURIComponent(safeRedirectPath(identity.relayState))}` : safeRedirectPath(identity.relayState);
  return redirect(to, { headers });
}

/** A sign-in that failed before anyone could be named: counted, not audited one row each. */
export async function recordFailedSignIn(request: Request, reason: string) {
  await auditAnonymousFailure(clientIp(request), { action: "auth.signin", reason });
}
