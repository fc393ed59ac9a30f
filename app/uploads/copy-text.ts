/** PostgreSQL COPY text format, for the ingestion's bulk reads and writes. */

// The characters COPY TO escapes, so that a value escaped here equals the same value read back.
const NEEDS_ESCAPE = /[\\\t\n\r\x08\x0b\x0c]/;
const ESCAPE_ALL = /[\\\t\n\r\x08\x0b\x0c]/g;
const ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", "\x08": "\\b", "\x0b": "\\v", "\x0c": "\\f" };

/** A value in PostgreSQL's COPY text format. Only free text can hold its special characters. */
export function copyText(v: string) {
  return NEEDS_ESCAPE.test(v) ? v.replace(ESCAPE_ALL, (c) => ESCAPES[c]!) : v;
}

const ESCAPED = { t: "\t", n: "\n", r: "\r", b: "\b", f: "\f", v: "\v", "\\": "\\" } as Record<string, string>;

/** The value behind a COPY text field (as written by COPY TO: no octal escapes for UTF-8 text). */
export function uncopyText(v: string) {
  return v.includes("\\") ? v.replace(/\\(.)/g, (_, c: string) => ESCAPED[c] ?? c) : v;
}
