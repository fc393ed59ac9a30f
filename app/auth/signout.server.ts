import { redirect } from "@remix-run/node";
import { getConfig } from "~/config.server";
import { plainPage } from "~/lib/plain-page.server";
import { getSignedIn, requireForm } from "./guards.server";
import { signOut } from "./profile.server";
import { getSaml } from "./saml-runtime.server";
import { verifyLogoutRequest } from "./saml-logout.server";
import { destroySessionCookie } from "./session.server";

async function endAndGoHome(request: Request) {
  const signedIn = await getSignedIn(request);
  if (signedIn) await signOut(request, signedIn);
  return redirect("/", { headers: { "Set-Cookie": await destroySessionCookie() } });
}

/** The sign-out button: a POST carrying the session's CSRF token. */
export async function signOutWithForm(request: Request) {
  const signedIn = await getSignedIn(request);
  if (signedIn) await requireForm(request, signedIn);
  return endAndGoHome(request);
}

/**
 * The IdP's single logout through this browser (HTTP-Redirect): only a LogoutRequest signed by
 * the IdP ends the session. No LogoutResponse is sent back yet (docs/decisions/0041).
 */
export async function endSessionOnIdpRequest(request: Request) {
  const { serviceProvider, idp } = await getSaml();
  const rawQuery = new URL(request.url).search.slice(1);
  const valid = verifyLogoutRequest(rawQuery, { ...idp, sloUrl: serviceProvider.sloUrl, clockSkewMs: getConfig().saml.clockSkewMs });
  if (!valid) return plainPage(400, "Uscita non eseguita", "La richiesta di uscita non proviene dal servizio di identità digitale: la sessione resta aperta.");
  return endAndGoHome(request);
}
