import { describe, expect, it } from "vitest";
import { parseFormDefinition } from "./definition";
import { applyEdit, componentByKey, keyFrom, parseOptionLines } from "./edit";
import { HIRING_GRANT_FORM } from "./hiring-grant";

const keysOf = (list: { key: string }[] | undefined) => (list ?? []).map((c) => c.key);

describe("the form-model editor's changes, checked as an import", () => {
  it("moves a field up and down among its siblings, and a page among the pages", () => {
    const up = applyEdit(HIRING_GRANT_FORM, { op: "move", key: "ragioneSociale", dir: "up" });
    expect(up.ok && keysOf(up.form.components[0]!.components)).toEqual(["introImpresa", "ragioneSociale", "qualita", "partitaIva", "codiceFiscaleDelegante", "sede", "pecImpresa"]);
    const page = applyEdit(HIRING_GRANT_FORM, { op: "move", key: "pagamento", dir: "up" });
    expect(page.ok && keysOf(page.form.components)).toEqual(["impresa", "pagamento", "assunzioni"]);
    // Inside columns too.
    const col = applyEdit(HIRING_GRANT_FORM, { op: "move", key: "comuneSede", dir: "down" });
    expect(col).toEqual({ ok: false, problems: [{ path: "«comuneSede»", message: "è già l'ultimo" }] });
  });

  it("refuses moving the first up, with an Italian reason", () => {
    expect(applyEdit(HIRING_GRANT_FORM, { op: "move", key: "impresa", dir: "up" })).toEqual({ ok: false, problems: [{ path: "«impresa»", message: "è già il primo" }] });
  });

  it("removes a field, but not one a condition reads", () => {
    const removed = applyEdit(HIRING_GRANT_FORM, { op: "remove", key: "descrizione" });
    expect(removed.ok && componentByKey(removed.form, "descrizione")).toBeNull();
    const refused = applyEdit(HIRING_GRANT_FORM, { op: "remove", key: "qualita" });
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.problems[0]!.message).toBe("la condizione cita un campo inesistente: «qualita»");
  });

  it("adds a page and a field; a choice field starts with one option to edit", () => {
    const page = applyEdit(HIRING_GRANT_FORM, { op: "addPage", key: "allegati", title: "Allegati" });
    expect(page.ok && keysOf(page.form.components)).toEqual(["impresa", "assunzioni", "pagamento", "allegati"]);
    const field = applyEdit(HIRING_GRANT_FORM, { op: "addField", parent: "assunzioni", type: "radio", key: "sedeOperativa", label: "Sede operativa" });
    expect(field.ok && componentByKey(field.form, "sedeOperativa")).toEqual({ type: "radio", key: "sedeOperativa", label: "Sede operativa", values: [{ label: "Opzione 1", value: "opzione1" }] });
  });

  it("refuses a repeated key or a bad key, with the import's messages", () => {
    const repeated = applyEdit(HIRING_GRANT_FORM, { op: "addField", parent: "assunzioni", type: "textfield", key: "iban", label: "Altro IBAN" });
    expect(!repeated.ok && repeated.problems.map((p) => p.message)).toEqual(["chiave «iban» ripetuta"]);
    const bad = applyEdit(HIRING_GRANT_FORM, { op: "addPage", key: "1pagina", title: "Pagina" });
    expect(!bad.ok && bad.problems[0]!.message).toMatch(/^chiave \(«key»\) mancante o non valida/);
  });

  it("edits label, help, required, limits and options; an empty value removes the rule", () => {
    const r = applyEdit(HIRING_GRANT_FORM, {
      op: "update",
      key: "ragioneSociale",
      patch: { label: "Denominazione", description: "Come in visura", required: false, minLength: 2, maxLength: 150, pattern: "[A-Za-z ]+" },
    });
    expect(r.ok && componentByKey(r.form, "ragioneSociale")).toEqual({
      type: "textfield",
      key: "ragioneSociale",
      label: "Denominazione",
      description: "Come in visura",
      validate: { minLength: 2, maxLength: 150, pattern: "[A-Za-z ]+" },
    });
    const opts = applyEdit(HIRING_GRANT_FORM, { op: "update", key: "settore", patch: { options: parseOptionLines("agricoltura | Agricoltura\nEdilizia") } });
    expect(opts.ok && componentByKey(opts.form, "settore")!.data).toEqual({ values: [{ value: "agricoltura", label: "Agricoltura" }, { value: "edilizia", label: "Edilizia" }] });
    const page = applyEdit(HIRING_GRANT_FORM, { op: "update", key: "assunzioni", patch: { label: "Le assunzioni" } });
    expect(page.ok && page.form.components[1]!.title).toBe("Le assunzioni");
  });

  it("refuses rules the type does not take, limits that cross, bad patterns and repeated options", () => {
    const cases = [
      [{ key: "numeroAssunti", patch: { pattern: "\\d+" } }, "regola di validazione non supportata per «number»: «pattern»"],
      [{ key: "numeroAssunti", patch: { min: 10, max: 5 } }, "«min» supera «max»"],
      [{ key: "ragioneSociale", patch: { minLength: 50, maxLength: 10 } }, "«minLength» supera «maxLength»"],
      [{ key: "ragioneSociale", patch: { pattern: "([a-z" } }, "«pattern» non è un'espressione regolare valida"],
      [{ key: "settore", patch: { options: parseOptionLines("a | A\na | Altra") } }, "valore «a» ripetuto"],
      [{ key: "settore", patch: { options: [] } }, "servono le opzioni (almeno una, con etichetta e valore)"],
      [{ key: "ragioneSociale", patch: { label: "" } }, "etichetta («label») mancante"],
    ] as const;
    for (const [op, message] of cases) {
      const r = applyEdit(HIRING_GRANT_FORM, { op: "update", ...op } as never);
      expect(!r.ok && r.problems.map((p) => p.message)).toContain(message);
    }
  });

  it("never changes the definition it was given, and every result parses as an import", () => {
    const before = JSON.stringify(HIRING_GRANT_FORM);
    const r = applyEdit(HIRING_GRANT_FORM, { op: "remove", key: "descrizione" });
    expect(JSON.stringify(HIRING_GRANT_FORM)).toBe(before);
    expect(r.ok && parseFormDefinition(r.form).ok).toBe(true);
  });

  it("derives keys from labels", () => {
    expect(keyFrom("Ragione sociale dell'impresa")).toBe("ragioneSocialeDellImpresa");
    expect(keyFrom("3 figli")).toBe("campo3Figli");
  });
});
