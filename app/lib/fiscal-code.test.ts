import { describe, expect, it } from "vitest";
import {
  fiscalCodeKind,
  fiscalCodeMatchesName,
  isValidNumericFiscalCode,
  isValidPersonalFiscalCode,
  nameCode,
  normalizeFiscalCode,
  numericFiscalCodeCheckDigit,
  numericFiscalCodeSchema,
  personalFiscalCodeCheckChar,
  personalFiscalCodeSchema,
  surnameCode,
} from "./fiscal-code";

describe("personal codice fiscale", () => {
  it.each(["RSSMRA80A01H501U", "BNCGLI85M41A271Q", "GLLNNA75T60H501W", "NRELRA82D45D542F"])("accepts %s", (cf) => {
    expect(isValidPersonalFiscalCode(cf)).toBe(true);
  });

  it("computes the check character with the official odd/even tables", () => {
    expect(personalFiscalCodeCheckChar("RSSMRA80A01H501")).toBe("U");
    expect(personalFiscalCodeCheckChar("MRTGNN80A01H501")).toBe("Y");
  });

  it("accepts omocodic variants at every substitution level, each with its own check character", () => {
    // Substitutions go from the rightmost digit leftwards, as the Agenzia delle Entrate assigns them.
    const base = "RSSMRA80A01H501";
    const positions = [14, 13, 12, 10, 9, 7, 6];
    let current = base;
    for (const pos of positions) {
      current = current.slice(0, pos) + "LMNPQRSTUV"[Number(current[pos])] + current.slice(pos + 1);
      const cf = current + personalFiscalCodeCheckChar(current);
      expect(isValidPersonalFiscalCode(cf), cf).toBe(true);
    }
    expect(current).toBe("RSSMRAULALMHRLM");
  });

  it.each([
    ["RSSMRA80A01H501X", "wrong check character"],
    ["RSSMRA80Z01H501U", "bad month letter"],
    ["RSSMRA80A32H501U", "day 32"],
    ["RSSMRA80A01H501", "15 characters"],
    ["RSSMRA80A01H501UU", "17 characters"],
    ["rssmra80a01h501u", "lower case (callers normalise)"],
    ["RSSMRA8OA01H501U", "letter O where a digit goes"],
  ])("refuses %s (%s)", (cf) => {
    expect(isValidPersonalFiscalCode(cf)).toBe(false);
  });

  it("normalises case and spaces", () => {
    expect(normalizeFiscalCode("  rssmra80a01h501u ")).toBe("RSSMRA80A01H501U");
    expect(personalFiscalCodeSchema.parse(" rssmra80a01h501u")).toBe("RSSMRA80A01H501U");
    expect(personalFiscalCodeSchema.safeParse("RSSMRA80A01H501X").success).toBe(false);
  });
});

describe("11-digit codice fiscale / partita IVA", () => {
  it.each(["01234567897", "02342520158", "97735020584", "02000000428"])("accepts %s", (cf) => {
    expect(isValidNumericFiscalCode(cf)).toBe(true);
  });

  it.each(["02342520159", "00000000000", "0123456789", "012345678971", "0123456789A"])("refuses %s", (cf) => {
    expect(isValidNumericFiscalCode(cf)).toBe(false);
  });

  it("computes the check digit", () => {
    expect(numericFiscalCodeCheckDigit("0123456789")).toBe("7");
    expect(numericFiscalCodeSchema.safeParse("02342520159").error?.issues[0]?.message).toMatch(/cifra di controllo/);
  });

  it("tells the two kinds apart", () => {
    expect(fiscalCodeKind("02342520158")).toBe("numeric");
    expect(fiscalCodeKind("RSSMRA80A01H501U")).toBe("personal");
    expect(fiscalCodeKind("12345")).toBeNull();
  });
});

describe("surname and name letters", () => {
  it.each([
    ["Rossi", "RSS"],
    ["Fo", "FOX"],
    ["De Santis", "DSN"],
    ["D'Amico", "DMC"],
    ["Bianchi", "BNC"],
  ])("surname %s → %s", (s, code) => expect(surnameCode(s)).toBe(code));

  it.each([
    ["Mario", "MRA"],
    ["Gianfranco", "GFR"],
    ["Giulia", "GLI"],
    ["Niccolò", "NCL"],
    ["Ugo", "GUO"],
  ])("name %s → %s", (n, code) => expect(nameCode(n)).toBe(code));

  it("matches a code to the right person and flags a typo", () => {
    expect(fiscalCodeMatchesName("RSSMRA80A01H501U", "Rossi", "Mario")).toBe(true);
    expect(fiscalCodeMatchesName("RSSMRA80A01H501U", "Verdi", "Mario")).toBe(false);
  });
});
