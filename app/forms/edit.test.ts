import { describe, expect, it } from "vitest";
import { parseFormDefinition } from "./definition";
import { applyEdit, componentByKey, destinations, keyFrom, parseOptionLines, type EditOp } from "./edit";
import { previewValues } from "./preview";
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
    expect(opts.ok && componentByKey(opts.form, "settore")!.data).toEqual({
      values: [
        { value: "agricoltura", label: "Agricoltura" },
        { value: "edilizia", label: "Edilizia" },
      ],
    });
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

/** Applies changes one after another, failing the test at the first refusal. */
function chain(...ops: EditOp[]) {
  return ops.reduce((form, op) => {
    const r = applyEdit(form, op);
    if (!r.ok) throw new Error(`${op.op}: ${JSON.stringify(r.problems)}`);
    return r.form;
  }, HIRING_GRANT_FORM);
}
const messages = (r: ReturnType<typeof applyEdit>) => (r.ok ? [] : r.problems.map((p) => p.message));
const unchanged = (r: ReturnType<typeof applyEdit>) => expect(r.ok).toBe(false);

describe("moving a component to another page or container", () => {
  it("moves a field to the end of another page, and into a column", () => {
    const form = chain({ op: "moveTo", key: "pecImpresa", to: "pagamento" });
    expect(keysOf(form.components[2]!.components)).toEqual(["iban", "visura", "dichiarazione", "pecImpresa"]);
    expect(keysOf(form.components[0]!.components)).not.toContain("pecImpresa");
    const col = chain({ op: "moveTo", key: "pecImpresa", to: "sede.2" });
    expect(keysOf(componentByKey(col, "sede")!.columns![1]!.components)).toEqual(["capSede", "pecImpresa"]);
    // Out of a column, back to the page.
    const out = chain({ op: "moveTo", key: "capSede", to: "impresa" });
    expect(componentByKey(out, "sede")!.columns![1]!.components).toEqual([]);
    expect(keysOf(out.components[0]!.components).at(-1)).toBe("capSede");
  });

  it("refuses a page, a place that does not exist, a container into itself, and what the import refuses", () => {
    expect(messages(applyEdit(HIRING_GRANT_FORM, { op: "moveTo", key: "impresa", to: "pagamento" }))).toEqual(["una pagina non si sposta dentro un'altra: usa «Sposta su» e «Sposta giù»"]);
    expect(messages(applyEdit(HIRING_GRANT_FORM, { op: "moveTo", key: "iban", to: "nessuna" }))).toEqual(["componente inesistente (forse è stato appena rimosso)"]);
    expect(messages(applyEdit(HIRING_GRANT_FORM, { op: "moveTo", key: "iban", to: "sede.3" }))).toEqual(["componente inesistente (forse è stato appena rimosso)"]);
    expect(messages(applyEdit(HIRING_GRANT_FORM, { op: "moveTo", key: "iban", to: "ragioneSociale" }))).toEqual(["componente inesistente (forse è stato appena rimosso)"]);
    expect(messages(applyEdit(HIRING_GRANT_FORM, { op: "moveTo", key: "sede", to: "sede.1" }))).toEqual(["un componente non può essere spostato dentro sé stesso"]);
    const grid = chain({ op: "addField", parent: "pagamento", type: "datagrid", key: "dipendenti", label: "Dipendenti" });
    expect(messages(applyEdit(grid, { op: "moveTo", key: "visura", to: "dipendenti" }))).toEqual(["un allegato non può stare in una tabella ripetibile"]);
  });
});

