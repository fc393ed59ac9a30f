/** A refusal the user can act on; its message is Italian and safe to show. */
export class InputError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "InputError";
  }
}

export function zodMessages(error: { issues: { path: PropertyKey[]; message: string }[] }) {
  return error.issues.map((i) => (i.path.length ? `${i.path.map(String).join(".")}: ${i.message}` : i.message));
}

/** A refused form: one Italian message per field, shown next to the field. */
export class FieldErrors extends InputError {
  constructor(readonly fields: Record<string, string>) {
    super(Object.values(fields).join("; "), Object.keys(fields)[0]);
    this.name = "FieldErrors";
  }
}

export const STALE_MESSAGE =
  "Un altro amministratore ha modificato questi dati dopo che hai aperto il modulo: le tue modifiche non sono state salvate. Ricarica la pagina per vedere la versione attuale e ripeti la modifica.";

/** A form saved from an old version: another change came first, nothing was overwritten. */
export class StaleEditError extends InputError {
  constructor() {
    super(STALE_MESSAGE);
    this.name = "StaleEditError";
  }
}

/** Parses with a zod schema; a failure becomes FieldErrors (first message of each field). */
export function parseFields<T extends { safeParse(input: unknown): { success: true; data: unknown } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }>(
  schema: T,
  input: unknown,
): T extends { parse(input: unknown): infer O } ? O : never {
  const result = schema.safeParse(input);
  if (result.success) return result.data as never;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.length ? String(issue.path[0]) : "_form";
    fields[key] ??= issue.message;
  }
  throw new FieldErrors(fields);
}
