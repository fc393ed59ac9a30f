import { z } from "zod";
import { isValidFiscalCode, isValidNumericFiscalCode } from "~/lib/fiscal-code";
import { forbiddenCharacter, forbiddenCharacterMessage } from "~/lib/text-safety";
import {
  allFields,
  DEFAULT_MAX_LENGTH,
  fieldLabel,
  isFieldShown,
  optionsOf,
  type Component,
  type FieldRef,
  type FormDefinition,
  type ItalianValidator,
} from "./definition";

/**
 * The server's validation of a form, derived from the same definition the page is drawn from
 * (docs/decisions/0060): a zod schema per field, applied to what the browser posted. Nothing
 * is validated only in the browser, and a posted name the page does not hold is refused.
 */

/** A stored attachment: what `data[key]` of a `file` field holds. */
export type FileRef = { id: string; name: string; size: number; type: string; sha256: string };

export type Posted = Record<string, string[]>;
export type FieldErrors = Record<string, string>;

const ibanOk = (iban: string) => {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban) || (iban.startsWith("IT") && iban.length !== 27)) return false;
  const moved = iban.slice(4) + iban.slice(0, 4);
  let rest = 0;
  for (const ch of moved) {
    const n = ch >= "A" ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of n) rest = (rest * 10 + Number(d)) % 97;
  }
  return rest === 1;
};

const ITALIAN: Record<ItalianValidator, { test: (v: string) => boolean; message: string; upper: boolean }> = {
  codiceFiscale: { test: isValidFiscalCode, message: "codice fiscale non valido", upper: true },
  partitaIva: { test: isValidNumericFiscalCode, message: "partita IVA non valida (11 cifre con il carattere di controllo corretto)", upper: false },
  iban: { test: ibanOk, message: "IBAN non valido", upper: true },
  cap: { test: (v) => /^\d{5}$/.test(v), message: "CAP non valido (5 cifre)", upper: false },
  comuneIstat: { test: (v) => /^\d{6}$/.test(v), message: "codice ISTAT del comune non valido (6 cifre)", upper: false },
};

/** "1.234,5" or "1234,50" → "1234.50": an exact decimal string, never a float. */
export function parseEuro(s: string): string | null {
  const t = s.trim().replace(/^€\s*/, "");
  const m = /^(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}))?$/.exec(t);
  if (!m) return null;
  const int = m[1]!.replace(/\./g, "").replace(/^0+(?=\d)/, "");
  return `${int}.${(m[2] ?? "").padEnd(2, "0")}`;
}

const cents = (decimal: string) => BigInt(decimal.replace(".", ""));
const euroOf = (n: number) => BigInt(Math.round(n * 100));

function text(label: string, f: Component, fallbackMax: number, multiline: boolean) {
  const v = f.validate ?? {};
  const max = v.maxLength ?? fallbackMax;
  let s = z
    .string()
    .max(max, `${label}: al massimo ${max} caratteri`)
    .superRefine((s, ctx) => {
      const char = forbiddenCharacter(s, { multiline });
      if (char) ctx.addIssue({ code: "custom", message: forbiddenCharacterMessage(label, char) });
    });
  if (v.minLength) s = s.min(v.minLength, `${label}: almeno ${v.minLength} caratteri`);
  if (!v.pattern) return s;
  // The pattern never runs on text over the limit (docs/decisions/0116): its time stays bounded.
  const re = new RegExp(`^(?:${v.pattern})$`, "u");
  return s.refine((x) => x.length > max || re.test(x), `${label}: formato non valido`);
}

