import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "~db/client";
import { comuni } from "~db/schema";

describe("ISTAT municipalities", () => {
  it.each([
    ["042002", "Ancona", "AN", "Marche"],
    ["058091", "Roma", "RM", "Lazio"],
    ["109006", "Fermo", "FM", "Marche"],
  ])("%s is %s (%s, %s)", async (code, name, abbr, region) => {
    const [row] = await getDb().select().from(comuni).where(eq(comuni.code, code));
    expect(row).toMatchObject({ name, provinceAbbr: abbr, regionName: region });
  });

  it("holds the whole list and no invented code", async () => {
    const [{ n }] = (await getDb().execute<{ n: number }>(sql`select count(*)::int n from comuni`)) as unknown as [{ n: number }];
    expect(n).toBeGreaterThan(7800);
    expect(await getDb().select().from(comuni).where(eq(comuni.code, "999999"))).toHaveLength(0);
  });

  it("knows every municipality the sample upload files use", async () => {
    const fs = await import("node:fs");
    const codes = new Set<string>();
    for (const f of ["valid-first.txt", "valid-second.txt"]) {
      for (const line of fs.readFileSync(`test/fixtures/uploads/${f}`, "utf8").split(/\r?\n/)) {
        const fields = line.split("|");
        if (fields[0] === "D") codes.add(fields[5]!);
      }
    }
    const rows = await getDb().select({ code: comuni.code }).from(comuni);
    const known = new Set(rows.map((r) => r.code));
    expect([...codes].filter((c) => !known.has(c))).toEqual([]);
  });
});
