import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { componentPage, editorAction } from "~/applications/form-editor-pages.server";
import { BackToConfig } from "~/components/admin";
import { CsrfInput } from "~/components/csrf-input";
import { ActionButton, EditorAlert, SelectField } from "~/components/form-editor";
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

const WRAP = "select-wrapper mt-5 mb-4";

/** A repeatable table counts rows, not characters. */
const GRID_RULE_LABELS = {
  minLength: { label: "Righe minime", hint: "Vuoto: nessun minimo." },
  maxLength: { label: "Righe massime", hint: "Vuoto: nessun massimo." },
} as const;

function Input({ name, label, hint, defaultValue, numeric, error }: { name: string; label: string; hint?: string; defaultValue: string; numeric?: boolean; error?: string }) {
  const described = [hint ? `${name}-hint` : "", error ? `${name}-error` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div className="form-group mt-5 mb-4">
      <label htmlFor={name} className="active">
        {label}
      </label>
      <input
        id={name}
        name={name}
        className={`form-control${error ? " is-invalid" : ""}`}
        defaultValue={defaultValue}
        inputMode={numeric ? "decimal" : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={described}
      />
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

const labelOf = (type: string) => (type === "panel" ? "Titolo della pagina" : type === "fieldset" ? "Titolo del gruppo" : type === "columns" ? "Nome (solo nell'editor, non mostrato)" : "Etichetta");

export default function EditComponent() {
  const { id, procedureTitle, version, draft, component: c, plugins, moveTargets, condition } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errorOf = (name: string) => (result && !result.ok && result.field === name ? result.error : undefined);
  const ruleLabel = (r: keyof typeof RULE_LABELS) => (c.type === "datagrid" && (r === "minLength" || r === "maxLength") ? GRID_RULE_LABELS[r] : RULE_LABELS[r]);
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
        <>
          <Form method="post" noValidate aria-labelledby="proprieta">
            <h2 className="h4" id="proprieta">
              Proprietà
            </h2>
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
              <Input name="label" label={labelOf(c.type)} defaultValue={c.label} error={errorOf("label")} />
            )}
            {!["panel", "content", "fieldset", "columns"].includes(c.type) ? (
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
                <label htmlFor="required">{c.type === "datagrid" ? "Obbligatoria (almeno una riga)" : "Obbligatorio"}</label>
              </div>
            ) : null}
            {c.rules
              .filter((r) => r !== "required")
              .map((r) => (
                <Input key={r} name={r} label={ruleLabel(r).label} hint={ruleLabel(r).hint} defaultValue={String(c[r] ?? "")} numeric={r !== "pattern"} error={errorOf(r)} />
              ))}
            {c.plugin !== null ? (
              <SelectField
                id="plugin"
                name="plugin"
                label="Validatore italiano"
                hint="La risposta deve essere valida per il tipo scelto (ad esempio il carattere di controllo del codice fiscale)."
                defaultValue={c.plugin}
                options={plugins}
                empty="Nessuno"
                className={WRAP}
              />
            ) : null}
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
          {c.columns ? <ColumnsSection k={c.key} columns={c.columns} max={c.maxColumns} /> : null}
          {moveTargets.length ? (
            <Form method="post" className="mt-5" aria-labelledby="sposta">
              <h2 className="h4" id="sposta">
                Sposta in un'altra pagina o contenitore
              </h2>
              <CsrfInput />
              <input type="hidden" name="key" value={c.key} />
              <SelectField
                id="move-to"
                name="to"
                label="Destinazione"
                hint="Il componente va in fondo alla destinazione; poi puoi riordinarlo con «Sposta su»."
                defaultValue={moveTargets[0]!.id}
                options={moveTargets.map((d) => ({ value: d.id, label: d.label }))}
                className={WRAP}
              />
              <button type="submit" name="intent" value="sposta-in" className="btn btn-outline-primary">
                Sposta
              </button>
            </Form>
          ) : null}
          {condition ? <ConditionSection k={c.key} condition={condition} /> : null}
        </>
      )}
    </>
  );
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;

