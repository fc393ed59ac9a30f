import { describe, expect, it } from "vitest";
import { assess } from "./assess";
import type { Obligation } from "./calendar";

const MONTHLY: Obligation = { cadence: "monthly", day: 15, startsOn: "2026-01-01", endsOn: null };

describe("assess", () => {
  it("is pending until the due date, late from the day after", () => {
    expect(assess(MONTHLY, [], "2026-02-16").periods[0]).toMatchObject({ status: "pending", daysLate: 0 });
    const late = assess(MONTHLY, [], "2026-02-17");
    expect(late.oldestLate).toMatchObject({ end: "2026-01-31", due: "2026-02-16", status: "late", daysLate: 1 });
    expect(late.lateCount).toBe(1);
  });

  it("counts a period fulfilled by the first file whose reference date reaches its end", () => {
    const a = assess(
      MONTHLY,
      [
        { referenceDate: "2026-01-20", receivedOn: "2026-01-21" }, // too early to cover January
        { referenceDate: "2026-01-31", receivedOn: "2026-02-10" },
        { referenceDate: "2026-03-31", receivedOn: "2026-04-20" }, // covers February (late) and March (late)
      ],
      "2026-04-30",
    );
    expect(a.periods.map((p) => [p.end, p.status, p.fulfilledOn, p.daysLate])).toEqual([
      ["2026-01-31", "fulfilled", "2026-02-10", 0],
      ["2026-02-28", "fulfilled_late", "2026-04-20", 35],
      ["2026-03-31", "fulfilled_late", "2026-04-20", 5],
      ["2026-04-30", "pending", null, 0],
    ]);
    expect(a.oldestLate).toBeNull();
    expect(a.lastFile).toEqual({ referenceDate: "2026-03-31", receivedOn: "2026-04-20" });
  });

  it("ignores files that arrive after the day assessed", () => {
    const a = assess(MONTHLY, [{ referenceDate: "2026-01-31", receivedOn: "2026-03-01" }], "2026-02-20");
    expect(a.oldestLate).toMatchObject({ end: "2026-01-31", daysLate: 4 });
    expect(a.lastFile).toBeNull();
  });
});
