import { redirect } from "@remix-run/node";
import { audit, auditAnonymousFailure } from "~/audit/audit.server";
import { clientIp, safeRedirectPath } from "~/lib/request.server";
import { APPLICANT_HOME, ensureApplicant, isApplicantPath } from "~/applications/applicant.server";
import { drizzleOver, getDb, getSql } from "~db/client";
import { activeAccessesOf, findUserByFiscalCode } from "~db/queries/users";
import { NO_ACCESS_PATH } from "./guards.server";
import { authnRequestIdOf, bindLoginToBrowser, clearLoginBinding } from "./login-binding.server";
import { getSaml } from "./saml-runtime.server";
import { claimSamlRequest } from "./saml-requests.server";
import { commitSessionCookie, cookieSessionHash, createSession, deleteSession } from "./session.server";


/** Sends the browser to the IdP with a signed AuthnRequest, bound to this browser by a cookie. */
export async function startSignIn(request: Request, redirectTo: string) {
  const { serviceProvider } = await getSaml();
  const url = await serviceProvider.loginRedirectUrl(redirectTo);
  return redirect(url, { headers: { "Set-Cookie": await bindLoginToBrowser(request, authnRequestIdOf(url)) } });
}

/**
 * Turns a validated SAML identity into a session. A person with an enablement acts through it
 * (choosing on /profilo when there are several); anyone else signs in as an applicant
 * (richiedente, issue 15), the first time creating the applicant profile from the SAML
 * attributes. An applicant who asked for a page of the gestori or offices gets the "no access"
 * page, which says how to request an enablement; the audit log keeps the reason. A session this
 * browser already had (someone else's, or the same person's) ends: one browser, one person.
 */
export async function completeSignIn(
  request: Request,
  identity: { fiscalCode: string; inResponseTo: string; relayState?: string; attributes?: Record<string, string> },
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
  const accesses = user ? (await activeAccessesOf(db, user.id)).filter((a) => a.access.role !== "richiedente") : [];
  const chosen = accesses[0]?.access;
  const previous = await cookieSessionHash(request);
  if (!user || !chosen) return signInAsApplicant(request, identity, headers, previous, user ? "no_active_access" : "unknown_person");
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

async function signInAsApplicant(
  request: Request,
  identity: { fiscalCode: string; relayState?: string; attributes?: Record<string, string> },
  headers: Headers,
  previous: string | null,
  reason: string,
) {
  const ip = clientIp(request);
  const a = identity.attributes ?? {};
  const person = { fiscalCode: identity.fiscalCode, name: a.name ?? "", surname: a.familyName ?? "", email: a.email ?? "" };
  const token = await getSql().begin(async (tx) => {
    const db = drizzleOver(tx);
    const { user, access, created } = await ensureApplicant(tx, person, { actor: { fiscalCode: person.fiscalCode }, ip }, new Date());
    if (previous) await deleteSession(db, previous);
    const t = await createSession(db, { userId: user.id, accessId: access.id });
    await audit(db, { actor: { userId: user.id, fiscalCode: user.fiscalCode, role: "richiedente" }, ip }, {
      action: "auth.signin",
      objectType: "access",
      objectId: access.id,
      details: { applicant: true, reason, firstSignIn: created },
    });
    return t;
  });
  headers.append("Set-Cookie", await commitSessionCookie(token));
  const asked = safeRedirectPath(identity.relayState);
  const to = isApplicantPath(asked) ? asked : asked === "/" ? APPLICANT_HOME : NO_ACCESS_PATH;
  return redirect(to, { headers });
}

/** A sign-in that failed before anyone could be named: counted, not audited one row each. */
export async function recordFailedSignIn(request: Request, reason: string) {
  await auditAnonymousFailure(clientIp(request), { action: "auth.signin", reason });
}
