import { describe, expect, it } from "vitest";
import { allFields, parseFormDefinition } from "./definition";
import { HIRING_GRANT_FORM } from "./hiring-grant";
import { missingAnswers, parseEuro, readPage, shownAnswers } from "./validate";

const form = HIRING_GRANT_FORM;
const page1 = { qualita: ["legale_rappresentante"], ragioneSociale: ["Romano Servizi srl"], partitaIva: ["01234567897"], comuneSede: ["058091"], capSede: ["00185"], pecImpresa: ["romano@pec.example.it"] };

describe("parseFormDefinition", () => {
  it("accepts the demo model and a form.io export with its empty defaults", () => {
    expect(parseFormDefinition(form).ok).toBe(true);
    const exported = structuredClone(form) as unknown as { components: { components: Record<string, unknown>[] }[] };
    exported.components[0]!.components[1]!.validate = { required: true, pattern: "", minLength: "", custom: "" };
    exported.components[0]!.components[1]!.conditional = { show: null, when: null, eq: "" };
    exported.components[0]!.components[1]!.input = true;
    const r = parseFormDefinition(exported);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.form.components[0]!.components![1]).not.toHaveProperty("input");
  });

  it("refuses unknown components and properties with the path of each, in Italian", () => {
    const bad = structuredClone(form) as unknown as { components: { components: Record<string, unknown>[] }[] };
    bad.components[0]!.components.push({ type: "signature", key: "firma", label: "Firma" });
    bad.components[1]!.components[0]!.calculateValue = "value = 1";
    bad.components[2]!.components[0]!.validate = { required: true, plugins: ["codiceSegreto"] };
    const r = parseFormDefinition(bad);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual([
      { path: "components[0] («impresa»).components[7] («firma»)", message: "tipo di componente non supportato: «signature»" },
      { path: "components[1] («assunzioni»).components[0] («numeroAssunti»)", message: "proprietà non supportata per «number»: «calculateValue»" },
      { path: "components[2] («pagamento»).components[0] («iban»)", message: expect.stringContaining("validatore non supportato") },
    ]);
  });

  it("refuses repeated keys, fields outside pages, conditions on missing fields, bad limits", () => {
    const r = parseFormDefinition({
      display: "wizard",
      components: [
        { type: "textfield", key: "fuori", label: "Fuori" },
        { type: "panel", key: "p", title: "P", components: [
          { type: "textfield", key: "a", label: "A" },
          { type: "textfield", key: "a", label: "A di nuovo" },
          { type: "textfield", key: "b", label: "B", conditional: { show: true, when: "nessuno", eq: "x" } },
          { type: "file", key: "f", label: "F", fileMaxSize: "50MB" },
        ] },
      ],
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => p.message)).toEqual([
      "al primo livello sono ammesse solo pagine («panel»)",
      "chiave «a» ripetuta",
      "«fileMaxSize» non valido (ad esempio «5MB», al massimo 10MB)",
    ]);
  });

  it("lists every field with its page, columns and fieldsets flattened", () => {
    expect(allFields(form).filter((f) => f.page === "impresa").map((f) => f.key)).toEqual(["qualita", "ragioneSociale", "partitaIva", "codiceFiscaleDelegante", "comuneSede", "capSede", "pecImpresa"]);
  });
});

