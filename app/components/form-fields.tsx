import { createContext, useContext, type ReactNode } from "react";

/**
 * Form fields in bootstrap-italia markup with the Italian error message next to the field
 * (aria-invalid + aria-describedby), and the submitted values kept after a refusal.
 */
export type FormResult =
  | { ok: true; message: string }
  | { ok: false; error: string; fields: Record<string, string>; values: Record<string, string | string[]> };

type State = { errors: Record<string, string>; values: Record<string, string | string[]> | null };
const FormStateContext = createContext<State>({ errors: {}, values: null });

export function FormState({ result, children }: { result: FormResult | undefined | null; children: ReactNode }) {
  const state: State = result && !result.ok ? { errors: result.fields, values: result.values } : { errors: {}, values: null };
  return <FormStateContext.Provider value={state}>{children}</FormStateContext.Provider>;
}

function useField(name: string, fallback: string | undefined) {
  const { errors, values } = useContext(FormStateContext);
  const submitted = values ? values[name] : undefined;
  const value = values ? (typeof submitted === "string" ? submitted : "") : (fallback ?? "");
  return { error: errors[name], value };
}

/** The outcome of the last submission: success, or the refusal (stale form, missing item…). */
export function FormAlert({ result }: { result: FormResult | undefined | null }) {
  if (!result) return null;
  if (result.ok)
    return (
      <div className="alert alert-success" role="status">
        {result.message}
      </div>
    );
  const messages = Object.entries(result.fields).filter(([k]) => k !== "_form").map(([, m]) => m);
  if (!messages.length && !result.error) return null;
  return (
    <div className="alert alert-danger" role="alert">
      {messages.length ? (
        <>
          <p className="mb-1">Modifiche non salvate: correggere i campi indicati.</p>
          <ul className="mb-0">
            {messages.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        </>
      ) : (
        result.error
      )}
    </div>
  );
}

type Common = { name: string; label: string; hint?: string; required?: boolean; className?: string };

function Hint({ id, hint, error }: { id: string; hint?: string; error?: string }) {
  return (
    <>
      {hint ? (
        <small id={`${id}-hint`} className="form-text">
          {hint}
        </small>
      ) : null}
      {error ? (
        <div id={`${id}-error`} className="invalid-feedback d-block" data-testid={`error-${id}`}>
          {error}
        </div>
      ) : null}
    </>
  );
}

const describedBy = (id: string, hint?: string, error?: string) =>
  [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;

export function TextField(props: Common & { defaultValue?: string | number | null; type?: string; maxLength?: number; inputMode?: "numeric"; step?: number }) {
  const { error, value } = useField(props.name, props.defaultValue === null || props.defaultValue === undefined ? "" : String(props.defaultValue));
  const id = props.name;
  return (
    <div className={`form-group ${props.className ?? ""}`}>
      <label htmlFor={id} className="active">
        {props.label}
        {props.required ? " (obbligatorio)" : ""}
      </label>
      <input
        id={id}
        name={props.name}
        type={props.type ?? "text"}
        className={`form-control${error ? " is-invalid" : ""}`}
        defaultValue={value}
        maxLength={props.maxLength}
        inputMode={props.inputMode}
        step={props.step}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, props.hint, error)}
      />
      <Hint id={id} hint={props.hint} error={error} />
    </div>
  );
}

export function TextArea(props: Common & { defaultValue?: string | null; rows?: number; mono?: boolean }) {
  const { error, value } = useField(props.name, props.defaultValue ?? "");
  const id = props.name;
  return (
    <div className={`form-group ${props.className ?? ""}`}>
      <label htmlFor={id} className="active">
        {props.label}
        {props.required ? " (obbligatorio)" : ""}
      </label>
      <textarea
        id={id}
        name={props.name}
        rows={props.rows ?? 4}
        className={`form-control${error ? " is-invalid" : ""}${props.mono ? " font-monospace" : ""}`}
        defaultValue={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, props.hint, error)}
      />
      <Hint id={id} hint={props.hint} error={error} />
    </div>
  );
}

export function SelectField(
  props: Common & {
    defaultValue?: string | null;
    options: { value: string; label: string }[];
    empty?: string;
    onChange?: (e: React.ChangeEvent<HTMLSelectElement>) => void;
    /** When a page has two fields of the same name (two forms), the id tells them apart. */
    id?: string;
  },
) {
  const { error, value } = useField(props.name, props.defaultValue ?? "");
  const id = props.id ?? props.name;
  return (
    <div className={`select-wrapper mb-4 ${props.className ?? ""}`}>
      <label htmlFor={id}>
        {props.label}
        {props.required ? " (obbligatorio)" : ""}
      </label>
      <select
        id={id}
        name={props.name}
        defaultValue={value}
        onChange={props.onChange}
        className={error ? "is-invalid" : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, props.hint, error)}
      >
        {props.empty !== undefined ? <option value="">{props.empty}</option> : null}
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <Hint id={id} hint={props.hint} error={error} />
    </div>
  );
}

export function CheckboxField(props: Common & { defaultChecked: boolean }) {
  const { errors, values } = useContext(FormStateContext);
  const checked = values ? values[props.name] !== undefined : props.defaultChecked;
  const error = errors[props.name];
  const id = props.name;
  return (
    <div className={`form-check ${props.className ?? ""}`}>
      <input id={id} name={props.name} type="checkbox" defaultChecked={checked} aria-describedby={describedBy(id, props.hint, error)} />
      <label htmlFor={id}>{props.label}</label>
      <Hint id={id} hint={props.hint} error={error} />
    </div>
  );
}

/** A group of checkboxes posting several values under one name (e.g. accredited gestori). */
export function CheckboxGroup(props: Common & { options: { value: string; label: string }[]; defaultValues: string[] }) {
  const { errors, values } = useContext(FormStateContext);
  const submitted = values ? values[props.name] : undefined;
  const chosen = values ? (Array.isArray(submitted) ? submitted : submitted ? [submitted] : []) : props.defaultValues;
  const error = errors[props.name];
  return (
    <fieldset className={`mb-4 ${props.className ?? ""}`} aria-describedby={error ? `${props.name}-error` : undefined}>
      <legend className="h6">{props.label}</legend>
      {props.options.length === 0 ? <p className="text-muted">Nessuna voce disponibile.</p> : null}
      {props.options.map((o, i) => (
        <div className="form-check" key={o.value}>
          <input id={`${props.name}-${i}`} name={props.name} type="checkbox" value={o.value} defaultChecked={chosen.includes(o.value)} />
          <label htmlFor={`${props.name}-${i}`}>{o.label}</label>
        </div>
      ))}
      <Hint id={props.name} hint={props.hint} error={error} />
    </fieldset>
  );
}
