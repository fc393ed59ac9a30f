import { describe, expect, it } from "vitest";
import { romeInstant, slaStatus, workingMinutes } from "./sla";

const d = (s: string) => new Date(s);

describe("help-desk service levels in working hours", () => {
  it("counts 09–18 Rome time on working days only", () => {
    // Friday 27/11/2026 17:00 Rome (16:00Z) to Monday 30/11 10:00 Rome (09:00Z): 60 + 60 minutes.
    expect(workingMinutes(d("2026-11-27T16:00:00Z"), d("2026-11-30T09:00:00Z"))).toBe(120);
    // 8 December is a national holiday: Monday 7 to Wednesday 9 at the same hour is one working day.
    expect(workingMinutes(d("2026-12-07T09:00:00Z"), d("2026-12-09T09:00:00Z"))).toBe(9 * 60);
  });

  it("knows summer time", () => {
    expect(new Date(romeInstant("2026-07-01", 9)).toISOString()).toBe("2026-07-01T07:00:00.000Z");
    expect(new Date(romeInstant("2026-12-01", 9)).toISOString()).toBe("2026-12-01T08:00:00.000Z");
  });

  it("stops the resolution clock while the ticket waits for the sender", () => {
    const base = { createdAt: d("2026-11-30T08:00:00Z"), firstAnsweredAt: d("2026-11-30T09:00:00Z"), closedAt: null };
    const limits = { firstAnswerHours: 8, resolutionHours: 5 };
    const now = d("2026-11-30T15:00:00Z"); // 7 working hours after opening
    expect(slaStatus({ ...base, waits: [], waitingSince: null }, limits, now)).toEqual({
      firstAnswerMinutes: 60,
      resolutionMinutes: 420,
      firstAnswerBreached: false,
      resolutionBreached: true,
    });
    const waited = slaStatus({ ...base, waits: [{ from: "2026-11-30T09:00:00Z", to: "2026-11-30T12:00:00Z" }], waitingSince: "2026-11-30T14:00:00Z" }, limits, now);
    expect(waited.resolutionMinutes).toBe(420 - 180 - 60);
    expect(waited.resolutionBreached).toBe(false);
  });
});
