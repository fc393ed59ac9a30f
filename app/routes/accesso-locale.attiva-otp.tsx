import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormAlert, FormState, TextField } from "~/components/form-fields";
import { PageTitle } from "~/components/layout";
import { RecoveryCodes } from "~/components/local-account";
import { enrolmentAction, enrolmentLoader } from "~/local-accounts/pages.server";

export const meta: MetaFunction = () => [{ title: "Attiva il secondo fattore — Monitoraggio pratiche" }];

export const loader = ({ request }: LoaderFunctionArgs) => enrolmentLoader(request);
export const action = ({ request }: ActionFunctionArgs) => enrolmentAction(request);

export default function EnrolTotp() {
  const { csrf, state, enrolment } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (result?.ok && result.codes)
    return (
      <>
        <PageTitle lead="Da ora, a ogni accesso, dopo la password ti chiederemo il codice mostrato dall'app.">Secondo fattore attivo</PageTitle>
        <FormAlert result={result} />
        <RecoveryCodes codes={result.codes} />
        <p className="mt-4">
          <Link className="btn btn-primary" to="/area-personale">
            Ho conservato i codici: vai all'area personale
          </Link>
        </p>
      </>
    );
  if (state !== "enrol" || !enrolment)
    return (
      <>
        <PageTitle>Secondo fattore già attivo</PageTitle>
        <p>
          <Link to="/accesso-locale/accedi">Accedi con e-mail, password e codice dell'app</Link>.
        </p>
      </>
    );
  return (
    <>
      <PageTitle lead="L'accesso con password richiede anche un codice di sei cifre generato da un'app di autenticazione sul telefono (per esempio FreeOTP, Google Authenticator, Microsoft Authenticator).">
        Attiva il secondo fattore
      </PageTitle>
      <FormAlert result={result} />
      <ol>
        <li>Apri l'app di autenticazione e scegli di aggiungere un account.</li>
        <li>
          Inquadra il codice QR oppure inserisci a mano la chiave <code data-testid="totp-secret">{enrolment.secretGroups}</code> (account:{" "}
          {enrolment.email}).
        </li>
        <li>Scrivi qui sotto il codice di sei cifre che l'app mostra.</li>
      </ol>
      <img src={enrolment.qr} width={220} height={220} alt={`Codice QR per l'app di autenticazione, chiave ${enrolment.secretGroups}`} />
      <FormState result={result}>
        <Form method="post" className="row mt-4" noValidate>
          <input type="hidden" name="csrf" value={csrf} />
          <TextField className="col-md-4" name="code" label="Codice dell'app" required maxLength={6} inputMode="numeric" />
          <div className="col-12">
            <button type="submit" className="btn btn-primary">
              Attiva e accedi
            </button>
          </div>
        </Form>
      </FormState>
    </>
  );
}
