import { isValidFiscalCode, isValidNumericFiscalCode } from "~/lib/fiscal-code";
import { forbiddenCharacter } from "~/lib/text-safety";
import { PRACTICE_STATES, type PracticeState } from "~workflows/practice.machine";
import { quoted, uploadError, type UploadError } from "./errors";

export type Header = { version: string; gestoreFiscalCode: string; referenceDate: string | null; submissionId: string };

/** A detail record that passed every check that needs no database. Amounts in integer cents. */
export type Detail = {
  line: number;
  code: string;
  measureId: string;
  beneficiaryFiscalCode: string;
  beneficiaryName: string;
  comuneCode: string;
  submittedOn: string;
  state: PracticeState;
  stateDate: string;
  requestedCents: number;
  approvedCents: number | null;
  disbursedCents: number | null;
  notes: string;
};

export type MeasureInfo = { id: string; open: boolean; accredited: boolean };

export type ValidationContext = {
  /** null: any gestore (the validator on the gestore's PC when it was not told which, docs/decisions/0103). */
  gestoreFiscalCode: string | null;
  today: string;
  measures: Map<string, MeasureInfo>;
  comuni: Set<string>;
};

const FIELD_COUNT = { T: 5, D: 13, C: 3 } as const;
const CODE_RE = /^[A-Za-z0-9._/-]{1,50}$/;
export const SUBMISSION_ID_RE = /^[A-Za-z0-9._-]{1,50}$/;
const STATE_SET = new Set<string>(PRACTICE_STATES);
const D_FIELDS = [
  "tipo_record", "codice_pratica", "codice_misura", "cf_beneficiario", "denominazione", "comune_istat",
  "data_presentazione", "stato", "data_stato", "importo_richiesto", "importo_deliberato", "importo_erogato", "note",
] as const;

const FIELD_NAMES: Record<"T" | "D" | "C", readonly string[]> = {
  T: ["tipo_record", "versione", "cf_gestore", "data_riferimento", "id_invio"],
  D: D_FIELDS,
  C: ["tipo_record", "numero_record_d", "totale_importo_richiesto"],
};

// TAB is the one control character a field may hold (free text keeps it, docs/upload-format.md).
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/** Whether a line holds a control character anywhere (one test per line; rarely true). */
export const hasControlCharacter = (text: string) => CONTROL.test(text);

/**
 * A field holding a control character is `FORMAT` (docs/upload-format.md): PostgreSQL refuses
 * U+0000 and no field may hold the others. Other errors on those fields, found by `validate`,
 * are dropped: the control character is what the gestore must fix. Returns whether any was found.
 */
export function checkControlCharacters(line: number, type: RecordType, fields: string[], errors: UploadError[], validate: () => void) {
  const tainted = new Set<string>();
  fields.forEach((f, i) => {
    const char = forbiddenCharacter(f, { tab: true });
    if (!char) return;
    const name = FIELD_NAMES[type][i] ?? null;
    errors.push(uploadError(line, name, "FORMAT", `il campo contiene un carattere di controllo (${char})`));
    if (name) tainted.add(name);
  });
  const before = errors.length;
  validate();
  if (tainted.size) {
    const kept = errors.slice(before).filter((e) => !e.field || !tainted.has(e.field));
    errors.length = before;
    errors.push(...kept);
  }
  return tainted.size > 0;
}

// A file repeats the same few hundred dates a million times: remember each answer.
const dateCache = new Map<string, string | null>();

/** `GG/MM/AAAA`, a real calendar date, as ISO `AAAA-MM-GG`; null when invalid. */
export function parseItalianDate(s: string): string | null {
  const known = dateCache.get(s);
  if (known !== undefined) return known;
  const parsed = parseDateUncached(s);
  if (dateCache.size < 100_000) dateCache.set(s, parsed);
  return parsed;
}

function parseDateUncached(s: string): string | null {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(s);
  if (!m) return null;
  const [, dd, mm, yyyy] = m;
  // Year 0000 does not exist (PostgreSQL refuses it); years below 100 are real years, not 19xx.
  if (yyyy === "0000") return null;
  const d = new Date(0);
  d.setUTCFullYear(Number(yyyy), Number(mm) - 1, Number(dd));
  if (d.getUTCFullYear() !== Number(yyyy) || d.getUTCMonth() !== Number(mm) - 1 || d.getUTCDate() !== Number(dd)) return null;
  return `${yyyy}-${mm}-${dd}`;
}

