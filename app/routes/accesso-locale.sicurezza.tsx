import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { CsrfInput } from "~/components/csrf-input";
import { FormAlert, FormState, TextField } from "~/components/form-fields";
import { PageTitle } from "~/components/layout";
import { RecoveryCodes } from "~/components/local-account";
import { securityAction, securityLoader } from "~/local-accounts/pages.server";

export const meta: MetaFunction = () => [{ title: "Sicurezza dell'account — Monitoraggio pratiche" }];

export const loader = ({ request }: LoaderFunctionArgs) => securityLoader(request);
export const action = ({ request }: ActionFunctionArgs) => securityAction(request);

export default function Security() {
  const { email, enrolledAt, recoveryCodesLeft } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <PageTitle lead="Il tuo accesso con e-mail, password e codice dell'app.">Sicurezza dell'account</PageTitle>
      <FormAlert result={result} />
      {result?.ok && result.codes ? <RecoveryCodes codes={result.codes} /> : null}
      <dl className="row">
        <dt className="col-sm-4">E-mail di accesso</dt>
        <dd className="col-sm-8">{email}</dd>
        <dt className="col-sm-4">Secondo fattore</dt>
        <dd className="col-sm-8">{enrolledAt ? `App di autenticazione attiva dal ${enrolledAt}` : "Non attivo"}</dd>
        <dt className="col-sm-4">Codici di recupero</dt>
        <dd className="col-sm-8" data-testid="recovery-codes-left">
          {recoveryCodesLeft === 1 ? "1 codice ancora valido" : `${recoveryCodesLeft} codici ancora validi`}
        </dd>
      </dl>
      <h2 className="h4 mt-4">Nuovi codici di recupero</h2>
      <p>Se hai usato o perso i codici, creane di nuovi: quelli di prima smettono di valere. Serve il codice attuale dell'app.</p>
      <FormState result={result?.ok ? undefined : result}>
        <Form method="post" className="row mt-4" noValidate>
          <CsrfInput />
          <TextField className="col-md-4" name="code" label="Codice dell'app" required maxLength={6} inputMode="numeric" />
          <div className="col-12">
            <button type="submit" className="btn btn-outline-primary">
              Crea nuovi codici
            </button>
          </div>
        </Form>
      </FormState>
    </>
  );
}
