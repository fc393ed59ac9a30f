/** PostgreSQL COPY text format, for the ingestion's bulk writes. */

const NEEDS_ESCAPE = /[\\\t\n\r\x08\x0b\x0c]/;
const ESCAPE_ALL = /[\\\t\n\r\x08\x0b\x0c]/g;
const ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", "\x08": "\\b", "\x0b": "\\v", "\x0c": "\\f" };

/** A value in PostgreSQL's COPY text format. Only free text can hold its special characters. */
export function copyText(v: string) {
  return NEEDS_ESCAPE.test(v) ? v.replace(ESCAPE_ALL, (c) => ESCAPES[c]!) : v;
}
