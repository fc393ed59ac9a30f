import { describe, expect, it } from "vitest";
import { italianDate, romeLocalDateTime, todayInRome } from "./dates";

describe("dates", () => {
  it("shows an instant as Rome's wall clock for a datetime-local field, winter and summer time", () => {
    expect(romeLocalDateTime(new Date("2027-03-01T08:00:05Z"))).toBe("2027-03-01T09:00:05");
    expect(romeLocalDateTime(new Date("2027-07-01T08:00:00Z"))).toBe("2027-07-01T10:00:00");
  });

  it("writes an ISO date, or a timestamp's date part, as dd/mm/yyyy", () => {
    expect(italianDate("2026-03-09")).toBe("09/03/2026");
    expect(italianDate("2026-11-28T23:30:00.000Z")).toBe("28/11/2026");
  });

  it("reads today in Rome, not in UTC", () => {
    expect(todayInRome(new Date("2026-11-28T23:30:00Z"))).toBe("2026-11-29");
  });
});
