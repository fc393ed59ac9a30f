import { z } from "zod";

// Pure module (no I/O, no Node APIs): shared by server code and browser bundles.
//
// Case: the validators accept upper case only, so that the value checked is byte for byte the value
// stored and compared. Callers normalise user input first with `normalizeFiscalCode`; the zod
// schemas do it for them.

/** Omocodia replaces digits with these letters, 0→L … 9→V, when two people would share a code. */
const OMOCODIA = "LMNPQRSTUV";
/** Indexes of the seven digits (year, day, municipality number) that omocodia may replace. */
const DIGIT_POSITIONS = [6, 7, 9, 10, 12, 13, 14];
const MONTHS = "ABCDEHLMPRST";
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
// Official table for characters in odd positions (1st, 3rd, …); a digit weighs as the letter at the same index.
const ODD_VALUES = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];

const PERSONAL_SHAPE = /^[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/;
const FIRST15_SHAPE = /^[A-Z0-9]{15}$/;

function oddValue(c: string): number {
  const i = c >= "0" && c <= "9" ? c.charCodeAt(0) - 48 : ALPHABET.indexOf(c);
  return ODD_VALUES[i]!;
}

function evenValue(c: string): number {
  return c >= "0" && c <= "9" ? c.charCodeAt(0) - 48 : ALPHABET.indexOf(c);
}

export function normalizeFiscalCode(s: string): string {
  return s.trim().toUpperCase();
}

/**
 * Check character of a personal code from its first 15 characters (upper case letters and digits).
 * For an omocodic code it is computed on the letters as they stand, not on the decoded digits.
 */
export function personalFiscalCodeCheckChar(first15: string): string {
  // A silent NaN would yield a bogus character that looks plausible in generated data.
  if (!FIRST15_SHAPE.test(first15)) throw new RangeError(`Expected 15 upper case letters or digits, got «${first15}»`);
  let sum = 0;
  for (let i = 0; i < 15; i++) sum += i % 2 === 0 ? oddValue(first15[i]!) : evenValue(first15[i]!);
  return ALPHABET[sum % 26]!;
}

function decodeOmocodia(cf: string): string {
  return cf
    .split("")
    .map((c, i) => (DIGIT_POSITIONS.includes(i) && OMOCODIA.includes(c) ? String(OMOCODIA.indexOf(c)) : c))
    .join("");
}

/** 16-character personal codice fiscale, omocodic variants included; upper case only (normalise first). */
export function isValidPersonalFiscalCode(cf: string): boolean {
  if (!PERSONAL_SHAPE.test(cf)) return false;
  const decoded = decodeOmocodia(cf);
  if (!MONTHS.includes(decoded[8]!)) return false;
  // Women have 40 added to the day of birth.
  const day = Number(decoded.slice(9, 11));
  if (!((day >= 1 && day <= 31) || (day >= 41 && day <= 71))) return false;
  return personalFiscalCodeCheckChar(cf.slice(0, 15)) === cf[15];
}

/** Check digit of an 11-digit codice fiscale / partita IVA from its first 10 digits. */
export function numericFiscalCodeCheckDigit(first10: string): string {
  if (!/^\d{10}$/.test(first10)) throw new RangeError(`Expected 10 digits, got «${first10}»`);
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    let d = first10.charCodeAt(i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/** 11-digit codice fiscale of a legal person / partita IVA, with its check digit. */
export function isValidNumericFiscalCode(cf: string): boolean {
  // All zeros passes the check digit arithmetic but is a placeholder, never an issued code.
  if (!/^\d{11}$/.test(cf) || cf === "00000000000") return false;
  return numericFiscalCodeCheckDigit(cf.slice(0, 10)) === cf[10];
}

export function fiscalCodeKind(cf: string): "personal" | "numeric" | null {
  if (isValidPersonalFiscalCode(cf)) return "personal";
  if (isValidNumericFiscalCode(cf)) return "numeric";
  return null;
}

export function isValidFiscalCode(cf: string): boolean {
  return fiscalCodeKind(cf) !== null;
}

/** Upper case A–Z only: accents dropped (À→A), apostrophes, spaces and anything else removed. */
function letters(s: string): string[] {
  // NFD splits À into A plus a combining accent, which the A–Z filter then drops.
  return s
    .normalize("NFD")
    .toUpperCase()
    .replace(/[^A-Z]/g, "")
    .split("");
}

const isVowel = (c: string) => "AEIOU".includes(c);

function padded(consonants: string[], vowels: string[]): string {
  return [...consonants, ...vowels, "X", "X", "X"].slice(0, 3).join("");
}

/** Three letters for the surname: consonants, then vowels, then X. */
export function surnameCode(surname: string): string {
  const l = letters(surname);
  return padded(l.filter((c) => !isVowel(c)), l.filter(isVowel));
}

/** Three letters for the name: as for the surname, but with 4+ consonants the 1st, 3rd and 4th. */
export function nameCode(name: string): string {
  const l = letters(name);
  const consonants = l.filter((c) => !isVowel(c));
  if (consonants.length >= 4) return consonants[0]! + consonants[2]! + consonants[3]!;
  return padded(consonants, l.filter(isVowel));
}

/** A typo catcher: do the surname and name letters of the code match the given names? */
export function fiscalCodeMatchesName(cf: string, surname: string, name: string): boolean {
  // A blank name would become "XXX" and match codes of people with very short names.
  if (letters(surname).length === 0 || letters(name).length === 0) return false;
  return normalizeFiscalCode(cf).slice(0, 6) === surnameCode(surname) + nameCode(name);
}

/**
 * What is wrong with a personal codice fiscale, in words a person can act on: its length, a
 * character out of place, the birth data (month letter, day) or the check character. Null when valid.
 */
export function personalFiscalCodeProblem(cf: string): string | null {
  if (cf.length !== 16) return `Codice fiscale non valido: deve avere 16 caratteri, ne ha ${cf.length}`;
  if (!/^[A-Z0-9]{16}$/.test(cf)) return "Codice fiscale non valido: sono ammesse solo lettere e cifre";
  const places: [RegExp, number, number, string][] = [
    [/^[A-Z]{6}$/, 0, 6, "i primi 6 caratteri (cognome e nome) devono essere lettere"],
    [/^[0-9LMNPQRSTUV]{2}$/, 6, 8, "il 7° e l'8° carattere (anno di nascita) devono essere cifre"],
    [/^[A-Z]$/, 8, 9, "il 9° carattere (mese di nascita) deve essere una lettera"],
    [/^[0-9LMNPQRSTUV]{2}$/, 9, 11, "il 10° e l'11° carattere (giorno di nascita) devono essere cifre"],
    [/^[A-Z]$/, 11, 12, "il 12° carattere (comune o stato di nascita) deve essere una lettera"],
    [/^[0-9LMNPQRSTUV]{3}$/, 12, 15, "dal 13° al 15° carattere (comune o stato di nascita) devono essere cifre"],
    [/^[A-Z]$/, 15, 16, "l'ultimo carattere (di controllo) deve essere una lettera"],
  ];
  for (const [shape, from, to, message] of places) if (!shape.test(cf.slice(from, to))) return `Codice fiscale non valido: ${message}`;
  const decoded = decodeOmocodia(cf);
  if (!MONTHS.includes(decoded[8]!)) return `Codice fiscale non valido: «${decoded[8]}» non indica un mese di nascita (ammesse ${MONTHS.split("").join(", ")})`;
  const day = Number(decoded.slice(9, 11));
  if (!((day >= 1 && day <= 31) || (day >= 41 && day <= 71))) return `Codice fiscale non valido: «${decoded.slice(9, 11)}» non è un giorno di nascita (da 01 a 31, da 41 a 71 per le donne)`;
  const expected = personalFiscalCodeCheckChar(cf.slice(0, 15));
  if (expected !== cf[15]) return `Codice fiscale non valido: il carattere di controllo è «${cf[15]}» ma dovrebbe essere «${expected}»; controllare di averlo trascritto correttamente`;
  return null;
}

/** As for a personal code, for the 11-digit code of a legal person / partita IVA. */
export function numericFiscalCodeProblem(cf: string): string | null {
  if (!/^\d+$/.test(cf)) return "Codice fiscale / partita IVA non valido: sono ammesse solo cifre";
  if (cf.length !== 11) return `Codice fiscale / partita IVA non valido: deve avere 11 cifre, ne ha ${cf.length}`;
  if (cf === "00000000000") return "Codice fiscale / partita IVA non valido: tutti zeri";
  const expected = numericFiscalCodeCheckDigit(cf.slice(0, 10));
  if (expected !== cf[10]) return `Codice fiscale / partita IVA non valido: la cifra di controllo è «${cf[10]}» ma dovrebbe essere «${expected}»`;
  return null;
}

const refineWith = (problem: (cf: string) => string | null) => (cf: string, ctx: z.RefinementCtx) => {
  const message = problem(cf);
  if (message) ctx.addIssue({ code: "custom", message });
};

export const personalFiscalCodeSchema = z.string().transform(normalizeFiscalCode).superRefine(refineWith(personalFiscalCodeProblem));

export const numericFiscalCodeSchema = z
  .string()
  .transform((s) => s.trim())
  .superRefine(refineWith(numericFiscalCodeProblem));

export const fiscalCodeSchema = z
  .string()
  .transform(normalizeFiscalCode)
  .superRefine(refineWith((cf) => (/^\d+$/.test(cf) ? numericFiscalCodeProblem(cf) : personalFiscalCodeProblem(cf))));
