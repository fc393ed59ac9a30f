import { describe, expect, it } from "vitest";
import { isSmall, withheldCells } from "./small-cells";

describe("small-cell suppression of one column", () => {
  it("withholds 1 to 4 contributors, never 0 or 5", () => {
    expect([0, 1, 4, 5].map(isSmall)).toEqual([false, true, true, false]);
  });

  it("one small cell under a published total takes the smallest other cell with it", () => {
    // Otherwise 25 - 8 - 6 - 9 gives the 2 back.
    expect(withheldCells([8, 2, 6, 9], true)).toEqual([false, true, true, false]);
  });

  it("two small cells of 1 and 2 (3 together: each recomputable) take a third", () => {
    expect(withheldCells([1, 2, 7, 6], true)).toEqual([true, true, false, true]);
  });

  it("small cells holding 5 or more together need nothing more", () => {
    expect(withheldCells([3, 2, 7, 6], true)).toEqual([true, true, false, false]);
  });

  it("with the total withheld, only the small cells are; zeros stay shown", () => {
    expect(withheldCells([0, 2, 7], false)).toEqual([false, true, false]);
    expect(withheldCells([0, 2, 7], true)).toEqual([false, true, true]);
  });

  it("the total minus the shown cells is never a figure of under 5 practices", () => {
    for (let seed = 1; seed < 500; seed++) {
      const cells = Array.from({ length: 1 + (seed % 7) }, (_, i) => (seed * (i + 3) * 7919) % 13);
      const out = withheldCells(cells, true);
      const rest = cells.reduce((s, c, i) => s + (out[i] ? c : 0), 0);
      const total = cells.reduce((s, c) => s + c, 0);
      if (!isSmall(total)) expect(isSmall(rest), `${cells} → ${out}`).toBe(false);
    }
  });
});