describe("containers: group, columns, repeatable table", () => {
  it("adds each container, fields inside them, and reorders inside them", () => {
    const form = chain(
      { op: "addField", parent: "assunzioni", type: "fieldset", key: "referente", label: "Referente" },
      { op: "addField", parent: "referente", type: "textfield", key: "nomeReferente", label: "Nome" },
      { op: "addField", parent: "referente", type: "email", key: "mailReferente", label: "E-mail" },
      { op: "move", key: "mailReferente", dir: "up" },
      { op: "addField", parent: "assunzioni", type: "columns", key: "periodo", label: "Periodo" },
      { op: "addField", parent: "periodo.1", type: "day", key: "dal", label: "Dal" },
      { op: "addField", parent: "periodo.2", type: "day", key: "al", label: "Al" },
      { op: "addColumn", key: "periodo" },
      { op: "removeColumn", key: "periodo", index: 3 },
      { op: "addField", parent: "assunzioni", type: "datagrid", key: "assunti", label: "Persone assunte" },
      { op: "addField", parent: "assunti", type: "textfield", key: "cfAssunto", label: "Codice fiscale" },
      { op: "addField", parent: "assunti", type: "day", key: "dataAssunzione", label: "Data di assunzione" },
      { op: "move", key: "dataAssunzione", dir: "up" },
      { op: "update", key: "assunti", patch: { required: true, minLength: 1, maxLength: 20 } }
    );
    expect(componentByKey(form, "referente")).toEqual({
      type: "fieldset",
      key: "referente",
      legend: "Referente",
      components: [
        { type: "email", key: "mailReferente", label: "E-mail" },
        { type: "textfield", key: "nomeReferente", label: "Nome" },
      ],
    });
    expect(componentByKey(form, "periodo")).toEqual({
      type: "columns",
      key: "periodo",
      label: "Periodo",
      columns: [{ components: [{ type: "day", key: "dal", label: "Dal" }] }, { components: [{ type: "day", key: "al", label: "Al" }] }],
    });
    expect(componentByKey(form, "assunti")).toMatchObject({
      type: "datagrid",
      validate: { required: true, minLength: 1, maxLength: 20 },
      components: [{ key: "dataAssunzione" }, { key: "cfAssunto" }],
    });
    expect(
      destinations(form)
        .filter((d) => d.page === "assunzioni")
        .map((d) => d.id)
    ).toEqual(["assunzioni", "referente", "periodo.1", "periodo.2", "assunti"]);
    expect(parseFormDefinition(form).ok).toBe(true);
  });

  it("refuses what a table or columns cannot hold, in Italian", () => {
    const form = chain(
      { op: "addField", parent: "pagamento", type: "datagrid", key: "righe", label: "Righe" },
      { op: "addField", parent: "pagamento", type: "columns", key: "colonne", label: "Colonne" },
      { op: "addField", parent: "colonne.1", type: "textfield", key: "pieno", label: "Pieno" }
    );
    expect(messages(applyEdit(form, { op: "addField", parent: "righe", type: "datagrid", key: "sotto", label: "Sotto" }))).toEqual(["una tabella ripetibile non può contenerne un'altra"]);
    expect(messages(applyEdit(form, { op: "addField", parent: "righe", type: "fieldset", key: "gruppo", label: "Gruppo" }))).toEqual([
      "una tabella ripetibile contiene solo campi (niente gruppi, colonne o testi informativi)",
    ]);
    expect(messages(applyEdit(form, { op: "addField", parent: "righe", type: "file", key: "doc", label: "Documento" }))).toEqual(["un allegato non può stare in una tabella ripetibile"]);
    expect(messages(applyEdit(form, { op: "removeColumn", key: "colonne", index: 1 }))).toEqual(["la colonna 1 contiene dei campi: spostali o rimuovili prima"]);
    expect(messages(applyEdit(form, { op: "removeColumn", key: "colonne", index: 7 }))).toEqual(["colonna 7 inesistente"]);
    expect(messages(applyEdit(form, { op: "addColumn", key: "righe" }))).toEqual(["componente inesistente (forse è stato appena rimosso)"]);
    const four = chain({ op: "addField", parent: "pagamento", type: "columns", key: "c4", label: "C" }, { op: "addColumn", key: "c4" }, { op: "addColumn", key: "c4" });
    expect(messages(applyEdit(four, { op: "addColumn", key: "c4" }))).toEqual(["al massimo 4 colonne"]);
    const one = chain({ op: "addField", parent: "pagamento", type: "columns", key: "c1", label: "C" }, { op: "removeColumn", key: "c1", index: 2 });
    expect(messages(applyEdit(one, { op: "removeColumn", key: "c1", index: 1 }))).toEqual(["serve almeno una colonna: per toglierle tutte rimuovi il componente"]);
  });
});

