import { describe, expect, it } from "vitest";
import { italianNumber } from "./decimal";

describe("italianNumber", () => {
  it("reads exactly as toLocaleString('it-IT') with the same options, formatter kept or not", () => {
    const options = [{}, { useGrouping: false }, { maximumFractionDigits: 1 }, { maximumFractionDigits: 1, useGrouping: false }, { maximumFractionDigits: 0, useGrouping: true }];
    for (const o of options)
      for (const n of [0, 7, 1234, 12345, 1234567.891, -9876.54, 0.05, 66.66666]) {
        expect(italianNumber(n, o)).toBe(n.toLocaleString("it-IT", o));
        expect(italianNumber(n, o)).toBe(n.toLocaleString("it-IT", o)); // second call: the kept formatter
      }
    expect(italianNumber(12345.67, { maximumFractionDigits: 1 })).toBe("12.345,7");
    expect(italianNumber(12345, { useGrouping: false })).toBe("12345");
  });
});
