import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { gestoreEditData, handleGestoreAction } from "~/admin/config-pages.server";
import { requireForm, requirePermission } from "~/auth/guards.server";
import { BackToConfig, VersionInput } from "~/components/admin";
import { CsrfInput } from "~/components/csrf-input";
import { CheckboxField, CheckboxGroup, FormAlert, FormState, TextArea, TextField } from "~/components/form-fields";
import { PageTitle } from "~/components/layout";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.gestore.name ?? "Ente gestore"} — Configurazione — Monitoraggio pratiche` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "config.manage");
  return gestoreEditData(params.id ?? "");
}

export async function action({ request, params }: ActionFunctionArgs) {
  const signedIn = await requirePermission(request, "config.manage");
  return handleGestoreAction(request, signedIn, params.id ?? "", await requireForm(request, signedIn));
}

export default function GestoreEdit() {
  const { gestore: g, measures } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <BackToConfig to="/admin/enti" label="Enti gestori" />
      <PageTitle lead={`Codice fiscale ${g.fiscalCode}`}>{g.name}</PageTitle>
      <FormAlert result={result} />
      <FormState result={result}>
        <Form method="post" className="mt-4" key={g.version} noValidate>
          <CsrfInput />
          <VersionInput version={g.version} />
          <TextField name="name" label="Denominazione" required defaultValue={g.name} maxLength={200} />
          <div className="row">
            <TextField className="col-md-6" name="email" label="E-mail" type="email" defaultValue={g.email} />
            <TextField className="col-md-6" name="pec" label="PEC" type="email" defaultValue={g.pec} />
          </div>
          <TextArea name="contacts" label="Contatti" defaultValue={g.contacts} rows={3} hint="Persone di riferimento e recapiti telefonici." />
          <TextField name="operatorQuota" label="Numero massimo di operatori" required inputMode="numeric" defaultValue={g.operatorQuota} />
          <CheckboxGroup name="measures" label="Misure per cui l'ente è accreditato" options={measures} defaultValues={g.measureIds} />
          <CheckboxField name="active" label="Ente attivo" hint="Un ente disattivato resta in anagrafica con il suo storico, consultabile da funzionari e utenti dell'ente; i suoi utenti non possono più inviare flussi, l'ente non riceve promemoria né riepiloghi e non si possono chiedere nuove abilitazioni per i suoi operatori." defaultChecked={g.active} />
          <button type="submit" className="btn btn-primary mt-3">
            Salva
          </button>
        </Form>
      </FormState>
    </>
  );
}
