import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormAlert, FormState, TextField } from "~/components/form-fields";
import { PageTitle } from "~/components/layout";
import { PASSWORD_HINT } from "~/components/local-account";
import { anonymousPage, registrationAction } from "~/local-accounts/pages.server";

export const meta: MetaFunction = () => [{ title: "Registrati con e-mail e password — Monitoraggio pratiche" }];

export const loader = ({ request }: LoaderFunctionArgs) => anonymousPage(request);
export const action = ({ request }: ActionFunctionArgs) => registrationAction(request);

export default function Register() {
  const { csrf } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <PageTitle lead="Per chi non ha SPID né CIE: un account del portale con e-mail, password e un codice generato da un'app sul telefono. Serve solo a presentare e seguire domande.">
        Registrati con e-mail e password
      </PageTitle>
      <FormAlert result={result} />
      {result?.ok ? (
        <p>
          <Link to="/accesso-locale/accedi">Vai alla pagina di accesso</Link>
        </p>
      ) : (
        <FormState result={result}>
          <Form method="post" className="row mt-4" noValidate>
            <input type="hidden" name="csrf" value={csrf} />
            <TextField className="col-md-6" name="name" label="Nome" required maxLength={100} />
            <TextField className="col-md-6" name="surname" label="Cognome" required maxLength={100} />
            <TextField className="col-md-6" name="fiscalCode" label="Codice fiscale" required maxLength={16} />
            <TextField className="col-md-6" name="email" label="Indirizzo e-mail" type="email" required maxLength={254} hint="Riceverai un collegamento per confermarlo; sarà il tuo nome di accesso." />
            <TextField className="col-md-6" name="password" label="Password" type="password" required maxLength={128} hint={PASSWORD_HINT} />
            <TextField className="col-md-6" name="passwordConfirm" label="Ripeti la password" type="password" required maxLength={128} />
            <div className="col-12">
              <button type="submit" className="btn btn-primary">
                Registrati
              </button>
            </div>
          </Form>
        </FormState>
      )}
      <p className="mt-4">
        Hai già un account? <Link to="/accesso-locale/accedi">Accedi con e-mail e password</Link>. Hai SPID o CIE?{" "}
        <Link to="/accedi">Accedi con l'identità digitale</Link>.
      </p>
    </>
  );
}
