import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { newDraftAction, newDraftPage } from "~/applications/pages.server";
import { CsrfInput } from "~/components/csrf-input";
import { PageTitle } from "~/components/layout";

export const meta: MetaFunction = () => [{ title: "Nuova domanda — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  return newDraftPage(request);
}

export async function action({ request }: ActionFunctionArgs) {
  const result = await newDraftAction(request);
  return result.ok ? redirect(`/domande/${result.id}`) : result;
}

export default function NewApplication() {
  const { procedureId } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <PageTitle lead="La domanda si compila in più pagine: puoi salvarla e riprenderla più tardi dalla tua area personale.">Nuova domanda online</PageTitle>
      {result && !result.ok ? <div className="alert alert-danger" role="alert">{result.error}</div> : null}
      <Form method="post">
        <CsrfInput />
        <input type="hidden" name="procedureId" value={procedureId} />
        <button type="submit" className="btn btn-primary">Inizia la compilazione</button>
      </Form>
    </>
  );
}
