/**
 * Text that passes our checks must also be storable: PostgreSQL refuses U+0000 in any text, and
 * the other control characters have no place in what a person or a file sends (they hide text,
 * break CSV and COPY lines, and confuse the pages that show it). One check for every input:
 * upload fields, form fields, CSV lists, messages, file names (docs/decisions/0045).
 */

// C0 controls and DEL. A TAB may be allowed (free text of an upload field); multi-line texts
// (a textarea) may hold TAB, LF and CR.
const SINGLE_LINE = /[\u0000-\u001f\u007f]/;
const WITH_TAB = /[\u0000-\u0008\u000a-\u001f\u007f]/;
const MULTI_LINE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
// A lone surrogate cannot be stored as UTF-8 (only reachable from JSON or code, never from bytes).
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The first character of `s` that must not be stored, as `U+0000`, or null when none. */
export function forbiddenCharacter(s: string, opts: { multiline?: boolean; tab?: boolean } = {}): string | null {
  const m = (opts.multiline ? MULTI_LINE : opts.tab ? WITH_TAB : SINGLE_LINE).exec(s) ?? LONE_SURROGATE.exec(s);
  return m ? `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}` : null;
}

export const forbiddenCharacterMessage = (label: string, char: string) =>
  `${label}: contiene un carattere di controllo non ammesso (${char})`;

/**
 * A value shown inside an error message: control characters made visible, long values cut, so
 * that the message itself is always storable and readable.
 */
export function shownValue(s: string, max = 60) {
  const cut = s.length > max ? `${s.slice(0, max)}…` : s;
  return cut.replace(/[\u0000-\u001f\u007f]|[\ud800-\udfff]/g, (c) => `<U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}>`);
}

/** A file name as stored: control characters dropped, at most 255 characters, never empty. */
export function safeFileName(name: string, fallback: string) {
  const clean = name.replace(/[\u0000-\u001f\u007f]|[\ud800-\udfff]/g, "").trim();
  return [...clean].slice(0, 255).join("") || fallback;
}
