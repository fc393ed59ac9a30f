import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { handleOrgUnitAction, orgUnitEditData } from "~/admin/config-pages.server";
import { requireForm, requirePermission } from "~/auth/guards.server";
import { BackToConfig, VersionInput } from "~/components/admin";
import { CsrfInput } from "~/components/csrf-input";
import { CheckboxField, FormAlert, FormState, SelectField, TextArea, TextField } from "~/components/form-fields";
import { PageTitle } from "~/components/layout";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.unit.name ?? "Struttura"} — Configurazione — Monitoraggio pratiche` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "config.manage");
  return orgUnitEditData(params.id ?? "");
}

export async function action({ request, params }: ActionFunctionArgs) {
  const signedIn = await requirePermission(request, "config.manage");
  return handleOrgUnitAction(request, signedIn, params.id ?? "", await requireForm(request, signedIn));
}

export default function OrgUnitEdit() {
  const { unit: u, dirigenti, positions } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <BackToConfig to="/admin/strutture" label="Strutture e figure professionali" />
      <PageTitle lead={`Codice ${u.code}`}>{u.name}</PageTitle>
      <FormAlert result={result} />
      <FormState result={result}>
        <Form method="post" className="mt-4" key={u.version} noValidate>
          <CsrfInput />
          <VersionInput version={u.version} />
          <input type="hidden" name="intent" value="unit" />
          <TextField name="name" label="Nome" required defaultValue={u.name} maxLength={200} />
          <TextArea name="description" label="Descrizione" defaultValue={u.description} rows={2} />
          <SelectField name="headUserId" label="Dirigente responsabile" empty="Non indicato" defaultValue={u.headUserId} options={dirigenti} />
          <TextField
            name="userQuota"
            label="Numero massimo di utenti abilitati"
            required
            inputMode="numeric"
            defaultValue={u.userQuota}
            hint="Funzionari e dirigenti con un'abilitazione attiva o richiesta nella struttura: oltre questo numero le richieste di abilitazione sono rifiutate."
          />
          <CheckboxField name="active" label="Struttura attiva" defaultChecked={u.active} />
          <button type="submit" className="btn btn-primary mt-3">
            Salva la struttura
          </button>
        </Form>
      </FormState>
      <h2 className="h4 mt-5">Figure professionali</h2>
      {positions.length === 0 ? <p>Nessuna figura: aggiungila dalla pagina delle strutture.</p> : null}
      {positions.map((p) => (
        <Form method="post" key={`${p.id}-${p.version}`} className="border rounded p-3 mb-3" noValidate aria-label={`Figura ${p.title}`}>
          <CsrfInput />
          <input type="hidden" name="intent" value="position" />
          <input type="hidden" name="positionId" value={p.id} />
          <input type="hidden" name="version" value={p.version} />
          <div className="row">
            <div className="col-md-4 form-group">
              <label htmlFor={`title-${p.id}`} className="active">Figura</label>
              <input id={`title-${p.id}`} name="title" className="form-control" defaultValue={p.title} />
            </div>
            <div className="col-md-4 form-group">
              <label htmlFor={`holder-${p.id}`} className="active">Titolare</label>
              <input id={`holder-${p.id}`} name="holder" className="form-control" defaultValue={p.holder} />
            </div>
            <div className="col-md-4 form-group">
              <label htmlFor={`email-${p.id}`} className="active">E-mail</label>
              <input id={`email-${p.id}`} name="email" type="email" className="form-control" defaultValue={p.email} />
            </div>
          </div>
          <div className="form-check">
            <input id={`active-${p.id}`} name="active" type="checkbox" defaultChecked={p.active} />
            <label htmlFor={`active-${p.id}`}>Attiva</label>
          </div>
          <button type="submit" className="btn btn-outline-primary btn-sm">
            Salva la figura
          </button>
        </Form>
      ))}
    </>
  );
}
