import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { getSignedIn } from "~/auth/guards.server";
import { getConfig } from "~/config.server";
import { PageTitle } from "~/components/layout";
import { safeRedirectPath } from "~/lib/request.server";

export const meta: MetaFunction = () => [{ title: "Accedi — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const redirectTo = safeRedirectPath(new URL(request.url).searchParams.get("redirectTo"));
  if (await getSignedIn(request)) throw redirect(redirectTo);
  return { redirectTo, localAccounts: getConfig().localAccounts };
}

export default function SignIn() {
  const { redirectTo, localAccounts } = useLoaderData<typeof loader>();
  return (
    <>
      <PageTitle lead="Per accedere serve un'identità digitale SPID (livello 2) o la Carta d'identità elettronica.">
        Accedi
      </PageTitle>
      <p>
        Sarai indirizzato al servizio di identità digitale della Regione. Al ritorno, se il tuo codice fiscale è
        abilitato, entrerai con il tuo profilo.
      </p>
      <a className="btn btn-primary btn-lg" href={`/auth/login?redirectTo=${encodeURIComponent(redirectTo)}`}>
        Entra con SPID o CIE
      </a>
      {localAccounts ? (
        <p className="mt-4">
          Devi presentare una domanda e non hai SPID né CIE?{" "}
          <a href="/accesso-locale/accedi">Accedi con e-mail e password</a> oppure{" "}
          <a href="/accesso-locale/registrazione">registrati</a>.
        </p>
      ) : null}
    </>
  );
}
