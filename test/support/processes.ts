import fs from "node:fs";
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

/**
 * One of the platform's processes (app/bin/*.ts) as `npm start` runs it; WORKER_LOGS=1 shows its
 * output. Otherwise the last 16 KB of its stderr are kept, so a test can say why it died.
 */
export function startProcess(script: string, opts: { env?: Record<string, string>; nodeFlags?: string[] } = {}) {
  const child = spawn(process.execPath, [...(opts.nodeFlags ?? []), "--import", "tsx", script], {
    env: { ...process.env, ...opts.env },
    stdio: process.env.WORKER_LOGS ? "inherit" : ["ignore", "pipe", "pipe"],
  });
  let tail = "";
  let outTail = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    tail = (tail + chunk.toString("utf8")).slice(-16_384);
  });
  child.stdout?.on("data", (chunk: Buffer) => {
    outTail = (outTail + chunk.toString("utf8")).slice(-16_384);
  });
  return Object.assign(child, { stderrTail: () => tail, stdoutTail: () => outTail });
}

/** Throws, naming how it ended and its last stderr, when `child` is no longer running. */
export function expectRunning(child: ReturnType<typeof startProcess>, what: string) {
  if (child.exitCode === null && child.signalCode === null) return;
  throw new Error(`${what} ended (code ${child.exitCode}, signal ${child.signalCode}); last stderr:\n${child.stderrTail()}`);
}

/** The pids of the processes `pid` started (Linux /proc), e.g. the web processes of a cluster. */
export function childPids(pid: number): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (new RegExp(`^PPid:\\s+${pid}$`, "m").test(fs.readFileSync(`/proc/${entry}/status`, "utf8"))) pids.push(Number(entry));
    } catch {
      /* ended meanwhile */
    }
  }
  return pids;
}
