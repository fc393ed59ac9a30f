import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormAlert } from "~/components/form-fields";
import { PageTitle } from "~/components/layout";
import { anonymousPage, verificationAction } from "~/local-accounts/pages.server";

export const meta: MetaFunction = () => [{ title: "Conferma l'indirizzo e-mail — Monitoraggio pratiche" }];

// Opening the link changes nothing (mail scanners open links too): the button confirms.
export const loader = ({ request }: LoaderFunctionArgs) => anonymousPage(request, { t: new URL(request.url).searchParams.get("t") ?? "" });
export const action = ({ request }: ActionFunctionArgs) => verificationAction(request);

export default function VerifyEmail() {
  const { csrf, t } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <PageTitle lead="Un ultimo passo per completare la registrazione.">Conferma l'indirizzo e-mail</PageTitle>
      <FormAlert result={result} />
      {result ? (
        <p>
          <Link className="btn btn-primary" to="/accesso-locale/accedi">
            Accedi con e-mail e password
          </Link>
        </p>
      ) : (
        <Form method="post">
          <input type="hidden" name="csrf" value={csrf} />
          <input type="hidden" name="t" value={t} />
          <button type="submit" className="btn btn-primary">
            Conferma l'indirizzo
          </button>
        </Form>
      )}
    </>
  );
}
