import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { copyOut } from "~/uploads/copy-stream.server";

// One connection, so that a connection left stuck by a COPY would be the one the next statement gets.
const sql = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
afterAll(() => sql.end());

const answersWithin = async (ms: number) => {
  const timeout = new Promise<"stuck">((resolve) => setTimeout(() => resolve("stuck"), ms).unref());
  return Promise.race([sql`select 1 as one`.then(([r]) => r!.one as number), timeout]);
};

/** Keeps the event loop busy for `ms` once the current statement has been sent. */
const holdEventLoop = (ms: number) =>
  setImmediate(() => {
    const until = Date.now() + ms;
    while (Date.now() < until);
  });

describe("copyOut (COPY … TO STDOUT)", () => {
  it("hands every byte over, and the connection answers the next statement whatever the output's size", async () => {
    // Sizes around the stream's buffer (16 kB) and a socket read (64 kB): the output's last rows and
    // its end then often arrive in one packet after the buffer filled (porsager/postgres#1016).
    for (const rows of [0, 1, 150, 300, 600, 1_200, 5_000, 40_000]) {
      const chunks: Uint8Array[] = [];
      // Hand-off is synchronous: a consumer slower than the socket still gets everything.
      await copyOut(sql, `copy (select i, repeat('x', 100) from generate_series(1, ${rows}) i) to stdout`, (c) => void chunks.push(Buffer.from(c)));
      const text = Buffer.concat(chunks).toString();
      expect(text.split("\n").length - 1).toBe(rows);
      if (rows > 0) expect(text.endsWith(`${rows}\t${"x".repeat(100)}\n`)).toBe(true);
      expect(await answersWithin(5_000)).toBe(1);
    }
  });

  it("leaves the connection usable when the whole output arrives in one read, past the stream's buffer", async () => {
    for (const rows of [200, 300, 450]) {
      let bytes = 0;
      const reading = copyOut(sql, `copy (select i, repeat('z', 100) from generate_series(1, ${rows}) i) to stdout`, (c) => void (bytes += c.length));
      // The event loop is held while PostgreSQL sends it all (20–50 kB): Node then reads it in one go,
      // the end of the COPY included, before anything consumes the stream.
      holdEventLoop(300);
      await reading;
      expect(bytes).toBeGreaterThan(rows * 100);
      expect(await answersWithin(3_000)).toBe(1);
    }
  });

  it("rejects when the statement fails midway, and the connection still answers", async () => {
    for (const held of [false, true]) {
      const failing = copyOut(sql, `copy (select 1 / (5000 - i) from generate_series(1, 10000) i) to stdout`, () => {});
      // Held: the start of the output, its rows and the error come in one read, before copyOut's
      // own code resumes (an error emitted then with no listener would crash the process).
      if (held) holdEventLoop(300);
      await expect(failing).rejects.toThrow(/division by zero/);
      expect(await answersWithin(5_000)).toBe(1);
    }
  });

  it("when the consumer throws, reads the rest, throws its error, and the connection still answers", async () => {
    let calls = 0;
    const consumer = (c: Uint8Array) => {
      calls++;
      if (c.length > 0) throw new Error("consumer broke");
    };
    await expect(copyOut(sql, `copy (select i, repeat('y', 200) from generate_series(1, 20000) i) to stdout`, consumer)).rejects.toThrow("consumer broke");
    expect(calls).toBe(1);
    expect(await answersWithin(5_000)).toBe(1);
  });
});
