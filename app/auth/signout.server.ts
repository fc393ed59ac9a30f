import { redirect } from "@remix-run/node";
import { getConfig } from "~/config.server";
import { plainPage } from "~/lib/plain-page.server";
import { getSignedIn, requireForm } from "./guards.server";
import { signOut } from "./profile.server";
import { getSaml } from "./saml-runtime.server";
import { logoutResponseUrl, verifyLogoutRequest, verifyPostedLogoutRequest, type VerifiedLogoutRequest } from "./saml-logout.server";
import { destroySessionCookie } from "./session.server";

async function endAndGoTo(request: Request, location: string) {
  const signedIn = await getSignedIn(request);
  if (signedIn) await signOut(request, signedIn);
  return redirect(location, { headers: { "Set-Cookie": await destroySessionCookie() } });
}

/** The sign-out button: a POST carrying the session's CSRF token. */
export async function signOutWithForm(request: Request) {
  const signedIn = await getSignedIn(request);
  if (signedIn) await requireForm(request, signedIn);
  return endAndGoTo(request, "/");
}

const NOT_FROM_IDP = "La richiesta di uscita non proviene dal servizio di identità digitale: la sessione resta aperta.";

/**
 * Ends the session the IdP asked to end, then answers the IdP with a signed LogoutResponse when
 * its metadata names where (docs/decisions/0041); otherwise goes home.
 */
async function answerIdp(request: Request, verified: VerifiedLogoutRequest) {
  const { serviceProvider, idp, spKeyPem } = await getSaml();
  const location = idp.logoutUrl
    ? logoutResponseUrl({
        idpLogoutUrl: idp.logoutUrl,
        inResponseTo: verified.id,
        spEntityId: serviceProvider.entityId,
        spKey: spKeyPem,
        relayState: verified.relayState,
      })
    : "/";
  return endAndGoTo(request, location);
}

async function logoutIdp() {
  const { serviceProvider, idp } = await getSaml();
  return { ...idp, sloUrl: serviceProvider.sloUrl, clockSkewMs: getConfig().saml.clockSkewMs };
}

/** The IdP's single logout through this browser (HTTP-Redirect): only a LogoutRequest signed by the IdP ends the session. */
export async function endSessionOnIdpRequest(request: Request) {
  const verified = verifyLogoutRequest(new URL(request.url).search.slice(1), await logoutIdp());
  if (!verified) return plainPage(400, "Uscita non eseguita", NOT_FROM_IDP);
  return answerIdp(request, verified);
}

/**
 * A POST to the SingleLogoutService: the IdP's LogoutRequest (HTTP-POST binding, signed XML), or
 * the sign-out form with the session's CSRF token.
 */
export async function endSessionOnPost(request: Request) {
  const form = await request.clone().formData().catch(() => null);
  const samlRequest = form?.get("SAMLRequest");
  if (typeof samlRequest !== "string") return signOutWithForm(request);
  const relay = form!.get("RelayState");
  const verified = verifyPostedLogoutRequest(samlRequest, typeof relay === "string" ? relay : undefined, await logoutIdp());
  if (!verified) return plainPage(400, "Uscita non eseguita", NOT_FROM_IDP);
  return answerIdp(request, verified);
}
