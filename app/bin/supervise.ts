import { spawn, type ChildProcess } from "node:child_process";

/**
 * Keeps a child process running (docs/decisions/0047): when it dies it is started again after a
 * back-off that doubles from `baseMs` up to `maxMs`, and returns to `baseMs` once a run has lasted
 * `healthyMs`. Each death and restart is logged. Under a service manager (systemd) the same
 * processes are run directly and the manager restarts them instead (README).
 */
export function supervise(
  name: string,
  command: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; baseMs?: number; maxMs?: number; healthyMs?: number; log?: (message: string) => void; stdio?: "inherit" | "ignore" } = {},
) {
  const { baseMs = 1000, maxMs = 60_000, healthyMs = 60_000, log = (m: string) => console.error(m) } = opts;
  let child: ChildProcess | null = null;
  let stopped = false;
  let failures = 0;
  let timer: NodeJS.Timeout | null = null;
  const start = () => {
    timer = null;
    const startedAt = Date.now();
    const c = spawn(command, args, { stdio: opts.stdio ?? "inherit", env: opts.env });
    child = c;
    c.on("exit", (code, signal) => {
      if (stopped) return;
      failures = Date.now() - startedAt >= healthyMs ? 1 : failures + 1;
      const delay = restartDelay(failures, baseMs, maxMs);
      log(`Il processo ${name} si è fermato (${signal ? `segnale ${signal}` : `codice ${code}`}): riavvio tra ${(delay / 1000).toLocaleString("it-IT", { maximumFractionDigits: 1 })} s.`);
      timer = setTimeout(start, delay);
    });
  };
  start();
  return {
    get pid() {
      return child?.pid;
    },
    /** Stops supervising and the child: SIGTERM, then SIGKILL after `graceMs`. */
    stop(graceMs = 10_000) {
      stopped = true;
      if (timer) clearTimeout(timer);
      const c = child;
      return new Promise<void>((resolve) => {
        if (!c || c.exitCode !== null || c.signalCode !== null) return resolve();
        c.once("exit", () => resolve());
        c.kill("SIGTERM");
        setTimeout(() => c.kill("SIGKILL"), graceMs).unref();
      });
    },
  };
}

/** The wait before the n-th consecutive restart: base, 2×base, 4×base… at most max. */
export function restartDelay(failures: number, baseMs: number, maxMs: number) {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, failures - 1));
}
