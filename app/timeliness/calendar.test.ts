import { describe, expect, it } from "vitest";
import { romeDate } from "~/lib/dates";
import {
  addDays,
  daysBetween,
  easterSunday,
  holidayName,
  isWorkingDay,
  nextWorkingDay,
  periodsThrough,
  reminderStep,
  weekStart,
  type ExtraHoliday,
} from "./calendar";

const ANCONA: ExtraHoliday[] = [{ month: 5, day: 4, year: null, name: "San Ciriaco" }];

describe("Easter and holidays", () => {
  it("computes Easter Sunday for known years", () => {
    expect(easterSunday(2024)).toBe("2024-03-31");
    expect(easterSunday(2025)).toBe("2025-04-20");
    expect(easterSunday(2026)).toBe("2026-04-05");
    expect(easterSunday(2027)).toBe("2027-03-28");
    expect(easterSunday(2038)).toBe("2038-04-25");
  });

  it("knows Easter Monday, the fixed national holidays and the installation's own", () => {
    expect(holidayName("2026-04-06")).toBe("Lunedì dell'Angelo");
    expect(holidayName("2025-04-21")).toBe("Lunedì dell'Angelo");
    expect(holidayName("2026-06-02")).toBe("Festa della Repubblica");
    expect(holidayName("2026-12-26")).toBe("Santo Stefano");
    expect(holidayName("2026-10-04")).not.toBeNull();
    expect(holidayName("2025-10-04")).toBeNull();
    expect(holidayName("2026-05-04")).toBeNull();
    expect(holidayName("2026-05-04", ANCONA)).toBe("San Ciriaco");
    expect(holidayName("2026-07-14", [{ month: 7, day: 14, year: 2027, name: "Una volta" }])).toBeNull();
    expect(holidayName("2027-07-14", [{ month: 7, day: 14, year: 2027, name: "Una volta" }])).toBe("Una volta");
  });

  it("moves a deadline on a weekend or holiday to the next working day", () => {
    expect(nextWorkingDay("2026-11-13")).toBe("2026-11-13"); // Friday
    expect(nextWorkingDay("2026-11-14")).toBe("2026-11-16"); // Saturday -> Monday
    expect(nextWorkingDay("2026-11-15")).toBe("2026-11-16"); // Sunday -> Monday
    expect(nextWorkingDay("2026-04-06")).toBe("2026-04-07"); // Easter Monday -> Tuesday
    expect(nextWorkingDay("2026-04-04")).toBe("2026-04-07"); // Saturday, Easter, Easter Monday
    expect(nextWorkingDay("2026-12-25")).toBe("2026-12-28"); // Christmas Friday, Santo Stefano Saturday, Sunday
    expect(nextWorkingDay("2026-05-04", ANCONA)).toBe("2026-05-05");
    expect(isWorkingDay("2026-05-04")).toBe(true);
  });
});

describe("day arithmetic across month ends, leap years and DST", () => {
  it("adds days across month and year ends and February 29", () => {
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2025-02-28", 1)).toBe("2025-03-01");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(daysBetween("2024-02-01", "2024-03-01")).toBe(29);
    expect(daysBetween("2026-03-28", "2026-03-30")).toBe(2); // across the spring DST change
    expect(daysBetween("2026-10-24", "2026-10-26")).toBe(2); // across the autumn DST change
  });

  it("reads the Rome calendar day of an instant, in winter and summer time and at the changes", () => {
    expect(romeDate(new Date("2026-01-15T22:59:59Z"))).toBe("2026-01-15");
    expect(romeDate(new Date("2026-01-15T23:00:00Z"))).toBe("2026-01-16"); // CET, UTC+1
    expect(romeDate(new Date("2026-07-15T21:59:59Z"))).toBe("2026-07-15");
    expect(romeDate(new Date("2026-07-15T22:00:00Z"))).toBe("2026-07-16"); // CEST, UTC+2
    // 29 March 2026: clocks go from 02:00 CET to 03:00 CEST; midnight that evening is 22:00 UTC.
    expect(romeDate(new Date("2026-03-29T21:59:00Z"))).toBe("2026-03-29");
    expect(romeDate(new Date("2026-03-29T22:00:00Z"))).toBe("2026-03-30");
    // 25 October 2026: back from 03:00 CEST to 02:00 CET; midnight that evening is 23:00 UTC.
    expect(romeDate(new Date("2026-10-25T22:59:00Z"))).toBe("2026-10-25");
    expect(romeDate(new Date("2026-10-25T23:00:00Z"))).toBe("2026-10-26");
  });
});

describe("obligation periods", () => {
  it("monthly: due on day N of the following month, clamped to short months, moved off holidays", () => {
    const periods = periodsThrough({ cadence: "monthly", day: 31, startsOn: "2024-01-10", endsOn: null }, "2024-04-30");
    expect(periods).toEqual([
      { start: "2024-01-10", end: "2024-01-31", due: "2024-02-29" }, // leap year: 31 -> 29 February (Thursday)
      { start: "2024-02-01", end: "2024-02-29", due: "2024-04-02" }, // 31 March is Easter, 1 April Easter Monday
      { start: "2024-03-01", end: "2024-03-31", due: "2024-04-30" },
      { start: "2024-04-01", end: "2024-04-30", due: "2024-05-31" },
    ]);
    const nonLeap = periodsThrough({ cadence: "monthly", day: 30, startsOn: "2025-01-01", endsOn: null }, "2025-01-31");
    expect(nonLeap[0]!.due).toBe("2025-02-28");
  });

  it("monthly: December's file is due in January of the next year; an end date cuts the last period", () => {
    const periods = periodsThrough({ cadence: "monthly", day: 1, startsOn: "2026-11-01", endsOn: "2026-12-20" }, "2027-06-30");
    expect(periods).toEqual([
      { start: "2026-11-01", end: "2026-11-30", due: "2026-12-01" },
      { start: "2026-12-01", end: "2026-12-20", due: "2027-01-04" }, // 1 Jan holiday, 2-3 weekend
    ]);
  });

  it("every N days: spans of N days, each due the next working day after it ends", () => {
    const periods = periodsThrough({ cadence: "every_n_days", day: 10, startsOn: "2026-03-20", endsOn: null }, "2026-04-10");
    expect(periods).toEqual([
      { start: "2026-03-20", end: "2026-03-29", due: "2026-03-30" },
      { start: "2026-03-30", end: "2026-04-08", due: "2026-04-09" },
      { start: "2026-04-09", end: "2026-04-18", due: "2026-04-20" }, // 19 April is a Sunday
    ]);
  });

  it("has no period before the start date", () => {
    expect(periodsThrough({ cadence: "monthly", day: 15, startsOn: "2027-01-01", endsOn: null }, "2026-12-31")).toEqual([]);
  });
});

describe("reminder steps and weeks", () => {
  it("reminds on the first day late, then every N days", () => {
    expect([0, 1, 2, 7, 8, 14, 15].map((d) => reminderStep(d, 7))).toEqual([0, 1, 1, 1, 2, 2, 3]);
  });

  it("keys a week by its Monday", () => {
    expect(weekStart("2026-11-25")).toBe("2026-11-23");
    expect(weekStart("2026-11-23")).toBe("2026-11-23");
    expect(weekStart("2026-11-29")).toBe("2026-11-23");
    expect(weekStart("2027-01-01")).toBe("2026-12-28");
  });
});