describe("readPage", () => {
  it("returns typed answers for a good page", () => {
    const r = readPage(form, "impresa", page1, {}, { required: true });
    expect(r).toEqual({ ok: true, values: { qualita: "legale_rappresentante", ragioneSociale: "Romano Servizi srl", partitaIva: "01234567897", comuneSede: "058091", capSede: "00185", pecImpresa: "romano@pec.example.it" } });
  });

  it("refuses a name the page does not hold, whole", () => {
    expect(readPage(form, "impresa", { ...page1, importoRichiesto: ["999999"] }, {}, { required: true })).toEqual({ ok: false, unknown: ["importoRichiesto"] });
    expect(readPage(form, "impresa", { ...page1, ruolo: ["amministratore"] }, {}, { required: true })).toEqual({ ok: false, unknown: ["ruolo"] });
  });

  it("gives Italian errors beside each field: fiscal code, P.IVA, CAP, over-long text, required", () => {
    const r = readPage(form, "impresa", { ...page1, qualita: ["delegato"], codiceFiscaleDelegante: ["RSSMRA80A01H501A"], partitaIva: ["01234567890"], capSede: ["1234"], ragioneSociale: ["x".repeat(201)], pecImpresa: [""] }, {}, { required: true });
    expect(r.ok).toBe(false);
    if (r.ok || !("errors" in r)) return;
    expect(r.errors).toEqual({
      codiceFiscaleDelegante: "Codice fiscale del legale rappresentante: codice fiscale non valido",
      partitaIva: "Partita IVA: partita IVA non valida (11 cifre con il carattere di controllo corretto)",
      capSede: "CAP della sede: CAP non valido (5 cifre)",
      ragioneSociale: "Ragione sociale: al massimo 200 caratteri",
      pecImpresa: "PEC dell'impresa: campo obbligatorio",
    });
  });

  it("drops a field its condition hides, and requires it when shown", () => {
    const hidden = readPage(form, "impresa", { ...page1, codiceFiscaleDelegante: ["RSSMRA80A01H501U"] }, {}, { required: true });
    expect(hidden.ok && hidden.values).not.toHaveProperty("codiceFiscaleDelegante");
    const shown = readPage(form, "impresa", { ...page1, qualita: ["delegato"] }, {}, { required: true });
    expect("errors" in shown && shown.errors).toEqual({ codiceFiscaleDelegante: "Codice fiscale del legale rappresentante: campo obbligatorio" });
    const good = readPage(form, "impresa", { ...page1, qualita: ["delegato"], codiceFiscaleDelegante: ["rssmra80a01h501u"] }, {}, { required: true });
    expect(good.ok && good.values.codiceFiscaleDelegante).toBe("RSSMRA80A01H501U");
  });

  it("keeps money as an exact decimal string and checks limits, choices and dates", () => {
    const posted = { numeroAssunti: ["3"], dataPrimaAssunzione: ["2026-02-30"], settore: ["edilizia"], categorie: ["giovani", "marziani"], importoRichiesto: ["12.345,6"] };
    const r = readPage(form, "assunzioni", posted, {}, { required: true });
    expect("errors" in r && r.errors).toEqual({
      dataPrimaAssunzione: "Data della prima assunzione: data non valida",
      settore: "Settore di attività: scelta non prevista",
      categorie: "Categorie delle persone assunte: scelta non prevista",
    });
    expect("values" in r && r.values.importoRichiesto).toBe("12345.60");
    const limits = readPage(form, "assunzioni", { ...posted, dataPrimaAssunzione: ["2026-02-28"], settore: ["servizi"], categorie: ["giovani"], importoRichiesto: ["150.000,01"], numeroAssunti: ["51"] }, {}, { required: true });
    expect("errors" in limits && limits.errors).toEqual({
      importoRichiesto: "Contributo richiesto (euro): al massimo 150000 euro",
      numeroAssunti: "Persone assunte a tempo indeterminato nel 2026: al massimo 50",
    });
  });

  it("checks IBANs with the mod-97 rule", () => {
    expect(readPage(form, "pagamento", { iban: ["IT60 X054 2811 1010 0000 0123 456"], dichiarazione: ["true"] }, { visura: { id: "x" } }, { required: true }).ok).toBe(true);
    const bad = readPage(form, "pagamento", { iban: ["IT61X0542811101000000123456"], dichiarazione: ["true"] }, {}, { required: false });
    expect("errors" in bad && bad.errors).toEqual({ iban: "IBAN del conto dell'impresa: IBAN non valido" });
  });

  it("saving for later skips the required check but not the format", () => {
    expect(readPage(form, "impresa", { ragioneSociale: ["Romano"] }, {}, { required: false })).toEqual({ ok: true, values: { ragioneSociale: "Romano" } });
  });
});

describe("completeness and euro", () => {
  it("lists what is missing, with its page", () => {
    const missing = missingAnswers(form, { qualita: "delegato", ragioneSociale: "R" });
    expect(missing.slice(0, 3)).toEqual([
      { key: "partitaIva", page: "impresa", label: "Partita IVA" },
      { key: "codiceFiscaleDelegante", page: "impresa", label: "Codice fiscale del legale rappresentante" },
      { key: "comuneSede", page: "impresa", label: "Codice ISTAT del comune della sede" },
    ]);
    expect(missing.map((m) => m.key)).toContain("visura");
    expect(shownAnswers(form, { qualita: "legale_rappresentante", codiceFiscaleDelegante: "X", altro: 1 })).toEqual({ qualita: "legale_rappresentante" });
  });

  it("parses Italian amounts exactly", () => {
    expect(parseEuro("1.234,5")).toBe("1234.50");
    expect(parseEuro("0,07")).toBe("0.07");
    expect(parseEuro("1234")).toBe("1234.00");
    expect(parseEuro("1,234.5")).toBeNull();
    expect(parseEuro("12,345")).toBeNull();
  });
});
