import { TIME_ZONE, romeDate } from "~/lib/dates";
import { addDays, isWorkingDay, type ExtraHoliday } from "~/timeliness/calendar";
import type { TicketWait } from "~workflows/ticket.machine";

/**
 * Service levels of the help desk (docs/decisions/0070): time counts in working hours, 09:00–18:00
 * in Rome on the working days of the deadlines' calendar, and stands still while the ticket waits
 * for the sender. Pure: the clock and the holidays come in as arguments.
 */
export const OPENING_HOUR = 9;
export const CLOSING_HOUR = 18;

const offsetFormat = new Intl.DateTimeFormat("en-US", { timeZone: TIME_ZONE, timeZoneName: "longOffset" });

/** Minutes Rome is ahead of UTC at an instant (60 or 120). */
function romeOffsetMinutes(ms: number): number {
  const name = offsetFormat.formatToParts(new Date(ms)).find((p) => p.type === "timeZoneName")?.value ?? "GMT";
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

/** The instant of an hour of a Rome calendar day. */
export function romeInstant(date: string, hour: number): number {
  const [y, mo, d] = date.split("-").map(Number) as [number, number, number];
  const naive = Date.UTC(y, mo - 1, d, hour);
  return naive - romeOffsetMinutes(naive - 120 * 60_000) * 60_000;
}

/** Working minutes between two instants. */
export function workingMinutes(from: Date, to: Date, extra: readonly ExtraHoliday[] = []): number {
  if (to <= from) return 0;
  let total = 0;
  const last = romeDate(to);
  for (let day = romeDate(from); day <= last; day = addDays(day, 1)) {
    if (!isWorkingDay(day, extra)) continue;
    const start = Math.max(romeInstant(day, OPENING_HOUR), from.getTime());
    const end = Math.min(romeInstant(day, CLOSING_HOUR), to.getTime());
    if (end > start) total += (end - start) / 60_000;
  }
  return Math.round(total);
}

export type SlaInput = {
  createdAt: Date;
  firstAnsweredAt: Date | null;
  closedAt: Date | null;
  waits: TicketWait[];
  waitingSince: string | null;
};

export type SlaLimits = { firstAnswerHours: number; resolutionHours: number };

export type SlaStatus = {
  firstAnswerMinutes: number;
  resolutionMinutes: number;
  firstAnswerBreached: boolean;
  resolutionBreached: boolean;
};

/** Working minutes from `createdAt` to `end`, less the waits for the sender. */
function clockMinutes(t: SlaInput, end: Date, extra: readonly ExtraHoliday[]): number {
  const waits = [...t.waits, ...(t.waitingSince ? [{ from: t.waitingSince, to: end.toISOString() }] : [])];
  let paused = 0;
  for (const w of waits) {
    const from = new Date(Math.max(Date.parse(w.from), t.createdAt.getTime()));
    const to = new Date(Math.min(Date.parse(w.to), end.getTime()));
    paused += workingMinutes(from, to, extra);
  }
  return Math.max(0, workingMinutes(t.createdAt, end, extra) - paused);
}

export function slaStatus(t: SlaInput, limits: SlaLimits, now: Date, extra: readonly ExtraHoliday[] = []): SlaStatus {
  const firstAnswerMinutes = clockMinutes({ ...t, waits: [], waitingSince: null }, t.firstAnsweredAt ?? now, extra);
  const resolutionMinutes = clockMinutes(t, t.closedAt ?? now, extra);
  return {
    firstAnswerMinutes,
    resolutionMinutes,
    firstAnswerBreached: firstAnswerMinutes > limits.firstAnswerHours * 60,
    resolutionBreached: resolutionMinutes > limits.resolutionHours * 60,
  };
}
