import type { ReactNode } from "react";
import { formatDateTime } from "./labels";
import { fieldLabel, isShown, optionsOf, type Component, type FormDefinition } from "~/forms/definition";
import type { FileRef } from "~/forms/validate";

/**
 * One page of an application's form, drawn on the server in bootstrap-italia markup from the
 * model's definition: every field with its label, help text and the Italian error beside it.
 * Fields hidden by a condition on an earlier answer are not drawn; a condition on this page's
 * own answers is applied when the page is posted (no JavaScript needed).
 */
export type FormValues = Record<string, unknown>;

const describedBy = (key: string, help?: string, error?: string) =>
  [help ? `${key}-help` : "", error ? `${key}-error` : ""].filter(Boolean).join(" ") || undefined;

function Help({ id, help, error }: { id: string; help?: string; error?: string }) {
  return (
    <>
      {help ? <small id={`${id}-help`} className="form-text d-block">{help}</small> : null}
      {error ? <div id={`${id}-error`} className="invalid-feedback d-block" data-testid={`error-${id}`}>{error}</div> : null}
    </>
  );
}

const text = (v: unknown) => (v === undefined || v === null ? "" : Array.isArray(v) ? String(v[0] ?? "") : String(v));
/** Stored money "12345.60" shown as typed in Italy: "12345,60". */
const shownValue = (c: Component, v: unknown) => (c.type === "currency" && /^\d+\.\d{2}$/.test(text(v)) ? text(v).replace(".", ",") : c.type === "number" ? text(v).replace(".", ",") : text(v));

