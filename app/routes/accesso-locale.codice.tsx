import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormAlert, FormState, TextField } from "~/components/form-fields";
import { PageTitle } from "~/components/layout";
import { secondFactorAction, secondFactorLoader } from "~/local-accounts/pages.server";

export const meta: MetaFunction = () => [{ title: "Codice di verifica — Monitoraggio pratiche" }];

export const loader = ({ request }: LoaderFunctionArgs) => secondFactorLoader(request);
export const action = ({ request }: ActionFunctionArgs) => secondFactorAction(request);

export default function SecondFactor() {
  const { csrf, email } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <PageTitle lead={`Password corretta per ${email}. Ora il codice di sei cifre dell'app di autenticazione.`}>Codice di verifica</PageTitle>
      <FormAlert result={result} />
      <FormState result={result}>
        <Form method="post" className="row mt-4" noValidate>
          <input type="hidden" name="csrf" value={csrf} />
          <TextField
            className="col-md-6"
            name="code"
            label="Codice dell'app o codice di recupero"
            required
            maxLength={20}
            hint="Hai perso il telefono? Inserisci uno dei codici di recupero (XXXX-XXXX-XXXX): ognuno vale una volta sola."
          />
          <div className="col-12">
            <button type="submit" className="btn btn-primary">
              Accedi
            </button>
          </div>
        </Form>
      </FormState>
      <p className="mt-4">
        <Link to="/accesso-locale/accedi">Ricomincia con e-mail e password</Link>
      </p>
    </>
  );
}
