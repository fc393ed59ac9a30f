import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getSaml } from "~/auth/saml-runtime.server";
import { SamlError } from "~/auth/saml.server";
import { completeSignIn, recordFailedSignIn } from "~/auth/signin.server";
import { signInAnomalyPage } from "~/auth/signin-anomaly.server";
import { log } from "~/lib/logger.server";
import { plainPage } from "~/lib/plain-page.server";

/**
 * Assertion consumer service. A resource route on purpose: the identity provider posts here
 * cross-origin, which Remix refuses for document routes.
 */
export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const samlResponse = form.get("SAMLResponse");
  const relayState = form.get("RelayState");
  if (typeof samlResponse !== "string" || !samlResponse) {
    await recordFailedSignIn(request, "missing_response");
    return plainPage(400, "Accesso non riuscito", "La risposta del servizio di identità digitale è assente.");
  }
  const { serviceProvider } = await getSaml();
  let identity;
  try {
    identity = await serviceProvider.validatePostResponse({
      SAMLResponse: samlResponse,
      RelayState: typeof relayState === "string" ? relayState : undefined,
    });
  } catch (e) {
    const reason = e instanceof SamlError ? e.reason : "invalid";
    if (!(e instanceof SamlError)) log.warn("SAML response refused", { error: (e as Error).message });
    const anomaly = e instanceof SamlError ? e.anomaly : undefined;
    await recordFailedSignIn(request, anomaly ? `saml_idp_error_${anomaly.code}` : `saml_${reason}`);
    if (anomaly) return signInAnomalyPage(anomaly);
    return plainPage(
      401,
      "Accesso non riuscito",
      "La risposta del servizio di identità digitale non è valida o è scaduta. Ripetere l'accesso dall'inizio.",
    );
  }
  return completeSignIn(request, {
    fiscalCode: identity.fiscalCode,
    inResponseTo: identity.inResponseTo,
    relayState: typeof relayState === "string" ? relayState : undefined,
  });
}

export async function loader() {
  return redirect("/accedi");
}
