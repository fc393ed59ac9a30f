/**
 * Calendar days as the platform speaks of them: ISO "YYYY-MM-DD" in Europe/Rome for code and
 * SQL, dd/mm/yyyy for people. Pure and safe in the browser.
 */

export const TIME_ZONE = "Europe/Rome";

const romeFormat = new Intl.DateTimeFormat("en-CA", { timeZone: TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit" });

/** The calendar day an instant falls on in Rome. */
export function romeDate(instant: Date): string {
  return romeFormat.format(instant);
}

const romeClock = new Intl.DateTimeFormat("it-IT", { timeZone: TIME_ZONE, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

/** The time of day an instant falls on in Rome, "hh:mm". */
export function romeTime(instant: Date): string {
  return romeClock.format(instant);
}

const romeLocalClock = new Intl.DateTimeFormat("sv-SE", { timeZone: TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });

/** An instant as Rome's wall clock in a `datetime-local` field's form, "2026-12-01T09:00:05". */
export function romeLocalDateTime(instant: Date): string {
  return romeLocalClock.format(instant).replace(" ", "T");
}

/** Today in Rome; the clock is read here unless the caller passes it. */
export const todayInRome = (now = new Date()) => romeDate(now);

/** "2026-03-09" (or an ISO timestamp's date part) as an Italian reader writes it: "09/03/2026". */
export const italianDate = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

/** "1 giorno, 2 ore, 3 minuti e 4 secondi": the time left before an instant, whole seconds rounded up. */
export function timeLeftItalian(ms: number): string {
  let s = Math.max(1, Math.ceil(ms / 1000));
  const units: [number, string, string][] = [[86_400, "giorno", "giorni"], [3600, "ora", "ore"], [60, "minuto", "minuti"], [1, "secondo", "secondi"]];
  const parts: string[] = [];
  for (const [size, one, many] of units) {
    const n = Math.floor(s / size);
    s -= n * size;
    if (n) parts.push(`${n} ${n === 1 ? one : many}`);
  }
  return parts.length > 1 ? `${parts.slice(0, -1).join(", ")} e ${parts.at(-1)}` : parts[0]!;
}

/** dd/mm/yyyy (as Excel writes Italian dates) or yyyy-mm-dd, to ISO; null when not a real day. */
export function parseDay(text: string): string | null {
  const it = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  const iso = it ? `${it[3]}-${it[2]!.padStart(2, "0")}-${it[1]!.padStart(2, "0")}` : /^\d{4}-\d{2}-\d{2}$/.test(text) ? text : null;
  if (!iso) return null;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso ? iso : null;
}
