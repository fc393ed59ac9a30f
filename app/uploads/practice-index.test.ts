import { describe, expect, it } from "vitest";
import type { UploadError } from "./errors";
import { copyText } from "./copy-text";
import { CopyTextRows } from "./copy-rows";
import { fieldsKey, PracticeIndex } from "./practice-index";
import { centsToDecimal, type Detail } from "./records";

const detail = (over: Partial<Detail> = {}): Detail => ({
  line: 2, code: "A", measureId: "m1", beneficiaryFiscalCode: "02342520158", beneficiaryName: "Alfa", comuneCode: "042002",
  submittedOn: "2020-04-02", state: "PRESENTATA", stateDate: "2020-04-02", requestedCents: 100000, approvedCents: null, disbursedCents: null, notes: "",
  ...over,
});

function indexWith(stored: Detail) {
  const index = new PracticeIndex(1);
  index.addKnown(stored.code, 7, stored.state, stored.stateDate, stored.measureId, `${stored.beneficiaryFiscalCode}|${fieldsKey(stored)}`);
  index.startPass({ exact: true });
  return index;
}

describe("PracticeIndex.judge", () => {
  it("tells new, unchanged, moved and changed records apart", () => {
    const errors: UploadError[] = [];
    const index = indexWith(detail());
    expect(index.judge(detail({ code: "B" }), errors)).toEqual({ kind: "new" });
    expect(index.judge(detail({ line: 3 }), errors)).toEqual({ kind: "unchanged" });
    const moved = indexWith(detail()).judge(detail({ state: "DELIBERATA", stateDate: "2020-06-01", approvedCents: 80000 }), errors);
    expect(moved).toEqual({ kind: "transition", practiceId: 7, from: "PRESENTATA", changes: '{"importo_deliberato":[null,800.00]}' });
    const renamed = indexWith(detail()).judge(detail({ beneficiaryName: 'Alfa "nuova"\\', stateDate: "2020-05-01" }), errors);
    expect(renamed.kind).toBe("update");
    expect(JSON.parse((renamed as { changes: string }).changes)).toEqual({ data_stato: ["2020-04-02", "2020-05-01"], denominazione: ["Alfa", 'Alfa "nuova"\\'] });
    expect(errors).toEqual([]);
  });

  it("refuses what the spec forbids, naming line and field", () => {
    const errors: UploadError[] = [];
    const index = indexWith(detail({ state: "EROGATA", stateDate: "2020-06-01", approvedCents: 100, disbursedCents: 100 }));
    const verdict = index.judge(detail({ line: 5, measureId: "m2", beneficiaryFiscalCode: "00000000000", state: "PRESENTATA", stateDate: "2020-05-01" }), errors);
    expect(verdict).toEqual({ kind: "refused" });
    expect(errors.map((e) => [e.line, e.field, e.code])).toEqual([
      [5, "codice_misura", "IMMUTABLE_FIELD"],
      [5, "cf_beneficiario", "IMMUTABLE_FIELD"],
      [5, "stato", "TRANSITION_NOT_ALLOWED"],
      [5, "data_stato", "DATE_ORDER"],
    ]);
  });

  it("finds repeated codes, stored or new, with the line of the first", () => {
    const errors: UploadError[] = [];
    const index = indexWith(detail());
    index.judge(detail({ line: 2 }), errors);
    index.judge(detail({ line: 3, code: "N" }), errors);
    expect(index.judge(detail({ line: 4 }), errors)).toEqual({ kind: "refused" });
    expect(index.judge(detail({ line: 5, code: "N" }), errors)).toEqual({ kind: "refused" });
    expect(errors.map((e) => [e.line, e.code, e.message.slice(-1)])).toEqual([
      [4, "DUPLICATE_PRACTICE", "2"],
      [5, "DUPLICATE_PRACTICE", "3"],
    ]);
  });

  it("without exact memory, answers 'maybe repeated' for a repeated new code, never for distinct ones", () => {
    const index = new PracticeIndex(0);
    index.startPass({ exact: false, expectedCodes: 10_000 });
    const errors: UploadError[] = [];
    for (let i = 0; i < 10_000; i++) expect(index.judge(detail({ code: `P${i}` }), errors).kind).toBe("new");
    expect(index.judge(detail({ code: "P42" }), errors)).toEqual({ kind: "maybe-repeated" });
    expect(errors).toEqual([]);
  });

  it("judges against stored practices with non-ASCII codes and fields, past the counted capacity", () => {
    // Counted 1, given 2 000: the arrays grow. Every tenth practice has accents and an emoji in its fields.
    const index = new PracticeIndex(1);
    const stored = (i: number) =>
      detail({ code: i % 7 === 0 ? `PRÀTICA-${i}` : `P${i}`, beneficiaryName: i % 10 === 0 ? `Società «${i}» 😀` : `Impresa ${i}`, notes: i % 10 === 0 ? "perché sì" : "" });
    for (let i = 0; i < 2_000; i++) {
      const d = stored(i);
      index.addKnown(d.code, 1_000 + i, d.state, d.stateDate, d.measureId, `${d.beneficiaryFiscalCode}|${fieldsKey(d)}`);
    }
    expect(index.known).toBe(2_000);
    index.startPass({ exact: true });
    const errors: UploadError[] = [];
    for (let i = 0; i < 2_000; i++) expect(index.judge({ ...stored(i), line: i + 2 }, errors)).toEqual({ kind: "unchanged" });
    // Absent codes, including one differing from a stored code by an accent only, are new.
    expect(index.judge(detail({ line: 3_000, code: "PRATICA-7" }), errors)).toEqual({ kind: "new" });
    expect(index.judge(detail({ line: 3_001, code: "P2000" }), errors)).toEqual({ kind: "new" });
    expect(errors).toEqual([]);
  });

  it("records every changed mutable field, old and new, decoded from the stored bytes", () => {
    const was = detail({ code: "CÒDICE", beneficiaryName: "Caffè Ræ", comuneCode: "042002", notes: "nota «vecchia»", approvedCents: 50_000 });
    const index = indexWith(was);
    const errors: UploadError[] = [];
    const now = { ...was, line: 3, beneficiaryName: "Caffè Ræ 2", comuneCode: "058091", submittedOn: "2020-04-01", requestedCents: 120_000, approvedCents: null, disbursedCents: 100, notes: "" };
    const verdict = index.judge(now, errors);
    expect(verdict.kind).toBe("update");
    expect(JSON.parse((verdict as { changes: string }).changes)).toEqual({
      denominazione: ["Caffè Ræ", "Caffè Ræ 2"],
      comune_istat: ["042002", "058091"],
      data_presentazione: ["2020-04-02", "2020-04-01"],
      importo_richiesto: [1000, 1200],
      importo_deliberato: [500, null],
      importo_erogato: [null, 1],
      note: ["nota «vecchia»", ""],
    });
    // The beneficiary is compared on the decoded bytes too.
    const other = indexWith(was).judge({ ...was, beneficiaryFiscalCode: "RSSMRA80A01H501U" }, errors);
    expect(other).toEqual({ kind: "refused" });
    expect(errors.map((e) => e.field)).toEqual(["cf_beneficiario"]);
  });

  it("reads stored practices from COPY text rows as it does from strings: escapes, accents, states, dates and measures", () => {
    // As PostgreSQL writes them: tab-separated columns (STORED_PRACTICE_COLUMNS), backslash escapes.
    const stored = (i: number) =>
      detail({
        code: i % 7 === 0 ? `PRÀTICA-${i}` : `P${i}`,
        measureId: i % 3 === 0 ? "m2" : "m1",
        state: i % 2 === 0 ? "IN_ISTRUTTORIA" : "PRESENTATA",
        stateDate: `2020-0${1 + (i % 9)}-1${i % 10}`,
        beneficiaryName: i % 5 === 0 ? `Caffè \\ Società\t«${i}» 😀` : `Impresa ${i}`,
        notes: i % 10 === 0 ? "nota con \\N e \\t letterali" : "",
        approvedCents: i % 4 === 0 ? 50_000 + i : null,
        disbursedCents: i % 8 === 0 ? 100 : null,
      });
    const rows = Array.from({ length: 500 }, (_, i) => {
      const d = stored(i);
      const amount = (cents: number | null) => (cents === null ? "\\N" : centsToDecimal(cents));
      return [copyText(d.code), 1_000 + i, d.state, d.stateDate, d.measureId, d.beneficiaryFiscalCode, copyText(d.beneficiaryName), d.comuneCode,
        d.submittedOn, amount(d.requestedCents), amount(d.approvedCents), amount(d.disbursedCents), copyText(d.notes)].join("\t");
    });
    const fromRows = new PracticeIndex(1);
    const reader = new CopyTextRows((b, start, end) => fromRows.addKnownRow(b, start, end));
    const output = new TextEncoder().encode(rows.join("\n") + "\n");
    // Cut into uneven chunks, as a socket delivers them.
    for (let at = 0; at < output.length; at += 997) reader.push(output.subarray(at, at + 997));
    reader.end();
    expect(fromRows.known).toBe(500);
    fromRows.startPass({ exact: true });
    const errors: UploadError[] = [];
    for (let i = 0; i < 500; i++) expect(fromRows.judge({ ...stored(i), line: i + 2 }, errors)).toEqual({ kind: "unchanged" });
    const moved = fromRows.judge({ ...stored(1), code: "P1", line: 600 }, errors);
    expect(moved).toEqual({ kind: "refused" }); // P1 was already seen on line 3
    const again = new PracticeIndex(0);
    const once = new CopyTextRows((b, start, end) => again.addKnownRow(b, start, end));
    // Unescaping rewrites the bytes in place: the output is encoded again.
    once.push(new TextEncoder().encode(rows.join("\n") + "\n"));
    again.startPass({ exact: true });
    const d = stored(5);
    const verdict = again.judge({ ...d, line: 2, state: "IN_ISTRUTTORIA", stateDate: "2020-12-01", notes: "nuova" }, errors);
    expect(verdict).toEqual({ kind: "transition", practiceId: 1_005, from: "PRESENTATA", changes: '{"note":["","nuova"]}' });
    expect(errors.map((e) => e.code)).toEqual(["DUPLICATE_PRACTICE"]);
    const bad = new TextEncoder().encode("X\t12a\tPRESENTATA\t2020-01-01\tm1\tcf\tn\t042002\t2020-01-01\t1.00\t\\N\t\\N\t");
    expect(() => again.addKnownRow(bad, 0, bad.length)).toThrow(/not a number/);
    expect(() => again.addKnownRow(bad, 0, bad.length - 1)).toThrow(/12 columns instead of 13/);
  });
});
