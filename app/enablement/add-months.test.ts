import { describe, expect, it } from "vitest";
import { addMonths } from "./enablement.server";

describe("access term arithmetic", () => {
  it("adds calendar months, keeping the time of day", () => {
    expect(addMonths(new Date("2026-11-21T09:00:00.000Z"), 12).toISOString()).toBe("2027-11-21T09:00:00.000Z");
    expect(addMonths(new Date("2026-03-15T23:30:00.000Z"), 1).toISOString()).toBe("2026-04-15T23:30:00.000Z");
  });

  it("ends on the month's last day rather than spilling into the next month", () => {
    expect(addMonths(new Date("2027-01-31T10:00:00.000Z"), 1).toISOString()).toBe("2027-02-28T10:00:00.000Z");
    expect(addMonths(new Date("2028-02-29T10:00:00.000Z"), 12).toISOString()).toBe("2029-02-28T10:00:00.000Z");
  });
});
