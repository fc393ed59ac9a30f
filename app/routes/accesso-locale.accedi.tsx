import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormAlert, FormState, TextField } from "~/components/form-fields";
import { PageTitle } from "~/components/layout";
import { anonymousPage, passwordAction } from "~/local-accounts/pages.server";

export const meta: MetaFunction = () => [{ title: "Accedi con e-mail e password — Monitoraggio pratiche" }];

export const loader = ({ request }: LoaderFunctionArgs) => anonymousPage(request);
export const action = ({ request }: ActionFunctionArgs) => passwordAction(request);

export default function LocalSignIn() {
  const { csrf } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <PageTitle lead="Per i richiedenti senza SPID né CIE. Dopo la password ti chiederemo il codice dell'app di autenticazione.">
        Accedi con e-mail e password
      </PageTitle>
      <FormAlert result={result} />
      <FormState result={result}>
        <Form method="post" className="row mt-4" noValidate>
          <input type="hidden" name="csrf" value={csrf} />
          <TextField className="col-md-6" name="email" label="Indirizzo e-mail" type="email" required maxLength={254} />
          <TextField className="col-md-6" name="password" label="Password" type="password" required maxLength={128} />
          <div className="col-12">
            <button type="submit" className="btn btn-primary">
              Continua
            </button>
          </div>
        </Form>
      </FormState>
      <p className="mt-4">
        Non hai un account? <Link to="/accesso-locale/registrazione">Registrati</Link>. Hai SPID o CIE?{" "}
        <Link to="/accedi">Accedi con l'identità digitale</Link>.
      </p>
    </>
  );
}
