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