/** The zod schema of one field's posted text(s), giving the value to store. */
export function fieldSchema(f: Component): z.ZodType<unknown, string[]> {
  const label = fieldLabel(f);
  const v = f.validate ?? {};
  const one = z.array(z.string()).transform((a) => (a[0] ?? "").trim());
  switch (f.type) {
    case "textfield":
    case "textarea":
    case "email":
    case "phoneNumber": {
      const plugin = (v.plugins ?? [])[0];
      const upper = plugin ? ITALIAN[plugin].upper : false;
      let s: z.ZodType<string, string> = text(label, f, DEFAULT_MAX_LENGTH[f.type], f.type === "textarea");
      if (f.type === "email") s = (s as z.ZodString).pipe(z.email(`${label}: indirizzo e-mail non valido`));
      if (f.type === "phoneNumber") s = (s as z.ZodString).regex(/^\+?[0-9 ]{6,20}$/, `${label}: numero di telefono non valido`);
      for (const p of v.plugins ?? []) s = s.refine((x) => ITALIAN[p].test(x), `${label}: ${ITALIAN[p].message}`);
      return one.transform((x) => (upper ? x.toUpperCase().replace(/\s+/g, "") : x)).pipe(s);
    }
    case "number":
      return one.pipe(
        z
          .string()
          .regex(/^-?\d+(,\d+)?$/, `${label}: indicare un numero (con la virgola per i decimali)`)
          .transform((x) => Number(x.replace(",", ".")))
          .refine((n) => v.min === undefined || n >= v.min, `${label}: almeno ${v.min}`)
          .refine((n) => v.max === undefined || n <= v.max, `${label}: al massimo ${v.max}`),
      );
    case "currency":
      return one.pipe(
        z
          .string()
          .transform((x, ctx) => {
            const d = parseEuro(x);
            if (d === null) ctx.addIssue({ code: "custom", message: `${label}: importo non valido (ad esempio 1.234,50)` });
            return d ?? "0.00";
          })
          .refine((d) => v.min === undefined || cents(d) >= euroOf(v.min), `${label}: almeno ${v.min} euro`)
          .refine((d) => v.max === undefined || cents(d) <= euroOf(v.max), `${label}: al massimo ${v.max} euro`),
      );
    case "day":
      return one.pipe(z.iso.date(`${label}: data non valida`));
    case "datetime":
      return one.pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, `${label}: data e ora non valide`).refine((x) => !Number.isNaN(Date.parse(`${x}:00Z`)), `${label}: data e ora non valide`));
    case "select":
    case "radio": {
      const values = optionsOf(f).map((o) => o.value);
      return one.pipe(z.string().refine((x) => values.includes(x), `${label}: scelta non prevista`));
    }
    case "selectboxes": {
      const values = optionsOf(f).map((o) => o.value);
      return z.array(z.string()).refine((a) => a.every((x) => values.includes(x)) && new Set(a).size === a.length, `${label}: scelta non prevista`);
    }
    case "checkbox":
      return one.pipe(z.enum(["true", "on"], { message: `${label}: valore non previsto` }).transform(() => true));
    default:
      throw new Error(`no schema for ${f.type}`);
  }
}

const isEmpty = (a: string[] | undefined) => !a || a.every((x) => x.trim() === "");

function gridRows(f: Component, posted: Posted): number {
  let rows = 0;
  const re = new RegExp(`^${f.key}\\[(\\d+)\\]\\[`);
  for (const name of Object.keys(posted)) {
    const m = re.exec(name);
    if (m) rows = Math.max(rows, Number(m[1]) + 1);
  }
  return rows;
}

/** The names a page posts: its fields, the rows of its tables, plus the wizard's own controls. */
function postedNameAllowed(name: string, fields: FieldRef[]) {
  return fields.some((f) => f.key === name || (f.type === "datagrid" && new RegExp(`^${f.key}\\[\\d{1,3}\\]\\[(${(f.components ?? []).map((c) => c.key).join("|")})\\]$`).test(name)));
}

export type PageResult = { ok: true; values: Record<string, unknown> } | { ok: false; errors: FieldErrors; values: Record<string, unknown> };

/**
 * Reads one page of the wizard as posted (`page` is a panel key) against the answers so far.
 * Returns the page's answers to merge (a field hidden by its condition is dropped) or the
 * errors by field name. Unknown names are refused whole (`unknown`), never stored.
 */
