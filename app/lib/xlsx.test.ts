import { describe, expect, it } from "vitest";
import { italianDecimal } from "~/lib/decimal";
import { sheetXml, unzipEntries, xlsx } from "./xlsx";

describe("xlsx", () => {
  it("writes a zip whose entries read back, with the sheet's cells typed", () => {
    const book = xlsx("Pratiche per stato", [["Stato", "Pratiche"], ["Presentata", 4], ["=1+1", { decimal: "1234567890123.45" }]], { headerRows: 1 });
    expect(book.subarray(0, 2).toString()).toBe("PK");
    const entries = unzipEntries(book);
    expect([...entries.keys()]).toEqual(["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/worksheets/sheet1.xml", "xl/styles.xml"]);
    const sheet = entries.get("xl/worksheets/sheet1.xml")!;
    expect(sheet).toContain('<c r="B2"><v>4</v></c>');
    expect(sheet).toContain('<c r="A3" t="inlineStr" s="1"><is><t xml:space="preserve">=1+1</t></is></c>');
    expect(sheet).toContain('<c r="B3"><v>1234567890123.45</v></c>');
    expect(entries.get("xl/workbook.xml")).toContain('name="Pratiche per stato"');
  });

  it("escapes XML and marks every formula-like start (= + - @ tab CR) as text", () => {
    const sheet = sheetXml([["<a & \"b\">", "+x", "-x", "@x", "\tx", "\rx", "x=1"]]);
    expect(sheet).toContain("&lt;a &amp; &quot;b&quot;&gt;");
    expect(sheet.match(/s="1"/g)).toHaveLength(5);
    expect(sheet).not.toContain("<f>");
  });

  it("columns past Z are named AA, AB…", () => {
    expect(sheetXml([Array.from({ length: 28 }, (_, i) => i)])).toContain('<c r="AB1"><v>27</v></c>');
  });
});

describe("italianDecimal", () => {
  it("formats exact decimals without a float on the way", () => {
    expect(italianDecimal("8250.5")).toBe("8.250,50");
    expect(italianDecimal("1234567890123456.78")).toBe("1.234.567.890.123.456,78");
    expect(italianDecimal("-1000.00", false)).toBe("-1000,00");
    expect(italianDecimal("0")).toBe("0,00");
  });
});
