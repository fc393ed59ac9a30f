import { describe, expect, it } from "vitest";
import { labelEvery, niceTicks, robustMax, shortDate, textWidth } from "./chart-scale";
import { barSummary, lineSummary } from "./charts";

describe("chart scales", () => {
  it("ticks are round steps from 0 reaching the maximum", () => {
    expect(niceTicks(87)).toEqual({ ticks: [0, 25, 50, 75, 100], top: 100 });
    expect(niceTicks(4)).toEqual({ ticks: [0, 1, 2, 3, 4], top: 4 });
    expect(niceTicks(1234567).top).toBe(1_500_000);
    expect(niceTicks(0)).toEqual({ ticks: [0, 1], top: 1 });
    expect(niceTicks(0.3).ticks).toEqual([0, 0.1, 0.2, 0.3]);
  });

  it("one outlier week does not flatten the others: the axis stops above the 90th percentile", () => {
    const weeks = [10, 12, 9, 11, 14, 13, 10, 12, 11, 900];
    const r = robustMax(weeks);
    expect(r.clipped).toBe(true);
    expect(r.max).toBeLessThan(20);
    expect(robustMax([10, 12, 9, 11, 14, 13]).clipped).toBe(false);
    expect(robustMax([1, 900]).clipped).toBe(false); // too few values to call one an outlier
  });

  it("axis labels are thinned so they never overlap", () => {
    const w = textWidth("02/03");
    expect(labelEvery(52, w, 300)).toBeGreaterThan(1);
    const every = labelEvery(52, w, 300);
    expect((300 / 51) * every).toBeGreaterThanOrEqual(w);
    expect(labelEvery(3, w, 300)).toBe(1);
  });

  it("dates read the Italian way", () => {
    expect(shortDate("2026-03-02", false)).toBe("02/03");
    expect(shortDate("2026-03-02", true)).toBe("02/03/26");
  });
});

describe("text summaries for screen readers", () => {
  it("a bar chart names its largest, smallest and withheld bars, in Italian formats", () => {
    const s = barSummary(
      [
        { label: "Presentata", value: 12345 },
        { label: "Erogata", value: 7 },
        { label: "Revocata", value: null },
      ],
      (n) => n.toLocaleString("it-IT"),
    );
    expect(s).toBe("Valore più alto: Presentata, 12.345. Valore più basso: Erogata, 7. Non mostrati perché riferiti a meno di 5 pratiche: Revocata.");
  });

  it("a line chart gives each series' total and peak week", () => {
    const s = lineSummary(["2026-01-05", "2026-01-12"], [{ name: "Nuove", values: [3, 15000] }, { name: "Erogate", values: [null, null] }]);
    expect(s).toBe("Settimane dal 05/01/2026 al 12/01/2026. Nuove: 15.003 in tutto, al massimo 15.000 nella settimana del 12/01/2026. Erogate: dati non mostrati.");
  });
});
