import { describe, expect, it } from "vitest";
import { copyColumns, CopyTextRows, unescapeCopyColumn } from "./copy-rows";

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array, start: number, end: number) => new TextDecoder().decode(b.subarray(start, end));

function rowsOf(chunks: Uint8Array[]) {
  const rows: string[] = [];
  const reader = new CopyTextRows((b, s, e) => rows.push(text(b, s, e)));
  for (const c of chunks) reader.push(c);
  reader.end();
  expect(reader.rows).toBe(rows.length);
  return rows;
}

describe("CopyTextRows", () => {
  it("gives the same rows wherever the output is cut into chunks, multi-byte characters included", () => {
    const output = bytes("P1\t1\tSocietà «à»\nP2\t2\t\nP3\t3\t😀 x\n");
    const whole = rowsOf([output]);
    expect(whole).toEqual(["P1\t1\tSocietà «à»", "P2\t2\t", "P3\t3\t😀 x"]);
    for (let i = 0; i <= output.length; i++) for (let j = i; j <= output.length; j++)
      expect(rowsOf([output.subarray(0, i), output.subarray(i, j), output.subarray(j)])).toEqual(whole);
  });

  it("refuses output that ends inside a row", () => {
    const reader = new CopyTextRows(() => {});
    reader.push(bytes("P1\t1\nP2\t"));
    expect(() => reader.end()).toThrow(/inside a row/);
  });
});

describe("copyColumns", () => {
  it("finds each column's start, and refuses a row with too few or too many", () => {
    const row = bytes("xx\tab\t\tc\n");
    const starts = new Int32Array(5);
    copyColumns(row, 0, row.length - 1, starts);
    expect([0, 1, 2, 3].map((i) => text(row, starts[i]!, starts[i + 1]! - 1))).toEqual(["xx", "ab", "", "c"]);
    expect(() => copyColumns(row, 0, row.length - 1, new Int32Array(4))).toThrow(/more than 3 columns/);
    expect(() => copyColumns(row, 0, row.length - 1, new Int32Array(6))).toThrow(/4 columns instead of 5/);
  });
});

describe("unescapeCopyColumn", () => {
  it("undoes PostgreSQL's escapes in place and leaves other bytes alone", () => {
    // As COPY TO writes a backslash, a tab, a newline, \r, \b, \f, \v and accented text.
    const cases: [string, string][] = [
      ["plain", "plain"],
      ["Alfa \\\\ Società\\tnuova", "Alfa \\ Società\tnuova"],
      ["a\\nb\\rc\\bd\\fe\\vf", "a\nb\rc\bd\fe\vf"],
      ["\\\\N e \\\\t letterali", "\\N e \\t letterali"],
      ["", ""],
    ];
    for (const [escaped, plain] of cases) {
      const b = bytes(`<${escaped}>`);
      const end = unescapeCopyColumn(b, 1, b.length - 1);
      expect(text(b, 1, end)).toBe(plain);
    }
  });

  it("refuses a null and a value ending with a backslash", () => {
    expect(() => unescapeCopyColumn(bytes("\\N"), 0, 2)).toThrow(/null/);
    expect(() => unescapeCopyColumn(bytes("ab\\"), 0, 3)).toThrow(/backslash/);
    // The backslash is the column's last byte even when the row goes on.
    expect(() => unescapeCopyColumn(bytes("ab\\\tn"), 0, 3)).toThrow(/backslash/);
  });
});
