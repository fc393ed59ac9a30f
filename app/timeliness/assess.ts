import { daysBetween, periodsThrough, type ExtraHoliday, type Obligation, type Period } from "./calendar";

/** An accepted file as the obligations see it: what date it describes and the Rome day it arrived. */
export type AcceptedFile = { referenceDate: string; receivedOn: string };

export type PeriodStatus = "fulfilled" | "fulfilled_late" | "late" | "pending";

export type AssessedPeriod = Period & {
  status: PeriodStatus;
  /** The Rome day the first file covering the period arrived, or null. */
  fulfilledOn: string | null;
  /** Days past the due date: still open (late), or when it was fulfilled (fulfilled_late). */
  daysLate: number;
};

export type Assessment = {
  periods: AssessedPeriod[];
  /** The oldest period still owed after its due date: the one reminders are about. */
  oldestLate: AssessedPeriod | null;
  lateCount: number;
  lastFile: AcceptedFile | null;
};

/**
 * Where a gestore stands on one obligation on `today`. A period is fulfilled by the first
 * accepted file, received by `today`, whose reference date is on or after the period's end
 * (a file describes the state of every practice at its date, so it covers every period before).
 */
export function assess(ob: Obligation, files: readonly AcceptedFile[], today: string, extra: readonly ExtraHoliday[] = []): Assessment {
  const known = files.filter((f) => f.receivedOn <= today).sort((a, b) => (a.receivedOn < b.receivedOn ? -1 : a.receivedOn > b.receivedOn ? 1 : 0));
  const periods = periodsThrough(ob, today, extra).map((p): AssessedPeriod => {
    const first = known.find((f) => f.referenceDate >= p.end);
    if (first) {
      const late = daysBetween(p.due, first.receivedOn);
      return { ...p, fulfilledOn: first.receivedOn, status: late > 0 ? "fulfilled_late" : "fulfilled", daysLate: Math.max(0, late) };
    }
    const late = daysBetween(p.due, today);
    return { ...p, fulfilledOn: null, status: late > 0 ? "late" : "pending", daysLate: Math.max(0, late) };
  });
  const lateOnes = periods.filter((p) => p.status === "late");
  const lastFile = known.reduce<AcceptedFile | null>((best, f) => (!best || f.referenceDate > best.referenceDate ? f : best), null);
  return { periods, oldestLate: lateOnes[0] ?? null, lateCount: lateOnes.length, lastFile };
}
