import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { componentPage, editorAction } from "~/applications/form-editor-pages.server";
import { BackToConfig } from "~/components/admin";
import { CsrfInput } from "~/components/csrf-input";
import { EditorAlert } from "~/components/form-editor";
import { PageTitle } from "~/components/layout";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Modifica «${data?.component.label || data?.component.key}» — Configurazione — Monitoraggio pratiche` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  return componentPage(request, params.id ?? "", params.key ?? "");
}

export async function action({ request, params }: ActionFunctionArgs) {
  return editorAction(request, params.id ?? "");
}

const RULE_LABELS = {
  minLength: { label: "Lunghezza minima (caratteri)", hint: "Vuoto: nessun minimo." },
  maxLength: { label: "Lunghezza massima (caratteri)", hint: "Vuoto: il limite predefinito (200, testo lungo 4000)." },
  min: { label: "Valore minimo", hint: "Vuoto: nessun minimo. Decimali con la virgola." },
  max: { label: "Valore massimo", hint: "Vuoto: nessun massimo. Decimali con la virgola." },
  pattern: { label: "Formato (espressione regolare)", hint: "Per esperti: il valore intero deve corrispondere, ad esempio [A-Z]{2}[0-9]{5}." },
} as const;

function Input({ name, label, hint, defaultValue, numeric, error }: { name: string; label: string; hint?: string; defaultValue: string; numeric?: boolean; error?: string }) {
  const described = [hint ? `${name}-hint` : "", error ? `${name}-error` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div className="form-group mt-5 mb-4">
      <label htmlFor={name} className="active">
        {label}
      </label>
      <input id={name} name={name} className={`form-control${error ? " is-invalid" : ""}`} defaultValue={defaultValue} inputMode={numeric ? "decimal" : undefined} aria-invalid={error ? true : undefined} aria-describedby={described} />
      {hint ? (
        <small id={`${name}-hint`} className="form-text">
          {hint}
        </small>
      ) : null}
      {error ? (
        <div id={`${name}-error`} className="invalid-feedback d-block">
          {error}
        </div>
      ) : null}
    </div>
  );
}

export default function EditComponent() {
  const { id, procedureTitle, version, draft, component: c } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const isPage = c.type === "panel";
  const errorOf = (name: string) => (result && !result.ok && result.field === name ? result.error : undefined);
  return (
    <>
      <BackToConfig to={`/admin/moduli/${id}#c-${c.key}`} label={`Modulo, versione ${version}`} />
      <PageTitle lead={`${procedureTitle} · ${c.typeLabel} · chiave ${c.key}`}>Modifica «{c.label || c.key}»</PageTitle>
      <EditorAlert result={result} />
      {!draft ? (
        <div className="alert alert-info" role="note">
          Questa versione non è una bozza: non può essere modificata. Torna al modulo e crea una nuova bozza.
        </div>
      ) : (
        <Form method="post" noValidate>
          <CsrfInput />
          <input type="hidden" name="intent" value="modifica" />
          <input type="hidden" name="key" value={c.key} />
          {c.type === "content" ? (
            <div className="form-group mt-5 mb-4">
              <label htmlFor="html" className="active">
                Testo mostrato
              </label>
              <textarea id="html" name="html" className="form-control" rows={4} defaultValue={c.html} />
            </div>
          ) : (
            <Input name="label" label={isPage ? "Titolo della pagina" : "Etichetta"} defaultValue={c.label} error={errorOf("label")} />
          )}
          {!isPage && c.type !== "content" ? (
            <div className="form-group mt-5 mb-4">
              <label htmlFor="description" className="active">
                Testo di aiuto
              </label>
              <textarea id="description" name="description" className="form-control" rows={2} defaultValue={c.description} aria-describedby="description-hint" />
              <small id="description-hint" className="form-text">
                Mostrato sotto il campo.
              </small>
            </div>
          ) : null}
          {c.hasRequired ? (
            <div className="form-check mb-4">
              <input type="hidden" name="hasRequired" value="1" />
              <input id="required" name="required" type="checkbox" defaultChecked={c.required} />
              <label htmlFor="required">Obbligatorio</label>
            </div>
          ) : null}
          {c.rules
            .filter((r) => r !== "required")
            .map((r) => (
              <Input key={r} name={r} label={RULE_LABELS[r].label} hint={RULE_LABELS[r].hint} defaultValue={String(c[r] ?? "")} numeric={r !== "pattern"} error={errorOf(r)} />
            ))}
          {c.options !== null ? (
            <div className="form-group mt-5 mb-4">
              <label htmlFor="options" className="active">
                Opzioni
              </label>
              <textarea id="options" name="options" className="form-control font-monospace" rows={6} defaultValue={c.options} aria-describedby="options-hint" />
              <small id="options-hint" className="form-text">
                Una per riga, nella forma «valore | Etichetta» (il valore è ciò che si salva: lettere, cifre, senza ripetizioni).
              </small>
            </div>
          ) : null}
          <button type="submit" className="btn btn-primary">
            Salva la modifica
          </button>
        </Form>
      )}
    </>
  );
}
