import type { FormResult } from "~/components/form-fields";
import { FieldErrors, InputError } from "./errors";

/** The submitted form as a plain object; names posted more than once become arrays. */
export function formValues(form: FormData, multi: string[] = []): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of form) {
    if (k === "csrf" || typeof v !== "string") continue;
    out[k] = v;
  }
  for (const k of multi) out[k] = form.getAll(k).filter((v): v is string => typeof v === "string");
  return out;
}

/**
 * Runs a change and turns a refusal the user can act on (validation, stale form) into the
 * result the page shows; anything else is a bug and propagates.
 */
export async function runForm(values: Record<string, string | string[]>, change: () => Promise<string>): Promise<FormResult> {
  try {
    return { ok: true, message: await change() };
  } catch (e) {
    if (e instanceof FieldErrors) return { ok: false, error: e.message, fields: e.fields, values };
    if (e instanceof InputError) return { ok: false, error: e.message, fields: e.field ? { [e.field]: e.message, _form: e.message } : {}, values };
    throw e;
  }
}

const MAX_LIST_BYTES = 1_000_000;

/** A list sent as a file (`file`) or pasted (`csv`): the file wins when one was chosen. Over 1 MB: InputError. */
export async function uploadedOrPastedText(form: FormData): Promise<string> {
  const file = form.get("file");
  if (file && typeof file !== "string" && file.size > 0) {
    if (file.size > MAX_LIST_BYTES) throw new InputError("File troppo grande: al massimo 1 MB");
    return file.text();
  }
  const pasted = form.get("csv");
  return typeof pasted === "string" ? pasted : "";
}
