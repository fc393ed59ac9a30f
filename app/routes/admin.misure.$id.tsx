import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { handleMeasureAction, measureEditData } from "~/admin/config-pages.server";
import { requireForm, requirePermission } from "~/auth/guards.server";
import { BackToConfig, VersionInput } from "~/components/admin";
import { CsrfInput } from "~/components/csrf-input";
import { CheckboxField, CheckboxGroup, FormAlert, FormState, SelectField, TextArea, TextField } from "~/components/form-fields";
import { PageTitle } from "~/components/layout";

const CADENCES = [
  { value: "none", label: "Nessun obbligo di invio" },
  { value: "monthly", label: "Mensile: entro il giorno N del mese successivo" },
  { value: "every_n_days", label: "Ogni N giorni" },
];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.measure?.code ?? "Nuova misura"} — Configurazione — Monitoraggio pratiche` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "config.manage");
  return measureEditData(params.id ?? "");
}

export async function action({ request, params }: ActionFunctionArgs) {
  const signedIn = await requirePermission(request, "config.manage");
  return handleMeasureAction(request, signedIn, params.id ?? "", await requireForm(request, signedIn));
}

/**
 * The measure form is made of fieldsets, one per concern; a new group of settings (e.g. the
 * upload obligation) is one more fieldset here and one more entry in `measureFields`.
 */
export default function MeasureEdit() {
  const { measure: m, options } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [search] = useSearchParams();
  const shown = result ?? (search.get("salvato") ? { ok: true as const, message: "Misura creata." } : null);
  return (
    <>
      <BackToConfig to="/admin/misure" label="Misure" />
      <PageTitle>{m ? `Misura ${m.code}` : "Nuova misura"}</PageTitle>
      <FormAlert result={shown} />
      <FormState result={result}>
        <Form method="post" className="mt-4" key={m?.version ?? 0} noValidate>
          <CsrfInput />
          <VersionInput version={m?.version ?? 0} />
          <fieldset className="mb-4">
            <legend className="h5 mb-4">Dati generali</legend>
            {m ? null : <TextField name="code" label="Codice" required maxLength={50} hint="Il codice usato nei flussi (campo codice_misura): lettere, cifre, . _ -" />}
            <TextField name="name" label="Nome" required defaultValue={m?.name} maxLength={200} />
            <TextArea name="description" label="Descrizione" defaultValue={m?.description} rows={3} />
            <SelectField name="procedureId" label="Procedimento del catalogo" empty="Nessuno" defaultValue={m?.procedureId} options={options.procedures} />
          </fieldset>
          <fieldset className="mb-4">
            <legend className="h5 mb-4">Periodo di invio</legend>
            <div className="row">
              <TextField className="col-md-6" name="opensOn" label="Data di apertura" type="date" defaultValue={m?.opensOn} />
              <TextField className="col-md-6" name="closesOn" label="Data di chiusura" type="date" defaultValue={m?.closesOn} />
            </div>
            <CheckboxField name="isOpen" label="Misura aperta: accetta pratiche nei flussi" defaultChecked={m?.isOpen ?? true} />
          </fieldset>
          <fieldset className="mb-4">
            <legend className="h5 mb-4">Obbligo di invio e promemoria</legend>
            <SelectField
              name="orgUnitId"
              label="Struttura responsabile"
              empty="Nessuna: le segnalazioni vanno a tutti i funzionari"
              defaultValue={m?.orgUnitId}
              options={options.units}
              hint="I funzionari di questa struttura ricevono le segnalazioni sugli enti gestori in ritardo."
            />
            <SelectField name="cadence" label="Cadenza dell'obbligo" required defaultValue={m?.cadence ?? "none"} options={CADENCES} />
            <div className="row">
              <TextField
                className="col-md-4"
                name="day"
                label="Giorno del mese successivo o numero di giorni"
                inputMode="numeric"
                defaultValue={m?.day}
                hint="Mensile: il giorno (1-31) del mese successivo entro cui inviare il flusso. Ogni N giorni: il numero N."
              />
              <TextField className="col-md-4" name="startsOn" label="Inizio dell'obbligo" type="date" defaultValue={m?.startsOn} />
              <TextField className="col-md-4" name="endsOn" label="Fine dell'obbligo" type="date" defaultValue={m?.endsOn} hint="Vuoto: nessuna data di fine." />
            </div>
            <div className="row">
              <TextField className="col-md-6" name="reminderEveryDays" label="Promemoria ogni quanti giorni" required inputMode="numeric" defaultValue={m?.reminderEveryDays ?? 7} />
              <TextField
                className="col-md-6"
                name="escalateAfterReminders"
                label="Segnalazione ai funzionari dopo quanti promemoria"
                required
                inputMode="numeric"
                defaultValue={m?.escalateAfterReminders ?? 3}
              />
            </div>
            <div className="row">
              <TextField className="col-md-6" name="maxDaysIstruttoria" label="Giorni massimi in istruttoria" inputMode="numeric" defaultValue={m?.maxDaysIstruttoria} hint="Vuoto: nessun limite." />
              <TextField className="col-md-6" name="maxDaysSospesa" label="Giorni massimi in sospensione" inputMode="numeric" defaultValue={m?.maxDaysSospesa} hint="Vuoto: nessun limite." />
            </div>
          </fieldset>
          <CheckboxGroup name="gestori" label="Enti gestori accreditati" options={options.gestori} defaultValues={m?.gestoreIds ?? []} />
          <button type="submit" className="btn btn-primary">
            {m ? "Salva" : "Crea la misura"}
          </button>
        </Form>
      </FormState>
    </>
  );
}
