import { describe, expect, it } from "vitest";
import { restartDelay, supervise } from "./supervise";

const waitUntil = async (probe: () => boolean, ms = 10_000) => {
  for (const until = Date.now() + ms; !probe(); ) {
    if (Date.now() > until) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe("process supervision under npm start", () => {
  it("doubles the wait between restarts up to a ceiling", () => {
    expect([1, 2, 3, 4, 5, 10].map((n) => restartDelay(n, 1000, 8000))).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it("restarts a process that keeps dying, with a growing back-off, logging each death", async () => {
    const logs: string[] = [];
    const p = supervise("prova", process.execPath, ["-e", "process.exit(3)"], { baseMs: 50, maxMs: 200, stdio: "ignore", log: (m) => logs.push(m) });
    await waitUntil(() => logs.length >= 4);
    await p.stop();
    expect(logs.slice(0, 4)).toEqual([
      "Il processo prova si è fermato (codice 3): riavvio tra 0,1 s.",
      "Il processo prova si è fermato (codice 3): riavvio tra 0,1 s.",
      "Il processo prova si è fermato (codice 3): riavvio tra 0,2 s.",
      "Il processo prova si è fermato (codice 3): riavvio tra 0,2 s.",
    ]);
  });

  it("restarts a killed process (SIGKILL) and stops it for good when asked", async () => {
    const logs: string[] = [];
    const p = supervise("worker", process.execPath, ["-e", "setInterval(() => {}, 1000)"], { baseMs: 50, stdio: "ignore", log: (m) => logs.push(m) });
    await waitUntil(() => p.pid !== undefined);
    const first = p.pid!;
    process.kill(first, "SIGKILL");
    await waitUntil(() => p.pid !== first);
    expect(logs).toEqual(["Il processo worker si è fermato (segnale SIGKILL): riavvio tra 0,1 s."]);
    const second = p.pid!;
    await p.stop();
    expect(() => process.kill(second, 0)).toThrow();
  });
});
