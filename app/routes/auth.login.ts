import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getSaml } from "~/auth/saml-runtime.server";
import { safeRedirectPath } from "~/lib/request.server";

/** Starts SAML sign-in: a signed AuthnRequest sent to the identity provider (HTTP-Redirect). */
export async function loader({ request }: LoaderFunctionArgs) {
  const redirectTo = safeRedirectPath(new URL(request.url).searchParams.get("redirectTo"));
  const { serviceProvider } = await getSaml();
  return redirect(await serviceProvider.loginRedirectUrl(redirectTo));
}