/** `15000`, `15000,5`, `15000,50` as integer cents; never through binary floating point. */
export function parseAmountCents(s: string): number | null {
  const m = /^(\d{1,13})(?:,(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
}

export function centsToDecimal(cents: number): string {
  const s = String(cents).padStart(3, "0");
  return `${s.slice(0, -2)}.${s.slice(-2)}`;
}

export function splitFields(text: string) {
  return text.split("|").map((f) => f.trim());
}

export type RecordType = keyof typeof FIELD_COUNT;

export function recordType(fields: string[]): RecordType | null {
  const t = fields[0];
  return t === "T" || t === "D" || t === "C" ? t : null;
}

export function checkFieldCount(line: number, type: RecordType, fields: string[], errors: UploadError[]) {
  if (fields.length === FIELD_COUNT[type]) return true;
  errors.push(uploadError(line, null, "FIELD_COUNT", `attesi ${FIELD_COUNT[type]} campi per il record ${type}, trovati ${fields.length}`));
  return false;
}

export function validateHeader(line: number, f: string[], ctx: ValidationContext, errors: UploadError[]): Header {
  const [, version = "", cf = "", refDate = "", submissionId = ""] = f;
  if (version !== "1") errors.push(uploadError(line, "versione", "VERSION", `trovato ${quoted(version)}`));
  if (!isValidNumericFiscalCode(cf)) errors.push(uploadError(line, "cf_gestore", "CF_INVALID", quoted(cf)));
  else if (ctx.gestoreFiscalCode !== null && cf !== ctx.gestoreFiscalCode)
    errors.push(uploadError(line, "cf_gestore", "GESTORE_MISMATCH", `il file è dell'ente ${cf}, l'invio è per l'ente ${ctx.gestoreFiscalCode}`));
  const referenceDate = parseItalianDate(refDate);
  if (!referenceDate) errors.push(uploadError(line, "data_riferimento", "FORMAT_DATE", quoted(refDate)));
  else if (referenceDate > ctx.today) errors.push(uploadError(line, "data_riferimento", "DATE_FUTURE"));
  if (!SUBMISSION_ID_RE.test(submissionId))
    errors.push(uploadError(line, "id_invio", "FORMAT", "da 1 a 50 caratteri tra lettere, cifre, punto, trattino e trattino basso"));
  return { version, gestoreFiscalCode: cf, referenceDate, submissionId };
}

const APPROVED_RULE: Record<PracticeState, "required" | "optional" | "empty"> = {
  PRESENTATA: "empty", IN_ISTRUTTORIA: "empty", SOSPESA: "empty", NON_AMMESSA: "empty",
  DELIBERATA: "required", EROGATA: "required", RINUNCIATA: "optional", REVOCATA: "optional",
};
const DISBURSED_RULE: Record<PracticeState, "required" | "optional" | "empty"> = {
  PRESENTATA: "empty", IN_ISTRUTTORIA: "empty", SOSPESA: "empty", NON_AMMESSA: "empty",
  DELIBERATA: "empty", EROGATA: "required", RINUNCIATA: "empty", REVOCATA: "optional",
};

/**
 * Checks one D record against every rule that needs no stored practice. Returns the record when
 * it is clean, or null. `requestedCents` is returned separately so the trailer sum can be checked
 * even for records with other errors.
 */
type ErrCode = Parameters<typeof uploadError>[2];

function fieldError(errors: UploadError[], line: number, i: number, code: ErrCode, detail?: string) {
  errors.push(uploadError(line, D_FIELDS[i]!, code, detail));
}

function checkPresence(errors: UploadError[], line: number, rule: "required" | "optional" | "empty", value: string, i: number, label: string, state: string) {
  if (rule === "required" && !value) fieldError(errors, line, i, "AMOUNT_INCONSISTENT", `${label} obbligatorio nello stato ${state}`);
  else if (rule === "empty" && value) fieldError(errors, line, i, "AMOUNT_INCONSISTENT", `${label} non ammesso nello stato ${state}`);
}

function optionalAmount(errors: UploadError[], line: number, raw: string, i: number): number | null | undefined {
  if (!raw) return null;
  const cents = parseAmountCents(raw);
  if (cents === null) {
    fieldError(errors, line, i, "FORMAT_AMOUNT", quoted(raw));
    return undefined;
  }
  return cents;
}

/**
 * Checks one D record against every rule that needs no stored practice. Returns the record when
 * it is clean, or null. `requestedCents` is returned separately so the trailer sum can be checked
 * even for records with other errors. (No closures here: this runs a million times per file.)
 */
export function validateDetail(
  line: number,
  f: string[],
  ctx: ValidationContext,
  header: Header | null,
  errors: UploadError[],
): { detail: Detail | null; requestedCents: number | null } {
  const before = errors.length;
  const code = f[1]!, measureCode = f[2]!, cfRaw = f[3]!, name = f[4]!, comune = f[5]!, submittedRaw = f[6]!;
  const stateRaw = f[7]!, stateDateRaw = f[8]!, requestedRaw = f[9]!, approvedRaw = f[10]!, disbursedRaw = f[11]!, notes = f[12]!;

  if (!CODE_RE.test(code)) fieldError(errors, line, 1, "FORMAT", "da 1 a 50 caratteri tra lettere, cifre, . _ / -");
  const measure = ctx.measures.get(measureCode);
  if (!measure || !measure.open) fieldError(errors, line, 2, "MEASURE_UNKNOWN", quoted(measureCode));
  else if (!measure.accredited) fieldError(errors, line, 2, "MEASURE_NOT_ALLOWED", quoted(measureCode));
  const cf = cfRaw.toUpperCase();
  if (!isValidFiscalCode(cf)) fieldError(errors, line, 3, "CF_INVALID", quoted(cfRaw));
  if (!name) fieldError(errors, line, 4, "REQUIRED");
  // Code units never undercount code points, so the costly count runs only on long values.
  else if (name.length > 200 && [...name].length > 200) fieldError(errors, line, 4, "TOO_LONG", "al massimo 200 caratteri");
  if (!ctx.comuni.has(comune)) fieldError(errors, line, 5, "COMUNE_UNKNOWN", quoted(comune));
  const submittedOn = parseItalianDate(submittedRaw);
  if (!submittedOn) fieldError(errors, line, 6, "FORMAT_DATE", quoted(submittedRaw));
  else if (submittedOn > ctx.today) fieldError(errors, line, 6, "DATE_FUTURE");
  const state = STATE_SET.has(stateRaw) ? (stateRaw as PracticeState) : null;
  if (!state) fieldError(errors, line, 7, "STATE_UNKNOWN", quoted(stateRaw));
  const stateDate = parseItalianDate(stateDateRaw);
  if (!stateDate) fieldError(errors, line, 8, "FORMAT_DATE", quoted(stateDateRaw));
  else {
    if (submittedOn && stateDate < submittedOn) fieldError(errors, line, 8, "DATE_ORDER", "la data dello stato precede la data di presentazione");
    if (header?.referenceDate && stateDate > header.referenceDate)
      fieldError(errors, line, 8, "DATE_ORDER", "la data dello stato è successiva alla data di riferimento del file");
  }
  let requested: number | null = null;
  if (!requestedRaw) fieldError(errors, line, 9, "REQUIRED");
  else {
    requested = parseAmountCents(requestedRaw);
    if (requested === null) fieldError(errors, line, 9, "FORMAT_AMOUNT", quoted(requestedRaw));
    else if (requested === 0) fieldError(errors, line, 9, "FORMAT_AMOUNT", "l'importo richiesto deve essere maggiore di zero");
  }
  const approved = optionalAmount(errors, line, approvedRaw, 10);
  const disbursed = optionalAmount(errors, line, disbursedRaw, 11);
  if (state) {
    checkPresence(errors, line, APPROVED_RULE[state], approvedRaw, 10, "importo deliberato", state);
    checkPresence(errors, line, DISBURSED_RULE[state], disbursedRaw, 11, "importo erogato", state);
  }
  if (approved != null && requested !== null && approved > requested)
    fieldError(errors, line, 10, "AMOUNT_INCONSISTENT", "l'importo deliberato supera l'importo richiesto");
  if (disbursed != null) {
    if (!approvedRaw) fieldError(errors, line, 11, "AMOUNT_INCONSISTENT", "importo erogato senza importo deliberato");
    else if (approved != null && disbursed > approved) fieldError(errors, line, 11, "AMOUNT_INCONSISTENT", "l'importo erogato supera l'importo deliberato");
  }
  if (notes.length > 500 && [...notes].length > 500) fieldError(errors, line, 12, "TOO_LONG", "al massimo 500 caratteri");

  if (errors.length > before || !measure || !state || !submittedOn || !stateDate || requested === null)
    return { detail: null, requestedCents: requested };
  return {
    requestedCents: requested,
    detail: {
      line, code, measureId: measure.id, beneficiaryFiscalCode: cf, beneficiaryName: name, comuneCode: comune,
      submittedOn, state, stateDate, requestedCents: requested, approvedCents: approved ?? null, disbursedCents: disbursed ?? null, notes,
    },
  };
}

export function validateTrailer(
  line: number,
  f: string[],
  seen: { details: number; requestedCents: number | null },
  errors: UploadError[],
) {
  const [, countRaw = "", totalRaw = ""] = f;
  const count = /^\d+$/.test(countRaw) ? Number(countRaw) : null;
  const total = parseAmountCents(totalRaw);
  if (count === null) errors.push(uploadError(line, "numero_record_d", "FORMAT", quoted(countRaw)));
  if (total === null) errors.push(uploadError(line, "totale_importo_richiesto", "FORMAT_AMOUNT", quoted(totalRaw)));
  if (count !== null && count !== seen.details)
    errors.push(uploadError(line, "numero_record_d", "TRAILER_MISMATCH", `la coda dichiara ${count} record D, il file ne contiene ${seen.details}`));
  else if (total !== null && seen.requestedCents !== null && total !== seen.requestedCents)
    errors.push(
      uploadError(line, "totale_importo_richiesto", "TRAILER_MISMATCH", `la coda dichiara ${centsToDecimal(total).replace(".", ",")}, la somma è ${centsToDecimal(seen.requestedCents).replace(".", ",")}`),
    );
}
