import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { CsrfInput } from "./csrf-input";

/** The editor's outcome: the refusal lists each problem with its path (docs/decisions/0093). */
export function EditorAlert({ result, notice }: { result?: { ok: true; message: string } | { ok: false; error: string; problems: string[] } | null; notice?: string | null }) {
  if (result && !result.ok)
    return (
      <div className="alert alert-danger" role="alert" data-testid="editor-error">
        <p className="mb-1">{result.error}</p>
        {result.problems.length ? (
          <ul className="mb-0">
            {result.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        ) : null}
      </div>
    );
  const message = result?.ok ? result.message : notice;
  return message ? (
    <div className="alert alert-success" role="status">
      {message}
    </div>
  ) : null;
}

/** A one-button form (move, remove, publish…): works by keyboard and without JavaScript. */
export function ActionButton({ intent, fields = {}, label, hidden, disabled, className = "btn btn-outline-primary btn-sm" }: { intent: string; fields?: Record<string, string>; label: ReactNode; hidden?: string; disabled?: boolean; className?: string }) {
  return (
    <Form method="post" className="d-inline">
      <CsrfInput />
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(fields).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <button type="submit" className={className} disabled={disabled}>
        {label}
        {hidden ? <span className="visually-hidden"> {hidden}</span> : null}
      </button>
    </Form>
  );
}

type SelectFieldProps = { id: string; name: string; label: string; options: { value: string; label: string }[]; defaultValue: string; empty?: string; hint?: string; className?: string };

/** A labelled select of the configuration pages, with an optional empty first choice and a hint. */
export function SelectField({ id, name, label, options, defaultValue, empty, hint, className = "select-wrapper mb-4" }: SelectFieldProps) {
  return (
    <div className={className}>
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue={defaultValue} aria-describedby={hint ? `${id}-hint` : undefined}>
        {empty !== undefined ? <option value="">{empty}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {hint ? (
        <small id={`${id}-hint`} className="form-text">
          {hint}
        </small>
      ) : null}
    </div>
  );
}
