import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { CsrfInput } from "./csrf-input";
import { TextArea, TextField } from "./form-fields";

/**
 * The one form that starts a conversation: to the office, to one or more gestori, or about a
 * practice. Callers add what is particular to them (recipients, kind, due date) as children
 * and may replace the send button.
 */
export function NewMessageForm(props: { summary: string; open?: boolean; intent?: string; children?: ReactNode; buttons?: ReactNode }) {
  return (
    <details className="mb-4" open={props.open}>
      <summary>{props.summary}</summary>
      <Form method="post" className="mt-3">
        <CsrfInput />
        {props.intent ? <input type="hidden" name="intent" value={props.intent} /> : null}
        {props.children}
        <TextField name="subject" label="Oggetto" maxLength={200} />
        <TextArea name="body" label="Testo" rows={4} />
        {props.buttons ?? (
          <button type="submit" className="btn btn-primary">
            Invia
          </button>
        )}
      </Form>
    </details>
  );
}
