import { describe, expect, it } from "vitest";
import { CodeTable } from "./code-table";

describe("CodeTable", () => {
  it("finds every code with its value, and no absent code, through growth from an empty table", () => {
    const table = new CodeTable(0);
    const n = 50_000;
    for (let i = 0; i < n; i++) expect(table.add(`P${i}`, `cf${i}|Impresa ${i}|${"x".repeat(i % 40)}`)).toBe(i);
    expect(table.size).toBe(n);
    for (let i = 0; i < n; i++) {
      const entry = table.find(`P${i}`);
      expect(entry).toBe(i);
      expect(table.value(entry)).toBe(`cf${i}|Impresa ${i}|${"x".repeat(i % 40)}`);
    }
    for (const absent of ["", "P", `P${n}`, "P-1", "p0", "P0 ", "P00"]) expect(table.find(absent)).toBe(-1);
  });

  it("tells apart codes whose hashes share a bucket", () => {
    // 16 entries in 32 buckets: many codes land on the same bucket; linear probing must go on past them.
    const table = new CodeTable(16);
    const codes = Array.from({ length: 16 }, (_, i) => `C${i}`);
    codes.forEach((c, i) => table.add(c, `v${i}`));
    const buckets = new Map<number, number>();
    for (const c of codes) {
      // The table's own hash (FNV-1a over the bytes) modulo its 32 buckets.
      let h = 0x811c9dc5;
      for (const b of new TextEncoder().encode(c)) h = Math.imul(h ^ b, 0x01000193);
      buckets.set((h >>> 0) & 31, (buckets.get((h >>> 0) & 31) ?? 0) + 1);
    }
    expect(Math.max(...buckets.values())).toBeGreaterThan(1);
    codes.forEach((c, i) => expect(table.value(table.find(c))).toBe(`v${i}`));
    // Absent codes probing through full runs of buckets still end at a free one.
    for (let i = 16; i < 1_000; i++) expect(table.find(`C${i}`)).toBe(-1);
  });

  it("keeps non-ASCII codes and values byte for byte", () => {
    const table = new CodeTable(4);
    const entries: [string, string][] = [
      ["CÀFFÈ-1", "Società Cooperativa «L'Àncora»|Forlì"],
      ["日本-2", "名前|😀 emoji|"],
      ["CAFFE-1", ""],
      ["😀", "a|b|c"],
    ];
    for (const [c, v] of entries) table.add(c, v);
    for (const [c, v] of entries) expect(table.value(table.find(c))).toBe(v);
    // Same letters, other bytes: not the same code.
    expect(table.find("CAFFÈ-1")).toBe(-1);
    expect(table.find("日本-3")).toBe(-1);
  });

  it("spreads entries over several arena chunks without splitting one", () => {
    const table = new CodeTable(0);
    // ~3.9 kB values (the longest a practice can have is of this order): 1 MiB chunks take ~268 each.
    const long = (i: number) => `${i}|${"è".repeat(1_300)}|${i}`;
    for (let i = 0; i < 1_000; i++) table.add(`L${i}`, long(i));
    for (let i = 0; i < 1_000; i++) expect(table.value(table.find(`L${i}`))).toBe(long(i));
    expect(table.byteSize).toBeGreaterThan(3 * 2 ** 20);
  });

  it("refuses an entry too long for its lengths", () => {
    expect(() => new CodeTable(1).add("X", "a".repeat(70_000))).toThrow(/too long/);
  });
});
