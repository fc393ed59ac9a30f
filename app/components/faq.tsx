import { Form } from "@remix-run/react";
import { CsrfInput } from "./csrf-input";
import { SelectField, TextArea, TextField } from "./form-fields";

export const FAQ_STATUS_LABELS = { draft: "Bozza", published: "Pubblicata" } as const;

const CATEGORIES = [
  { value: "tecnica", label: "Tecnica" },
  { value: "funzionale", label: "Funzionale" },
  { value: "giuridica", label: "Giuridica" },
];

/** An administrator's form for a frequent answer: save as draft, publish, or withdraw. */
export function FaqForm({ entry }: { entry?: { question: string; answer: string; category: string; status: "draft" | "published" } }) {
  return (
    <Form method="post" className="mb-4 pt-3">
      <CsrfInput />
      <TextField name="question" label="Domanda" required maxLength={300} defaultValue={entry?.question} />
      <TextArea name="answer" label="Risposta" rows={8} required defaultValue={entry?.answer} />
      <SelectField name="category" label="Categoria (facoltativa)" empty="Nessuna" options={CATEGORIES} defaultValue={entry?.category ?? ""} />
      <div className="d-flex flex-wrap gap-2">
        <button type="submit" name="intent" value="publish" className="btn btn-primary">
          {entry?.status === "published" ? "Salva e mantieni pubblicata" : "Pubblica"}
        </button>
        {entry?.status === "published" ? (
          <button type="submit" name="intent" value="unpublish" className="btn btn-outline-danger">Ritira dalla pubblicazione</button>
        ) : (
          <button type="submit" name="intent" value="draft" className="btn btn-outline-primary">Salva come bozza</button>
        )}
      </div>
    </Form>
  );
}
