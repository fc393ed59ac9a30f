import { z } from "zod";

/** Omocodia replaces digits with these letters, 0→L … 9→V, when two people share a code. */
const OMOCODIA = "LMNPQRSTUV";
const DIGIT_POSITIONS = [6, 7, 9, 10, 12, 13, 14];
const MONTHS = "ABCDEHLMPRST";
const ODD: Record<string, number> = {};
const ODD_VALUES = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];
"0123456789".split("").forEach((c, i) => (ODD[c] = ODD_VALUES[i]!));
"ABCDEFGHIJKLMNOPQRSTUVWXYZ".split("").forEach((c, i) => (ODD[c] = ODD_VALUES[i]!));
const even = (c: string) => (c >= "0" && c <= "9" ? c.charCodeAt(0) - 48 : c.charCodeAt(0) - 65);

export function normalizeFiscalCode(s: string) {
  return s.trim().toUpperCase();
}

export function personalFiscalCodeCheckChar(first15: string): string {
  let sum = 0;
  for (let i = 0; i < 15; i++) sum += i % 2 === 0 ? ODD[first15[i]!]! : even(first15[i]!);
  return String.fromCharCode(65 + (sum % 26));
}

/** 16-character personal codice fiscale; upper case only (normalise first). */
export function isValidPersonalFiscalCode(cf: string): boolean {
  if (!/^[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/.test(cf)) return false;
  const decoded = cf
    .split("")
    .map((c, i) => (DIGIT_POSITIONS.includes(i) && OMOCODIA.includes(c) ? String(OMOCODIA.indexOf(c)) : c))
    .join("");
  if (!MONTHS.includes(decoded[8]!)) return false;
  const day = Number(decoded.slice(9, 11));
  if (!((day >= 1 && day <= 31) || (day >= 41 && day <= 71))) return false;
  return personalFiscalCodeCheckChar(cf.slice(0, 15)) === cf[15];
}

export function numericFiscalCodeCheckDigit(first10: string): string {
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
  if (!/^\d{11}$/.test(cf) || /^0{11}$/.test(cf)) return false;
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

function letters(s: string) {
  return s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toUpperCase()
    .replace(/[^A-Z]/g, "");
}
const isVowel = (c: string) => "AEIOU".includes(c);

export function surnameCode(surname: string): string {
  const l = letters(surname);
  const cons = l.split("").filter((c) => !isVowel(c));
  const vow = l.split("").filter(isVowel);
  return [...cons, ...vow, "X", "X", "X"].slice(0, 3).join("");
}

export function nameCode(name: string): string {
  const l = letters(name);
  const cons = l.split("").filter((c) => !isVowel(c));
  const vow = l.split("").filter(isVowel);
  if (cons.length >= 4) return cons[0]! + cons[2]! + cons[3]!;
  return [...cons, ...vow, "X", "X", "X"].slice(0, 3).join("");
}

/** A typo catcher: do the surname and name letters of the code match the given names? */
export function fiscalCodeMatchesName(cf: string, surname: string, name: string): boolean {
  return normalizeFiscalCode(cf).slice(0, 6) === surnameCode(surname) + nameCode(name);
}

export const personalFiscalCodeSchema = z
  .string()
  .transform(normalizeFiscalCode)
  .refine(isValidPersonalFiscalCode, "Codice fiscale non valido: 16 caratteri con carattere di controllo");

export const numericFiscalCodeSchema = z
  .string()
  .transform((s) => s.trim())
  .refine(isValidNumericFiscalCode, "Codice fiscale / partita IVA non valido: 11 cifre con cifra di controllo");

export const fiscalCodeSchema = z
  .string()
  .transform(normalizeFiscalCode)
  .refine(isValidFiscalCode, "Codice fiscale non valido");
