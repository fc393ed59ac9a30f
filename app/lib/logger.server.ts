/**
 * Application log. Personal data must never reach it: callers log ids, never names or
 * fiscal codes, and as a safety net anything shaped like a codice fiscale is masked.
 */
const PERSONAL_CF = /\b[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-EHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]\b/gi;
const NUMERIC_CF = /\b\d{11}\b/g;

export function redact(text: string): string {
  return text.replace(PERSONAL_CF, "[CF]").replace(NUMERIC_CF, "[CF]");
}

type Level = "debug" | "info" | "warn" | "error";
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function write(level: Level, message: string, fields?: Record<string, unknown>) {
  const min = (process.env.LOG_LEVEL as Level) ?? (process.env.NODE_ENV === "test" ? "warn" : "info");
  if (order[level] < (order[min] ?? 20)) return;
  const line = JSON.stringify({ t: new Date().toISOString(), level, msg: message, ...fields }, (_k, v) =>
    v instanceof Error ? { name: v.name, message: v.message, stack: v.stack } : v,
  );
  (level === "error" || level === "warn" ? process.stderr : process.stdout).write(redact(line) + "\n");
}

export const log = {
  debug: (m: string, f?: Record<string, unknown>) => write("debug", m, f),
  info: (m: string, f?: Record<string, unknown>) => write("info", m, f),
  warn: (m: string, f?: Record<string, unknown>) => write("warn", m, f),
  error: (m: string, f?: Record<string, unknown>) => write("error", m, f),
};
