import type { LoaderFunctionArgs } from "@remix-run/node";
import { startSignIn } from "~/auth/signin.server";
import { plainPage } from "~/lib/plain-page.server";
import { sameOriginPath } from "~/lib/request.server";

/** Starts SAML sign-in: a signed AuthnRequest sent to the identity provider (HTTP-Redirect). */
export async function loader({ request }: LoaderFunctionArgs) {
  const asked = new URL(request.url).searchParams.get("redirectTo");
  const redirectTo = asked ? sameOriginPath(asked) : "/";
  if (!redirectTo) return plainPage(400, "Indirizzo non valido", "L'indirizzo a cui tornare dopo l'accesso non è una pagina di questo sito.");
  return startSignIn(request, redirectTo);
}
