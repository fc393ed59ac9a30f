import { Form } from "@remix-run/react";
import { CsrfInput } from "~/components/csrf-input";
import { SelectField, TextField } from "~/components/form-fields";

type Day = { label: string; procedureId: string; opensLocal: string; closesLocal: string; quota: number };

/** The click day's settings; the instants are Europe/Rome, to the second. */
export function ClickDayForm({ day, procedures }: { day?: Day | null; procedures: { value: string; label: string }[] }) {
  return (
    <Form method="post" className="mb-4 pt-3">
      <CsrfInput />
      <SelectField name="procedureId" label="Procedimento" required empty="Scegliere il procedimento" options={procedures} defaultValue={day?.procedureId ?? ""} />
      <TextField name="label" label="Nome" required maxLength={200} defaultValue={day?.label} />
      <TextField name="opensAt" label="Apertura (ora italiana, al secondo)" required type="datetime-local" step={1} defaultValue={day?.opensLocal} />
      <TextField name="closesAt" label="Chiusura (facoltativa)" type="datetime-local" step={1} defaultValue={day?.closesLocal} />
      <TextField name="quota" label="Quota (domande in graduatoria utile)" required inputMode="numeric" defaultValue={day?.quota} />
      <button type="submit" className="btn btn-primary">{day ? "Salva le modifiche" : "Crea il click day"}</button>
    </Form>
  );
}