function Field({ c, values, errors, name }: { c: Component; values: FormValues; errors: Record<string, string>; name?: string }) {
  const key = name ?? c.key;
  const id = key.replace(/[[\]]/g, "_");
  const label = fieldLabel(c);
  const required = !!c.validate?.required;
  const error = errors[key];
  const aria = { "aria-invalid": error ? true : undefined, "aria-describedby": describedBy(id, c.description, error), "aria-required": required || undefined };
  const star = required ? <span aria-hidden="true"> *</span> : null;
  const value = values[key];
  switch (c.type) {
    case "textarea":
      return (
        <div className="form-group mb-4">
          <label htmlFor={id} className="active">{label}{star}</label>
          <textarea id={id} name={key} rows={c.rows ?? 4} className={`form-control${error ? " is-invalid" : ""}`} defaultValue={text(value)} maxLength={c.validate?.maxLength ?? 4000} {...aria} />
          <Help id={id} help={c.description} error={error} />
        </div>
      );
    case "select":
      return (
        <div className="select-wrapper mb-4">
          <label htmlFor={id}>{label}{star}</label>
          <select id={id} name={key} className={`form-select${error ? " is-invalid" : ""}`} defaultValue={text(value)} {...aria}>
            <option value="">Scegli un'opzione</option>
            {optionsOf(c).map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
          </select>
          <Help id={id} help={c.description} error={error} />
        </div>
      );
    case "radio":
    case "selectboxes": {
      const chosen = Array.isArray(value) ? value.map(String) : [text(value)];
      return (
        <fieldset className="mb-4" id={id} tabIndex={-1} aria-describedby={describedBy(id, c.description, error)}>
          <legend className="fs-6 fw-semibold">{label}{star}</legend>
          {optionsOf(c).map((o, i) => (
            <div className="form-check" key={o.value}>
              <input id={`${id}-${i}`} type={c.type === "radio" ? "radio" : "checkbox"} name={key} value={o.value} defaultChecked={chosen.includes(o.value)} className="form-check-input" aria-invalid={error ? true : undefined} />
              <label htmlFor={`${id}-${i}`} className="form-check-label">{o.label}</label>
            </div>
          ))}
          <Help id={id} help={c.description} error={error} />
        </fieldset>
      );
    }
    case "checkbox":
      return (
        <div className="form-check mb-4">
          <input id={id} type="checkbox" name={key} value="true" defaultChecked={value === true || value === "true"} className={`form-check-input${error ? " is-invalid" : ""}`} {...aria} />
          <label htmlFor={id} className="form-check-label">{label}{star}</label>
          <Help id={id} help={c.description} error={error} />
        </div>
      );
    case "file": {
      const stored = value && typeof value === "object" && !Array.isArray(value) ? (value as FileRef) : null;
      return (
        <div className="mb-4">
          <label htmlFor={id} className="form-label d-block">{label}{star}</label>
          {stored ? <p className="mb-1" data-testid={`file-${id}`}>Allegato caricato: <strong>{stored.name}</strong> ({stored.size} byte). Puoi sostituirlo scegliendo un altro file.</p> : null}
          <input id={id} type="file" name={key} accept={c.filePattern} className={`form-control${error ? " is-invalid" : ""}`} {...aria} aria-required={required && !stored ? true : undefined} />
          <Help id={id} help={[c.description, `Formati: ${c.filePattern ?? "PDF, JPEG, PNG"}; al massimo ${c.fileMaxSize ?? "10MB"}.`].filter(Boolean).join(" ")} error={error} />
        </div>
      );
    }
    default: {
      const type = c.type === "email" ? "email" : c.type === "phoneNumber" ? "tel" : c.type === "day" ? "date" : c.type === "datetime" ? "datetime-local" : "text";
      const inputMode = c.type === "number" || c.type === "currency" ? ("decimal" as const) : undefined;
      return (
        <div className="form-group mb-4">
          <label htmlFor={id} className="active">{label}{star}</label>
          <input id={id} name={key} type={type} inputMode={inputMode} className={`form-control${error ? " is-invalid" : ""}`} defaultValue={shownValue(c, value)} maxLength={c.validate?.maxLength} autoComplete="off" {...aria} />
          <Help id={id} help={c.description ?? (c.type === "currency" ? "Importo in euro, ad esempio 12.500,00" : undefined)} error={error} />
        </div>
      );
    }
  }
}

function Grid({ c, values, errors }: { c: Component; values: FormValues; errors: Record<string, string> }) {
  const rows = Array.isArray(values[c.key]) ? (values[c.key] as Record<string, unknown>[]) : [];
  const shown = Math.max(rows.length + 1, 1);
  return (
    <fieldset className="mb-4">
      <legend className="fs-6 fw-semibold">{fieldLabel(c)}</legend>
      {Array.from({ length: shown }, (_, i) => (
        <div key={i} className="border rounded p-3 mb-2">
          <p className="fw-semibold mb-5">Riga {i + 1}</p>
          {(c.components ?? []).map((child) => {
            const name = `${c.key}[${i}][${child.key}]`;
            return <Field key={name} c={child} name={name} values={{ [name]: rows[i]?.[child.key] ?? values[name] }} errors={errors} />;
          })}
        </div>
      ))}
      {errors[c.key] ? <div className="invalid-feedback d-block">{errors[c.key]}</div> : null}
      <small className="form-text">Una riga vuota in fondo serve ad aggiungerne una: compilala e salva.</small>
    </fieldset>
  );
}

export function FormComponents({ list, values, errors }: { list: Component[]; values: FormValues; errors: Record<string, string> }): ReactNode {
  return list.map((c) => {
    if (!isShown(c, values)) return null;
    switch (c.type) {
      case "content":
        return <p key={c.key} className="mb-4">{(c.html ?? "").replace(/<[^>]*>/g, "")}</p>;
      case "fieldset":
        return (
          <fieldset key={c.key} className="mb-4">
            <legend className="h5 mb-5">{fieldLabel(c)}</legend>
            <FormComponents list={c.components ?? []} values={values} errors={errors} />
          </fieldset>
        );
      case "columns":
        return (
          <div key={c.key} className="row">
            {(c.columns ?? []).map((col, i) => (
              <div key={i} className="col-12 col-md">
                <FormComponents list={col.components} values={values} errors={errors} />
              </div>
            ))}
          </div>
        );
      case "datagrid":
        return <Grid key={c.key} c={c} values={values} errors={errors} />;
      case "panel":
        return <FormComponents key={c.key} list={c.components ?? []} values={values} errors={errors} />;
      default:
        return <Field key={c.key} c={c} values={values} errors={errors} />;
    }
  });
}

/** The steps of the wizard, with the current one marked for screen readers too. */
export function WizardSteps({ form, current }: { form: FormDefinition; current: string }) {
  return (
    <nav aria-label="Pagine del modulo" className="mb-4">
      <ol className="list-inline mb-0">
        {form.components.map((p, i) => (
          <li key={p.key} className="list-inline-item me-3">
            {p.key === current ? (
              <strong aria-current="step">{i + 1}. {fieldLabel(p)}</strong>
            ) : (
              <span>{i + 1}. {fieldLabel(p)}</span>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}

export function ErrorSummary({ errors, message }: { errors: Record<string, string>; message: string }) {
  const entries = Object.entries(errors);
  return (
    <div className="alert alert-danger" role="alert" data-testid="error-summary">
      <p className="mb-1">{message}</p>
      {entries.length ? (
        <ul className="mb-0">
          {entries.map(([k, m]) => (
            <li key={k}><a href={`#${k.replace(/[[\]]/g, "_")}`}>{m}</a></li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** An application's answers as label/value pairs (applicant's summary and officials' page). */
export function AnswerList({ answers }: { answers: { label: string; value: string }[] }) {
  return (
    <section aria-labelledby="risposte">
      <h2 id="risposte" className="h4">Risposte</h2>
      <dl className="row">
        {answers.map((x) => (
          <div key={x.label} className="contents">
            <dt className="col-sm-5">{x.label}</dt>
            <dd className="col-sm-7" style={{ overflowWrap: "anywhere" }}>{x.value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** The states an application went through, with when (Europe/Rome). */
export function ApplicationTimeline({ timeline, title }: { timeline: { at: string; to: string }[]; title: string }) {
  return (
    <section aria-labelledby="storia">
      <h2 id="storia" className="h4">{title}</h2>
      <ol>{timeline.map((t, i) => <li key={i}>{formatDateTime(t.at)}: {t.to}</li>)}</ol>
    </section>
  );
}
