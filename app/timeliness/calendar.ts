/**
 * Deadlines of the upload obligations (docs/decisions/0015). Pure: dates are ISO strings
 * ("YYYY-MM-DD", calendar days in Europe/Rome), time and holidays come in as arguments.
 * Day arithmetic is done on UTC midnights, so daylight-saving changes cannot shift a day.
 */

/** An extra holiday of the installation: every year when `year` is null, otherwise once. */
export type ExtraHoliday = { month: number; day: number; year: number | null; name: string };

export type Cadence = "monthly" | "every_n_days";

export type Obligation = {
  cadence: Cadence;
  /** monthly: day of the following month the file is due; every_n_days: the N. */
  day: number;
  startsOn: string;
  endsOn: string | null;
};

export type Period = { start: string; end: string; due: string };

const DAY_MS = 86_400_000;
const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

function toUtc(date: string): number {
  const m = ISO.exec(date);
  if (!m) throw new Error(`not an ISO date: ${date}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

function fromUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function isoDate(year: number, month: number, day: number): string {
  return fromUtc(Date.UTC(year, month - 1, day));
}

export function addDays(date: string, days: number): string {
  return fromUtc(toUtc(date) + days * DAY_MS);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((toUtc(to) - toUtc(from)) / DAY_MS);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Easter Sunday (Gregorian calendar, anonymous algorithm of Meeus/Jones/Butcher). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return isoDate(year, month, day);
}

const NATIONAL: { month: number; day: number; name: string; from?: number }[] = [
  { month: 1, day: 1, name: "Capodanno" },
  { month: 1, day: 6, name: "Epifania" },
  { month: 4, day: 25, name: "Festa della Liberazione" },
  { month: 5, day: 1, name: "Festa del Lavoro" },
  { month: 6, day: 2, name: "Festa della Repubblica" },
  { month: 8, day: 15, name: "Ferragosto" },
  // San Francesco d'Assisi e Santa Caterina da Siena, a national holiday again from 2026 (law approved in October 2025).
  { month: 10, day: 4, name: "San Francesco d'Assisi e Santa Caterina da Siena", from: 2026 },
  { month: 11, day: 1, name: "Ognissanti" },
  { month: 12, day: 8, name: "Immacolata Concezione" },
  { month: 12, day: 25, name: "Natale" },
  { month: 12, day: 26, name: "Santo Stefano" },
];

/** The holiday a date is, or null: Italian national holidays, Easter and Easter Monday, and the extra ones. */
export function holidayName(date: string, extra: readonly ExtraHoliday[] = []): string | null {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const easter = easterSunday(y);
  if (date === easter) return "Pasqua";
  if (date === addDays(easter, 1)) return "Lunedì dell'Angelo";
  const national = NATIONAL.find((h) => h.month === m && h.day === d && (h.from === undefined || y >= h.from));
  if (national) return national.name;
  const own = extra.find((h) => h.month === m && h.day === d && (h.year === null || h.year === y));
  return own ? own.name : null;
}

export function isWorkingDay(date: string, extra: readonly ExtraHoliday[] = []): boolean {
  const weekday = new Date(toUtc(date)).getUTCDay();
  return weekday !== 0 && weekday !== 6 && holidayName(date, extra) === null;
}

/** The date itself when it is a working day, otherwise the next working day. */
export function nextWorkingDay(date: string, extra: readonly ExtraHoliday[] = []): string {
  let d = date;
  for (let i = 0; i < 30 && !isWorkingDay(d, extra); i++) d = addDays(d, 1);
  return d;
}

function monthOf(date: string): [number, number] {
  const [y, m] = date.split("-").map(Number) as [number, number];
  return [y, m];
}

/**
 * The periods of an obligation that have started by `through`, oldest first. Monthly: calendar
 * months (the first from the start date), each due on day N of the following month (the last day
 * of a shorter month); every N days: consecutive spans of N days, each due the day after it ends.
 * A due date on a Saturday, Sunday or holiday moves to the next working day.
 */
export function periodsThrough(ob: Obligation, through: string, extra: readonly ExtraHoliday[] = [], max = 20_000): Period[] {
  const out: Period[] = [];
  const last = ob.endsOn && ob.endsOn < through ? ob.endsOn : through;
  if (ob.startsOn > last) return out;
  if (ob.cadence === "monthly") {
    let [y, m] = monthOf(ob.startsOn);
    while (out.length < max) {
      const first = isoDate(y, m, 1);
      if (first > last) break;
      const start = first < ob.startsOn ? ob.startsOn : first;
      const monthEnd = isoDate(y, m, daysInMonth(y, m));
      const end = ob.endsOn && ob.endsOn < monthEnd ? ob.endsOn : monthEnd;
      const [ny, nm] = m === 12 ? [y + 1, 1] : [y, m + 1];
      const due = nextWorkingDay(isoDate(ny, nm, Math.min(ob.day, daysInMonth(ny, nm))), extra);
      out.push({ start, end, due });
      [y, m] = [ny, nm];
    }
  } else {
    const n = Math.max(1, ob.day);
    let start = ob.startsOn;
    while (out.length < max && start <= last) {
      const spanEnd = addDays(start, n - 1);
      const end = ob.endsOn && ob.endsOn < spanEnd ? ob.endsOn : spanEnd;
      out.push({ start, end, due: nextWorkingDay(addDays(end, 1), extra) });
      start = addDays(start, n);
    }
  }
  return out;
}

/**
 * Which reminder a late period has reached: 1 on the first day late, then one more every
 * `everyDays` days; 0 when it is not late.
 */
export function reminderStep(daysLate: number, everyDays: number): number {
  if (daysLate < 1) return 0;
  return Math.floor((daysLate - 1) / Math.max(1, everyDays)) + 1;
}

/** Monday of the ISO week of a date, used to key the weekly digest. */
export function weekStart(date: string): string {
  const weekday = (new Date(toUtc(date)).getUTCDay() + 6) % 7;
  return addDays(date, -weekday);
}
