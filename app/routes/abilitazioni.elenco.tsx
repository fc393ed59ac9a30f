import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { requireForm, requirePermission } from "~/auth/guards.server";
import { ActionResult } from "~/components/action-result";
import { CsrfInput } from "~/components/csrf-input";
import { ListUploadFields } from "~/components/list-upload-fields";
import { PageTitle } from "~/components/layout";
import { handleRequesterAction } from "~/enablement/pages.server";

export const meta: MetaFunction = () => [{ title: "Richiesta con elenco — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "enablement.request");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const signedIn = await requirePermission(request, "enablement.request");
  return handleRequesterAction(request, signedIn, await requireForm(request, signedIn));
}

export default function BulkRequest() {
  const result = useActionData<typeof action>();
  const csv = result && !result.ok && result.values && "csv" in result.values ? result.values.csv : "";
  const onlyWarnings = Boolean(result && !result.ok && result.warnings?.length && !result.errors?.length);
  return (
    <>
      <PageTitle lead="Un elenco CSV di persone da abilitare. Ogni riga è controllata: se anche una sola è sbagliata non si invia nulla, e tutti gli errori sono mostrati insieme.">
        Richiesta di abilitazione con elenco
      </PageTitle>
      <p>
        <Link to="/abilitazioni">Torna alle abilitazioni</Link>
      </p>
      <ActionResult result={result} />
      <p>
        Prima riga: <code>cognome;nome;codice_fiscale;email;ruolo</code>. La colonna <code>ruolo</code> è facoltativa
        (<code>operatore</code>, <code>referente</code> o <code>funzionario</code>); separatore <code>;</code> o <code>,</code>.
      </p>
      <Form method="post" encType="multipart/form-data" className="row g-3" key={result?.ok ? "sent" : "form"}>
        <CsrfInput />
        <input type="hidden" name="intent" value="bulk" />
        <ListUploadFields pasted={csv} />
        {onlyWarnings ? (
          <div className="col-12 form-check ms-2">
            <input className="form-check-input" type="checkbox" id="confirm" name="confirm" value="1" />
            <label className="form-check-label" htmlFor="confirm">Confermo i codici fiscali segnalati: cognomi e nomi sono corretti</label>
          </div>
        ) : null}
        <div className="col-12">
          <button type="submit" className="btn btn-primary">Controlla e invia</button>
        </div>
      </Form>
    </>
  );
}