describe("validators and conditions without JSON", () => {
  it("sets and removes an Italian validator", () => {
    const set = chain({ op: "update", key: "ragioneSociale", patch: { plugin: "codiceFiscale" } });
    expect(componentByKey(set, "ragioneSociale")!.validate).toEqual({ required: true, maxLength: 200, plugins: ["codiceFiscale"] });
    const removed = applyEdit(set, { op: "update", key: "ragioneSociale", patch: { plugin: null } });
    expect(removed.ok && componentByKey(removed.form, "ragioneSociale")!.validate).toEqual({ required: true, maxLength: 200 });
    expect(messages(applyEdit(HIRING_GRANT_FORM, { op: "update", key: "pecImpresa", patch: { plugin: "iban" } }))).toEqual(["regola di validazione non supportata per «email»: «plugins»"]);
  });

  it("refuses a catastrophic pattern in the editor as in the import", () => {
    unchanged(applyEdit(HIRING_GRANT_FORM, { op: "update", key: "ragioneSociale", patch: { pattern: "([a-z]+)*x" } }));
    expect(messages(applyEdit(HIRING_GRANT_FORM, { op: "update", key: "ragioneSociale", patch: { pattern: "([a-z]+)*x" } }))[0]).toMatch(/^«pattern» ripete un gruppo/);
  });

  it("sets show/when/eq on a field and removes it", () => {
    const form = chain({ op: "condition", key: "descrizione", conditional: { show: false, when: "settore", eq: "turismo" } });
    expect(componentByKey(form, "descrizione")!.conditional).toEqual({ show: false, when: "settore", eq: "turismo" });
    const gone = chain({ op: "condition", key: "codiceFiscaleDelegante", conditional: null });
    expect(componentByKey(gone, "codiceFiscaleDelegante")).not.toHaveProperty("conditional");
    // A container takes a condition too.
    const sede = chain({ op: "condition", key: "sede", conditional: { show: true, when: "qualita", eq: "delegato" } });
    expect(componentByKey(sede, "sede")!.conditional).toEqual({ show: true, when: "qualita", eq: "delegato" });
  });

  it("refuses a condition on itself, on a missing field, on a value not among the options, on a file", () => {
    const cases: [EditOp, string][] = [
      [{ op: "condition", key: "iban", conditional: { show: true, when: "iban", eq: "x" } }, "la condizione non può citare il campo stesso"],
      [{ op: "condition", key: "iban", conditional: { show: true, when: "nessuno", eq: "x" } }, "la condizione cita un campo inesistente: «nessuno»"],
      [{ op: "condition", key: "iban", conditional: { show: true, when: "settore", eq: "pesca" } }, "la condizione confronta «settore» con «pesca», che non è tra le sue opzioni"],
      [{ op: "condition", key: "iban", conditional: { show: true, when: "visura", eq: "x" } }, "la condizione non può leggere «visura» (allegato o tabella ripetibile)"],
      [{ op: "condition", key: "iban", conditional: { show: true, when: "dichiarazione", eq: "si" } }, "la condizione su una casella di spunta confronta con «true» (spuntata), non con «si»"],
      [{ op: "condition", key: "nessuno", conditional: null }, "componente inesistente (forse è stato appena rimosso)"],
    ];
    for (const [op, message] of cases) expect(messages(applyEdit(HIRING_GRANT_FORM, op))).toEqual([message]);
  });
});

describe("the preview's answers", () => {
  it("reads only the form's fields from the query, carrying other pages' answers", () => {
    const params = new URLSearchParams("qualita=delegato&ragioneSociale=Prova&settore=turismo&categorie=giovani&categorie=donne&importoBonus=1&visura=x&pagina=impresa");
    const { values, carried } = previewValues(HIRING_GRANT_FORM, "impresa", params);
    expect(values).toEqual({ qualita: "delegato", ragioneSociale: "Prova", settore: "turismo", categorie: ["giovani", "donne"] });
    expect(carried).toEqual([
      { name: "settore", value: "turismo" },
      { name: "categorie", value: "giovani" },
      { name: "categorie", value: "donne" },
    ]);
  });
});
