import { spawn } from "node:child_process";

/** Polls `probe` until it returns something truthy; fails after `seconds`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, seconds = 120): Promise<T> {
  const until = Date.now() + seconds * 1000;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** One of the platform's processes (app/bin/*.ts) as `npm start` runs it; WORKER_LOGS=1 shows its output. */
export function startProcess(script: string, opts: { env?: Record<string, string>; nodeFlags?: string[] } = {}) {
  return spawn(process.execPath, [...(opts.nodeFlags ?? []), "--import", "tsx", script], {
    env: { ...process.env, ...opts.env },
    stdio: process.env.WORKER_LOGS ? "inherit" : "ignore",
  });
}