export function readPage(
  form: FormDefinition,
  page: string,
  posted: Posted,
  saved: Record<string, unknown>,
  opts: { required: boolean },
): PageResult | { ok: false; unknown: string[] } {
  const fields = allFields(form).filter((f) => f.page === page);
  const unknown = Object.keys(posted).filter((n) => !postedNameAllowed(n, fields));
  const filesOnPage = fields.filter((f) => f.type === "file").map((f) => f.key);
  const stray = unknown.filter((n) => !filesOnPage.includes(n));
  if (stray.length) return { ok: false, unknown: stray };
  const values: Record<string, unknown> = {};
  const errors: FieldErrors = {};
  // Conditions read this page's own answers too: what was just chosen decides what is shown.
  const view = { ...saved };
  for (const f of fields) if (f.type !== "file" && f.type !== "datagrid" && !isEmpty(posted[f.key])) view[f.key] = f.type === "selectboxes" ? posted[f.key] : posted[f.key]![0]!.trim();
  for (const f of fields) {
    if (!isFieldShown(f, view)) continue;
    if (f.type === "file") {
      if (saved[f.key] !== undefined) values[f.key] = saved[f.key];
      continue;
    }
    if (f.type === "datagrid") {
      const rows: Record<string, unknown>[] = [];
      const n = gridRows(f, posted);
      for (let i = 0; i < n; i++) {
        const row: Record<string, unknown> = {};
        let filled = false;
        for (const c of f.components ?? []) {
          const name = `${f.key}[${i}][${c.key}]`;
          const got = posted[name];
          if (isEmpty(got)) {
            if (c.validate?.required && opts.required) errors[name] = `${fieldLabel(c)} (riga ${i + 1}): campo obbligatorio`;
            continue;
          }
          filled = true;
          const r = fieldSchema(c).safeParse(got);
          if (r.success) row[c.key] = r.data;
          else errors[name] = `${r.error.issues[0]!.message} (riga ${i + 1})`;
        }
        if (filled) rows.push(row);
      }
      const v = f.validate ?? {};
      if (opts.required && v.required && rows.length === 0) errors[f.key] = `${fieldLabel(f)}: inserire almeno una riga`;
      else if (opts.required && v.minLength && rows.length < v.minLength) errors[f.key] = `${fieldLabel(f)}: almeno ${v.minLength} righe`;
      if (v.maxLength && rows.length > v.maxLength) errors[f.key] = `${fieldLabel(f)}: al massimo ${v.maxLength} righe`;
      if (rows.length) values[f.key] = rows;
      continue;
    }
    const got = posted[f.key];
    if (isEmpty(got)) {
      if (f.validate?.required && opts.required) errors[f.key] = `${fieldLabel(f)}: campo obbligatorio`;
      continue;
    }
    const r = fieldSchema(f).safeParse(got);
    if (r.success) values[f.key] = r.data;
    else errors[f.key] = r.error.issues[0]!.message;
  }
  return Object.keys(errors).length ? { ok: false, errors, values } : { ok: true, values };
}

export type Missing = { key: string; page: string; label: string };

/** The completeness check before sending: each visible required field without an answer. */
export function missingAnswers(form: FormDefinition, data: Record<string, unknown>): Missing[] {
  return allFields(form)
    .filter((f) => f.validate?.required && isFieldShown(f, data))
    .filter((f) => {
      const v = data[f.key];
      return v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0);
    })
    .map((f) => ({ key: f.key, page: f.page, label: fieldLabel(f) }));
}

/** The answers to keep when sending: only fields the definition holds and the answers show. */
export function shownAnswers(form: FormDefinition, data: Record<string, unknown>) {
  const out: Record<string, unknown> = {};
  for (const f of allFields(form)) if (isFieldShown(f, data) && data[f.key] !== undefined) out[f.key] = data[f.key];
  return out;
}
