import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/guards.server";
import { BackToConfig, VersionInput } from "~/components/admin";
import { CsrfInput } from "~/components/csrf-input";
import { FormAlert } from "~/components/form-fields";
import { PageTitle } from "~/components/layout";
import { queuesAdminAction, queuesAdminPage } from "~/helpdesk/pages.server";

export const meta: MetaFunction = () => [{ title: "Code dell'help desk — Configurazione — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "config.manage");
  return queuesAdminPage();
}

export async function action({ request }: ActionFunctionArgs) {
  const signedIn = await requirePermission(request, "config.manage");
  return queuesAdminAction(request, signedIn);
}

export default function QueuesAdmin() {
  const { queues, units } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <BackToConfig />
      <PageTitle lead="Ogni categoria di richieste di assistenza ha la sua coda: la lavorano gli operatori dell'help desk abilitati nella struttura indicata. I tempi di servizio contano le ore lavorative (9–18 dei giorni feriali, festività comprese quelle locali) e si fermano mentre si attendono informazioni dal richiedente.">
        Code dell'help desk
      </PageTitle>
      <FormAlert result={result} />
      {queues.map((q) => (
        <Form method="post" key={q.category} className="border rounded p-3 mb-4" aria-labelledby={`coda-${q.category}`}>
          <CsrfInput />
          <input type="hidden" name="category" value={q.category} />
          <VersionInput version={q.version} />
          <h2 className="h4 mb-4" id={`coda-${q.category}`}>{q.name}</h2>
          <div className="select-wrapper mb-4">
            <label htmlFor={`${q.category}-unit`}>Struttura che lavora la coda</label>
            <select id={`${q.category}-unit`} name="orgUnitId" defaultValue={q.orgUnitId ?? ""}>
              <option value="">Nessuna (le richieste restano in attesa)</option>
              {units.map((u) => (
                <option key={u.value} value={u.value}>{u.label}</option>
              ))}
            </select>
          </div>
          <div className="row">
            <div className="form-group col-md-6">
              <label htmlFor={`${q.category}-first`} className="active">Prima risposta entro (ore lavorative)</label>
              <input id={`${q.category}-first`} name="firstAnswerHours" type="text" inputMode="numeric" className="form-control" defaultValue={q.firstAnswerHours} />
            </div>
            <div className="form-group col-md-6">
              <label htmlFor={`${q.category}-resolution`} className="active">Soluzione entro (ore lavorative)</label>
              <input id={`${q.category}-resolution`} name="resolutionHours" type="text" inputMode="numeric" className="form-control" defaultValue={q.resolutionHours} />
            </div>
          </div>
          <button type="submit" className="btn btn-primary">Salva la coda</button>
        </Form>
      ))}
    </>
  );
}
