import { describe, expect, it } from "vitest";
import { parseBulkCsv } from "./bulk";

describe("bulk enablement CSV", () => {
  it("reads rows with ; or , separators, quotes, a BOM and the optional role column", () => {
    const a = parseBulkCsv("\uFEFFcognome;nome;codice_fiscale;email;ruolo\r\nD'Amico;\"Anna; Maria\";DMCNMR80A41H501X;a@x.it;Referente\r\n\r\n");
    expect(a).toEqual({ rows: [{ line: 2, surname: "D'Amico", name: "Anna; Maria", fiscalCode: "DMCNMR80A41H501X", email: "a@x.it", role: "gestore_referente" }], errors: [] });
    const b = parseBulkCsv("cognome,nome,codice_fiscale,email\nRossi,Mario,RSSMRA80A01H501U,m@x.it\n");
    expect(b.rows[0]).toMatchObject({ line: 2, surname: "Rossi", role: "" });
  });

  it("names every problem by line", () => {
    const r = parseBulkCsv("cognome;nome;codice_fiscale;email;ruolo\nRossi;Mario;X;m@x.it;capo\nBianchi;Anna\nVerdi;Luca;Y;l@x.it;operatore\n");
    expect(r.errors).toEqual([
      { line: 2, message: "ruolo «capo» non riconosciuto: usare operatore, referente o funzionario" },
      { line: 3, message: "attese 5 colonne, trovate 2" },
    ]);
    expect(r.rows.map((x) => x.line)).toEqual([4]);
  });

  it("refuses a missing header column and an empty file", () => {
    expect(parseBulkCsv("nome;email\nA;b").errors[0]!.message).toMatch(/mancano le colonne cognome, codice_fiscale/);
    expect(parseBulkCsv(" \n").errors).toEqual([{ line: 0, message: "Il file è vuoto" }]);
    expect(parseBulkCsv("cognome;nome;codice_fiscale;email\n").errors).toEqual([{ line: 0, message: "Il file non contiene persone" }]);
  });
});
