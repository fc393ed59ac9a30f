import { describe, expect, it } from "vitest";
import {
  fiscalCodeKind,
  fiscalCodeMatchesName,
  fiscalCodeSchema,
  isValidFiscalCode,
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

// Expected check characters below were worked out by hand with the odd/even tables, not with the
// function under test. Worked example for RSSMRA80A01H501: odd positions R8+S12+R8+8→19+A1+1→0+5→13+1→0 = 61,
// even positions S18+M12+A0+0+0+H7+0 = 37; 98 mod 26 = 20 → U.

describe("personal codice fiscale", () => {
  it.each([
    "RSSMRA80A01H501U",
    "VRDGPP75M12A271M", // used by test/fixtures/uploads
    "BNCGLI85M41A271Q", // woman: day 01 + 40
    "GLLNNA75T60H501W",
    "NRELRA82D45D542F",
    "RSSMRA80A31H501X", // day 31
    "RSSMRA80A71H501B", // woman born on the 31st
  ])("accepts %s", (cf) => {
    expect(isValidPersonalFiscalCode(cf)).toBe(true);
    expect(fiscalCodeKind(cf)).toBe("personal");
  });

  it("computes the check character with the official odd/even tables", () => {
    expect(personalFiscalCodeCheckChar("RSSMRA80A01H501")).toBe("U");
    expect(personalFiscalCodeCheckChar("MRTGNN80A01H501")).toBe("Y");
    expect(personalFiscalCodeCheckChar("VRDGPP75M12A271")).toBe("M");
  });

  it("refuses to compute a check character from malformed input instead of inventing one", () => {
    expect(() => personalFiscalCodeCheckChar("RSSMRA80A01H50")).toThrow(RangeError);
    expect(() => personalFiscalCodeCheckChar("rssmra80a01h501")).toThrow(RangeError);
  });

  // The Agenzia delle Entrate substitutes from the rightmost digit leftwards; each level has its own
  // check character, computed on the letters as they stand.
  it.each([
    [1, "RSSMRA80A01H50MM"],
    [2, "RSSMRA80A01H5LMX"],
    [3, "RSSMRA80A01HRLMS"],
    [4, "RSSMRA80A0MHRLMK"],
    [5, "RSSMRA80ALMHRLMV"],
    [6, "RSSMRA8LALMHRLMG"],
    [7, "RSSMRAULALMHRLMD"],
  ])("accepts the omocodic variant of RSSMRA80A01H501U with %i substitution(s): %s", (_level, cf) => {
    expect(isValidPersonalFiscalCode(cf)).toBe(true);
    expect(personalFiscalCodeCheckChar(cf.slice(0, 15))).toBe(cf[15]);
  });

  it("accepts a substitution in any digit position, not only from the right", () => {
    expect(isValidPersonalFiscalCode("RSSMRAU0A01H501R")).toBe(true); // 8 → U in the year only
    expect(isValidPersonalFiscalCode("RSSMRA80APLH501N")).toBe(true); // day 30 written PL
    expect(isValidPersonalFiscalCode("RSSMRA80AQNH501E")).toBe(true); // woman's day 42 written QN
  });

  it("computes the check character on the omocodic string, not on the decoded digits", () => {
    // Same decoded digits as RSSMRA80A01H501U, but that check character belongs to the plain code.
    expect(isValidPersonalFiscalCode("RSSMRAULALMHRLMU")).toBe(false);
  });

  it.each([
    // Each code below carries the right check character, so only the named fault can refuse it.
    ["RSSMRA80A01H501X", "wrong check character"],
    ["RSSMRA80Z01H501Q", "month letter Z"],
    ["RSSMRA80F01H501G", "month letter F (not in ABCDEHLMPRST)"],
    ["RSSMRA80A32H501C", "day 32"],
    ["RSSMRA80A00H501V", "day 00"],
    ["RSSMRA80A40H501Z", "day 40"],
    ["RSSMRA80A72H501G", "day 72"],
    ["RSSMRA80APNH501D", "omocodic day PN = 32"],
    ["RSSMRA80AQLH501O", "omocodic day QL = 40"],
    ["RSSMRA8OA01H501I", "letter O (not an omocodia letter) where a digit goes"],
    ["RSSMRA80A011501O", "digit where the municipality letter goes"],
    ["RSSMRA80A01H501", "15 characters"],
    ["RSSMRA80A01H501UU", "17 characters"],
    ["", "empty"],
    ["rssmra80a01h501u", "lower case (callers normalise)"],
    [" RSSMRA80A01H501U", "leading space (callers normalise)"],
  ])("refuses %s (%s)", (cf) => {
    expect(isValidPersonalFiscalCode(cf)).toBe(false);
  });

  it("refuses every other check character", () => {
    const others = "ABCDEFGHIJKLMNOPQRSTVWXYZ".split(""); // all but U
    expect(others.filter((c) => isValidPersonalFiscalCode("RSSMRA80A01H501" + c))).toEqual([]);
  });

  it("normalises case and surrounding spaces", () => {
    expect(normalizeFiscalCode("  rssmra80a01h501u\t")).toBe("RSSMRA80A01H501U");
    expect(isValidPersonalFiscalCode(normalizeFiscalCode(" rssmraulalmhrlmd "))).toBe(true);
    expect(personalFiscalCodeSchema.parse(" rssmra80a01h501u")).toBe("RSSMRA80A01H501U");
  });

  it("has a schema that refuses bad and numeric codes with an Italian message", () => {
    const r = personalFiscalCodeSchema.safeParse("RSSMRA80A01H501X");
    expect(r.error?.issues[0]?.message).toBe(
      "Codice fiscale non valido: il carattere di controllo è «X» ma dovrebbe essere «U»; controllare di averlo trascritto correttamente",
    );
    expect(personalFiscalCodeSchema.safeParse("02342520158").success).toBe(false);
  });

  it.each([
    ["RSSMRA80A01H501", "Codice fiscale non valido: deve avere 16 caratteri, ne ha 15"],
    ["RSSMRA80A01H50-U", "Codice fiscale non valido: sono ammesse solo lettere e cifre"],
    ["RSSMR080A01H501U", "Codice fiscale non valido: i primi 6 caratteri (cognome e nome) devono essere lettere"],
    ["RSSMRAA0A01H501U", "Codice fiscale non valido: il 7° e l'8° carattere (anno di nascita) devono essere cifre"],
    ["RSSMRA80F01H501U", "Codice fiscale non valido: «F» non indica un mese di nascita (ammesse A, B, C, D, E, H, L, M, P, R, S, T)"],
    ["RSSMRA80A35H501U", "Codice fiscale non valido: «35» non è un giorno di nascita (da 01 a 31, da 41 a 71 per le donne)"],
    ["RSSMRA80A01H5010", "Codice fiscale non valido: l'ultimo carattere (di controllo) deve essere una lettera"],
  ])("says which part of %s is wrong", (cf, message) => {
    expect(personalFiscalCodeSchema.safeParse(cf).error?.issues[0]?.message).toBe(message);
  });
});

describe("11-digit codice fiscale / partita IVA", () => {
  // All the codes the sample upload files use, gestore 01234567897 included.
  it.each(["01234567897", "02342520158", "97735020584", "02000000428", "03000000426"])("accepts %s", (cf) => {
    expect(isValidNumericFiscalCode(cf)).toBe(true);
    expect(fiscalCodeKind(cf)).toBe("numeric");
  });

  it.each([
    ["02342520159", "wrong check digit (invalid-mixed.txt)"],
    ["00000000000", "all zeros, although its check digit adds up"],
    ["0123456789", "10 digits"],
    ["012345678971", "12 digits"],
    ["0123456789A", "letter"],
    [" 01234567897", "leading space (callers trim)"],
  ])("refuses %s (%s)", (cf) => {
    expect(isValidNumericFiscalCode(cf)).toBe(false);
  });

  it("computes the check digit: odd positions summed, even positions doubled minus 9 above 9", () => {
    // 0+2+4+6+8 = 20; 2+6+(10-9)+(14-9)+(18-9) = 23; (10 - 43 % 10) % 10 = 7
    expect(numericFiscalCodeCheckDigit("0123456789")).toBe("7");
    // 0+3+2+2+1 = 8; 4+8+(10-9)+0+(10-9) = 14; (10 - 22 % 10) % 10 = 8
    expect(numericFiscalCodeCheckDigit("0234252015")).toBe("8");
    // sum multiple of 10 → 0, not 10
    expect(numericFiscalCodeCheckDigit("0000000000")).toBe("0");
    expect(() => numericFiscalCodeCheckDigit("012345678")).toThrow(RangeError);
  });

  it("catches every single-digit typo", () => {
    const valid = "02342520158";
    const typos: string[] = [];
    for (let i = 0; i < 11; i++)
      for (const d of "0123456789") if (d !== valid[i]) typos.push(valid.slice(0, i) + d + valid.slice(i + 1));
    expect(typos).toHaveLength(99);
    expect(typos.filter(isValidNumericFiscalCode)).toEqual([]);
  });

  it("has a schema that trims and explains the rule in Italian", () => {
    expect(numericFiscalCodeSchema.parse(" 02342520158 ")).toBe("02342520158");
    expect(numericFiscalCodeSchema.safeParse("02342520159").error?.issues[0]?.message).toBe(
      "Codice fiscale / partita IVA non valido: la cifra di controllo è «9» ma dovrebbe essere «8»",
    );
    expect(numericFiscalCodeSchema.safeParse("0234252015").error?.issues[0]?.message).toBe("Codice fiscale / partita IVA non valido: deve avere 11 cifre, ne ha 10");
    expect(numericFiscalCodeSchema.safeParse("RSSMRA80A01H501U").success).toBe(false);
  });
});

describe("either kind", () => {
  it("tells the two kinds apart and refuses the rest", () => {
    expect(fiscalCodeKind("02342520158")).toBe("numeric");
    expect(fiscalCodeKind("RSSMRA80A01H501U")).toBe("personal");
    expect(fiscalCodeKind("12345")).toBeNull();
    expect(fiscalCodeKind("02342520159")).toBeNull();
    expect(isValidFiscalCode("RSSMRAULALMHRLMD")).toBe(true);
    expect(isValidFiscalCode("RSSMRA80A01H501X")).toBe(false);
  });

  it("has a schema that normalises either kind", () => {
    expect(fiscalCodeSchema.parse(" rssmra80a01h501u ")).toBe("RSSMRA80A01H501U");
    expect(fiscalCodeSchema.parse("02342520158")).toBe("02342520158");
    expect(fiscalCodeSchema.safeParse("02342520159").error?.issues[0]?.message).toBe(
      "Codice fiscale / partita IVA non valido: la cifra di controllo è «9» ma dovrebbe essere «8»",
    );
  });
});

describe("surname and name letters", () => {
  it.each([
    ["ROSSI", "RSS"],
    ["Rossi", "RSS"],
    ["Bianchi", "BNC"],
    ["Bernardo", "BRN"], // surnames take the first three consonants, however many there are
    ["De Santis", "DSN"],
    ["D'Amico", "DMC"],
    ["Fo", "FOX"],
    ["Fò", "FOX"],
    ["Ai", "AIX"],
    ["D'Alò", "DLA"],
    ["Nicolò", "NCL"],
    ["Àrè", "RAE"], // accents matter: without them only R would be left
  ])("surname %s → %s", (s, code) => expect(surnameCode(s)).toBe(code));

  it.each([
    ["MARIO", "MRA"],
    ["Gianfranco", "GFR"], // G N F R N C: 1st, 3rd and 4th
    ["Bernardo", "BNR"], // B R N R D: 1st, 3rd and 4th, unlike the surname rule
    ["Giuseppe", "GPP"],
    ["Francesca", "FNC"],
    ["Giulia", "GLI"],
    ["Luca", "LCU"],
    ["Ugo", "GUO"],
    ["Al", "LAX"],
    ["Niccolò", "NCL"],
    ["Zoè", "ZOE"],
    ["Anna Maria", "NMR"], // a double name counts as one
  ])("name %s → %s", (n, code) => expect(nameCode(n)).toBe(code));

  it("matches a code to the right person and flags typos", () => {
    expect(fiscalCodeMatchesName("RSSMRA80A01H501U", "Rossi", "Mario")).toBe(true);
    expect(fiscalCodeMatchesName("rssmra80a01h501u", "ROSSI", "mario")).toBe(true);
    expect(fiscalCodeMatchesName("RSSMRAULALMHRLMD", "Rossi", "Mario")).toBe(true);
    expect(fiscalCodeMatchesName("VRDGPP75M12A271M", "Verdi", "Giuseppe")).toBe(true);
    expect(fiscalCodeMatchesName("RSSMRA80A01H501U", "Verdi", "Mario")).toBe(false);
    expect(fiscalCodeMatchesName("RSSMRA80A01H501U", "Rossi", "Marco")).toBe(false);
    expect(fiscalCodeMatchesName("RSSMRA80A01H501U", "Mario", "Rossi")).toBe(false);
  });

  it("never matches a blank name, even against a code padded with X", () => {
    expect(surnameCode("")).toBe("XXX");
    expect(fiscalCodeMatchesName("XXXMRA80A01H501D", "", "Mario")).toBe(false);
    expect(fiscalCodeMatchesName("XXXMRA80A01H501D", " ' ", "Mario")).toBe(false);
  });
});
