import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CONTACT_LINK_INVALID, contactLinkAction, contactLinkPage } from "~/applications/applicant-profile.server";
import { CsrfInput } from "~/components/csrf-input";
import { PageTitle } from "~/components/layout";

export const meta: MetaFunction = () => [{ title: "Conferma dell'indirizzo di contatto — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  return { ...(await contactLinkPage(request)), invalid: CONTACT_LINK_INVALID };
}

export async function action({ request }: ActionFunctionArgs) {
  return contactLinkAction(request);
}

/** Opening the mailed link changes nothing (mail scanners open links): the button confirms. */
export default function ConfirmContact() {
  const { t, invalid } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <PageTitle lead="Conferma l'indirizzo a cui ricevere le comunicazioni sulle tue domande online.">Conferma dell'indirizzo di contatto</PageTitle>
      {result ? <div className={`alert ${result.ok ? "alert-success" : "alert-danger"}`} role={result.ok ? "status" : "alert"}>{result.ok ? result.message : result.error}</div> : null}
      {!result?.ok && t ? (
        <Form method="post">
          <CsrfInput />
          <input type="hidden" name="t" value={t} />
          <button type="submit" className="btn btn-primary">Conferma l'indirizzo</button>
        </Form>
      ) : null}
      {!t && !result ? <div className="alert alert-danger" role="alert">{invalid}</div> : null}
      <p className="mt-4"><Link to="/area-personale">Torna all'area personale</Link></p>
    </>
  );
}