/** The columns of a `columns` component: add one, remove an empty one (each its own one-button form). */
function ColumnsSection({ k, columns, max }: { k: string; columns: { number: number; fields: number }[]; max: number }) {
  return (
    <section className="mt-5" aria-labelledby="colonne">
      <h2 className="h4" id="colonne">
        Colonne
      </h2>
      <ul className="list-unstyled">
        {columns.map((col) => (
          <li key={col.number} className="d-flex flex-wrap gap-2 align-items-center border-top py-2">
            <span className="me-auto">
              Colonna {col.number}: {col.fields === 0 ? "vuota" : col.fields === 1 ? "un componente" : `${col.fields} componenti`}
            </span>
            <ActionButton
              intent="rimuovi-colonna"
              fields={{ key: k, index: String(col.number) }}
              label="Rimuovi"
              hidden={`la colonna ${col.number}`}
              disabled={col.fields > 0 || columns.length === 1}
              className="btn btn-outline-danger btn-sm"
            />
          </li>
        ))}
      </ul>
      <p className="small">Si rimuove solo una colonna vuota. Per aggiungere un campo in una colonna usa «Aggiungi un campo» nella pagina del modulo.</p>
      <ActionButton intent="aggiungi-colonna" fields={{ key: k }} label="Aggiungi una colonna" disabled={columns.length >= max} />
    </section>
  );
}

/**
 * show/when/eq without JSON. Choosing the field is a GET (it only reloads this page with that
 * field's values offered), so it works without JavaScript; saving is the POST below it.
 */
function ConditionSection({ k, condition }: { k: string; condition: NonNullable<Loaded["condition"]> }) {
  const current = condition.current;
  return (
    <section className="mt-5 mb-5" aria-labelledby="condizione">
      <h2 className="h4" id="condizione">
        Condizione
      </h2>
      <p data-testid="condition-now">{current ? `Ora: ${current.show ? "mostrato" : "nascosto"} solo quando «${current.when}» è uguale a «${current.eq}».` : "Ora: sempre mostrato."}</p>
      {condition.fields.length === 0 ? (
        <p>Non ci sono altri campi da cui far dipendere questo componente.</p>
      ) : (
        <>
          <Form method="get" aria-label="Scelta del campo della condizione">
            <SelectField
              id="cond-when"
              name="quando"
              label="Dipende dal campo"
              defaultValue={condition.when ?? ""}
              options={condition.fields}
              empty={condition.when ? undefined : "Scegli un campo"}
              className={WRAP}
            />
            <button type="submit" className="btn btn-outline-primary btn-sm">
              Scegli il campo
            </button>
          </Form>
          {condition.when ? (
            <Form method="post" className="mt-3" aria-label="Salvataggio della condizione">
              <CsrfInput />
              <input type="hidden" name="key" value={k} />
              <input type="hidden" name="when" value={condition.when} />
              <SelectField
                id="cond-show"
                name="show"
                label={`Quando «${condition.whenLabel}» è uguale al valore scelto, questo componente è`}
                defaultValue={current && !current.show ? "false" : "true"}
                className={WRAP}
                options={[
                  { value: "true", label: "mostrato (altrimenti nascosto)" },
                  { value: "false", label: "nascosto (altrimenti mostrato)" },
                ]}
              />
              {condition.values ? (
                <SelectField id="cond-eq" name="eq" label="Valore" defaultValue={condition.eq} options={condition.values} className={WRAP} />
              ) : (
                <Input name="eq" label="Valore" hint="Il valore esatto della risposta (per un numero, le cifre senza punti)." defaultValue={condition.eq} />
              )}
              <button type="submit" name="intent" value="condizione" className="btn btn-primary">
                Salva la condizione
              </button>
            </Form>
          ) : null}
          {current ? (
            <div className="mt-3">
              <ActionButton intent="rimuovi-condizione" fields={{ key: k }} label="Rimuovi la condizione" className="btn btn-outline-danger btn-sm" />
            </div>
          ) : null}
        </>
      )}
    </section>
  );
}
