import { Form } from "@remix-run/react";
import { CsrfInput } from "~/components/csrf-input";
import { CheckboxGroup, SelectField, TextArea, TextField } from "~/components/form-fields";

type Day = {
  label: string;
  procedureId: string;
  opensLocal: string;
  closesLocal: string;
  quota: number;
  groupBy: string;
  groupField: string;
  groupQuotaLines: string;
  formModelIds: string[];
  assignField: string;
  assignValues: string;
};
type Option = { value: string; label: string };

const GROUPINGS = [
  { value: "none", label: "Nessuna: una sola quota" },
  { value: "category", label: "Per categoria (il valore di un campo del modulo)" },
  { value: "province", label: "Per provincia (del comune indicato in un campo del modulo)" },
];

/** The click day's settings; the instants are Europe/Rome, to the second; quota split and assignment (ADR 120). */
export function ClickDayForm({ day, procedures, models }: { day?: Day | null; procedures: Option[]; models: Option[] }) {
  return (
    <Form method="post" className="mb-4 pt-3">
      <CsrfInput />
      <SelectField name="procedureId" label="Procedimento" required empty="Scegliere il procedimento" options={procedures} defaultValue={day?.procedureId ?? ""} />
      <TextField name="label" label="Nome" required maxLength={200} defaultValue={day?.label} />
      <TextField name="opensAt" label="Apertura (ora italiana, al secondo)" required type="datetime-local" step={1} defaultValue={day?.opensLocal} />
      <TextField name="closesAt" label="Chiusura (facoltativa)" type="datetime-local" step={1} defaultValue={day?.closesLocal} />
      <TextField name="quota" label="Quota (domande in graduatoria utile)" required inputMode="numeric" defaultValue={day?.quota} />
      <fieldset className="mb-4">
        <legend className="h5">Ripartizione della quota</legend>
        <SelectField name="groupBy" label="Ripartizione" className="mt-5" options={GROUPINGS} defaultValue={day?.groupBy ?? "none"} />
        <TextField name="groupField" label="Campo della ripartizione" maxLength={100} defaultValue={day?.groupField} hint="La chiave del campo del modulo: per categoria, per esempio «settore»; per provincia, il campo con il codice ISTAT del comune, per esempio «comuneSede»." />
        <TextArea name="groupQuotas" label="Quote per gruppo" rows={4} mono defaultValue={day?.groupQuotaLines} hint="Una per riga, «gruppo: quota» (per esempio «manifattura: 100» o «RM: 200»); la somma è la quota. Le domande di un gruppo senza quota sono fuori quota." />
      </fieldset>
      <fieldset className="mb-4">
        <legend className="h5">Domande assegnate a questo click day</legend>
        <CheckboxGroup name="formModelIds" label="Modelli di domanda (nessuno scelto: tutti quelli del procedimento)" options={models} defaultValues={day?.formModelIds ?? []} />
        <TextField name="assignField" label="Campo delle categorie assegnate (facoltativo)" maxLength={100} defaultValue={day?.assignField} />
        <TextField name="assignValues" label="Categorie assegnate" maxLength={2000} defaultValue={day?.assignValues} hint="I valori del campo, separati da virgole (per esempio «manifattura, commercio»): le altre categorie vanno ad altri click day." />
      </fieldset>
      <button type="submit" className="btn btn-primary">{day ? "Salva le modifiche" : "Crea il click day"}</button>
    </Form>
  );
}
