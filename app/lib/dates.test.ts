import { describe, expect, it } from "vitest";
import { italianDate, todayInRome } from "./dates";

describe("dates", () => {
  it("writes an ISO date, or a timestamp's date part, as dd/mm/yyyy", () => {
    expect(italianDate("2026-03-09")).toBe("09/03/2026");
    expect(italianDate("2026-11-28T23:30:00.000Z")).toBe("28/11/2026");
  });

  it("reads today in Rome, not in UTC", () => {
    expect(todayInRome(new Date("2026-11-28T23:30:00Z"))).toBe("2026-11-29");
  });
});
