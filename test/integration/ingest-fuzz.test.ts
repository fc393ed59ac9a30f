import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "~/auth/api-tokens.server";
import * as one from "~/routes/api.v1.uploads.$id";
import * as uploadsApi from "~/routes/api.v1.uploads";
import { ingestPendingUploads } from "~/uploads/ingest.server";
import { getDb } from "~db/client";
import { GESTORE_DEMO, PEOPLE, seedDemo, statusOf, userOf } from "../support/actors";
import { D, gestoreId, T, withTrailer } from "../support/uploads";

/**
 * Issue 20, property-based: a valid file, mutated as a broken generator or transport would
 * (bytes flipped, fields swapped or repeated, control and zero-width characters, huge fields,
 * lines cut, encodings mixed), sent through the API and processed as the worker does. Each one
 * ends `accepted`, `rejected` with codes or `failed`, in bounded time, never as a 5xx; and after
 * each one that is not accepted the next valid file of the same gestore is accepted.
 *
 * `npm test` runs FUZZ_RUNS (default 25) seeded cases; `npm run fuzz:uploads` runs many more and
 * prints the figures. FUZZ_SEED reproduces a run.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 25);
const SEED = Number(process.env.FUZZ_SEED ?? 20261128);
const CASE_LIMIT_MS = 30_000;

let token: string;
let gestore: string;

async function send(bytes: Buffer) {
  const request = new Request("http://localhost:3999/api/v1/uploads", {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "text/plain; charset=utf-8" },
    body: new Uint8Array(bytes),
  });
  const response = await uploadsApi.action({ request, params: {}, context: {} }).catch((e: unknown) => {
    if (e instanceof Response) return e;
    throw e;
  });
  return response as Response;
}

async function outcome(id: string) {
  const { status, response } = await statusOf(one.loader, { path: `/api/v1/uploads/${id}`, params: { id }, headers: { authorization: `Bearer ${token}` } });
  return { http: status, body: (await response!.json()) as { status: string; errorCount: number; errors: { code: string }[]; supportReference: string | null } };
}

let serial = 0;
const validFile = (tag: string) => {
  serial += 1;
  const lines = [1, 2, 3].map((i) =>
    D({ code: `FZ-${tag}-${serial}-${i}`, name: `Impresa ${i} S.r.l.`, notes: i === 2 ? "nota libera" : "", state: i === 3 ? "DELIBERATA" : "PRESENTATA", approved: i === 3 ? "500" : "", stateDate: "10/04/2020" }),
  );
  return withTrailer(T("31/07/2020", `FZ-${tag}-${serial}`), ...lines);
};

const CONTROL = fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)).chain((c) => fc.constantFrom(c, "\u007f"));
const ZERO_WIDTH = fc.constantFrom("\u200b", "\u200c", "\u200d", "\ufeff", "\u2060");

type Mutation = (text: string, bytes: Buffer) => Buffer;
const onFieldOf = (pick: number, f: (fields: string[], at: number) => void): Mutation => (text) => {
  const lines = text.split("\n");
  const li = pick % Math.max(1, lines.length - 1);
  const fields = lines[li]!.split("|");
  f(fields, pick % fields.length);
  lines[li] = fields.join("|");
  return Buffer.from(lines.join("\n"));
};

const mutation: fc.Arbitrary<{ name: string; apply: Mutation }> = fc.oneof(
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })).map(([at, x]) => ({
    name: "byte flipped",
    apply: (_t: string, b: Buffer) => {
      const c = Buffer.from(b);
      c[at % c.length]! ^= x;
      return c;
    },
  })),
  fc.tuple(fc.nat(), fc.nat()).map(([p, q]) => ({
    name: "fields swapped",
    apply: onFieldOf(p, (f, at) => {
      const other = q % f.length;
      [f[at], f[other]] = [f[other]!, f[at]!];
    }),
  })),
  fc.nat().map((p) => ({ name: "field repeated", apply: onFieldOf(p, (f, at) => void f.splice(at, 0, f[at]!)) })),
  fc.tuple(fc.nat(), CONTROL, fc.nat()).map(([p, c, pos]) => ({
    name: `control character U+${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
    apply: onFieldOf(p, (f, at) => void (f[at] = f[at]!.slice(0, pos % (f[at]!.length + 1)) + c + f[at]!.slice(pos % (f[at]!.length + 1)))),
  })),
  fc.tuple(fc.nat(), ZERO_WIDTH).map(([p, z]) => ({ name: "zero-width character", apply: onFieldOf(p, (f, at) => void (f[at] = z + f[at]! + z)) })),
  fc.tuple(fc.nat(), fc.integer({ min: 200, max: 2_000_000 })).map(([p, n]) => ({ name: "huge field", apply: onFieldOf(p, (f, at) => void (f[at] = "x".repeat(n))) })),
  fc.nat().map((at) => ({ name: "line cut", apply: (_t: string, b: Buffer) => b.subarray(0, at % b.length) })),
  fc.tuple(fc.nat(), fc.constantFrom("latin1", "utf16le") as fc.Arbitrary<BufferEncoding>).map(([p, enc]) => ({
    name: `encoding mixed (${enc})`,
    apply: (t: string) => {
      const lines = t.split("\n");
      const li = p % Math.max(1, lines.length - 1);
      return Buffer.concat(lines.map((l, i) => Buffer.from(i === li ? l.replace("Impresa", "Società Caffè") : l, i === li ? enc : "utf8")).flatMap((b, i) => (i ? [Buffer.from("\n"), b] : [b])));
    },
  })),
  fc.tuple(fc.nat(), fc.nat()).map(([p, q]) => ({
    name: "line repeated or dropped",
    apply: (t: string) => {
      const lines = t.split("\n");
      const li = p % Math.max(1, lines.length - 1);
      if (q % 2) lines.splice(li, 0, lines[li]!);
      else lines.splice(li, 1);
      return Buffer.from(lines.join("\n"));
    },
  })),
);

export type FuzzFigures = { cases: number; outcomes: Record<string, number>; slowest: { ms: number; mutations: string }[]; byMutation: Record<string, Record<string, number>> };

beforeAll(async () => {
  await seedDemo();
  token = (await createApiToken(getDb(), { system: "test" }, { userId: (await userOf(PEOPLE.operatore)).id })).token;
  gestore = await gestoreId(GESTORE_DEMO);
});

describe("fuzzing the ingestion with mutated valid files", () => {
  it(`ends every mutated file accepted, rejected with codes or failed, never a 5xx, and the next valid file is accepted (${RUNS} cases, seed ${SEED})`, async () => {
    const figures: FuzzFigures = { cases: 0, outcomes: {}, slowest: [], byMutation: {} };
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
        const text = validFile("M");
        const bytes = mutations.reduce<Buffer>((b, m) => m.apply(b.toString("utf8"), b), Buffer.from(text));
        const started = performance.now();
        const response = await send(bytes);
        expect(response.status, "never a 5xx").toBeLessThan(500);
        let status = `http ${response.status}`;
        if (response.status === 200 || response.status === 202) {
          const { id } = (await response.json()) as { id: string };
          await ingestPendingUploads(gestore);
          const { http, body } = await outcome(id);
          expect(http).toBe(200);
          status = body.status;
          expect(["accepted", "rejected", "failed"]).toContain(status);
          if (status === "rejected") expect(body.errorCount).toBeGreaterThan(0);
          if (status === "rejected") expect(body.errors.every((e) => e.code.length > 0)).toBe(true);
          if (status === "failed") expect(body.supportReference).toMatch(/^E-/);
        }
        const ms = performance.now() - started;
        expect(ms, "bounded time").toBeLessThan(CASE_LIMIT_MS);
        const names = mutations.map((m) => m.name).join(" + ");
        figures.cases += 1;
        figures.outcomes[status] = (figures.outcomes[status] ?? 0) + 1;
        for (const m of mutations) {
          const key = m.name.replace(/ U\+.*/, "");
          (figures.byMutation[key] ??= {})[status] = (figures.byMutation[key]![status] ?? 0) + 1;
        }
        figures.slowest.push({ ms: Math.round(ms), mutations: names });
        figures.slowest.sort((a, b) => b.ms - a.ms).splice(5);
        if (status !== "accepted") {
          const next = await send(Buffer.from(validFile("OK")));
          const { id } = (await next.json()) as { id: string };
          await ingestPendingUploads(gestore);
          expect((await outcome(id)).body.status, `the valid file after «${names}» (${status})`).toBe("accepted");
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    process.stderr.write(`\nfuzz:uploads seed=${SEED} cases=${figures.cases} outcomes=${JSON.stringify(figures.outcomes)}\n` +
      `  slowest: ${figures.slowest.map((s) => `${s.ms} ms (${s.mutations})`).join("; ")}\n` +
      `  by mutation: ${JSON.stringify(figures.byMutation)}\n`);
    expect(figures.cases).toBe(RUNS);
  }, 30_000 + RUNS * 20_000);
});
