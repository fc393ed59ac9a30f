import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as download from "~/routes/istruzioni.verifica-flusso[.]mjs";
import { SERVER_ONLY_CODES } from "~/uploads/check/check-file";
import { dryRunUpload } from "~/uploads/dry-run.server";
import { cookieFor, GESTORE_ALTRO, GESTORE_DEMO, PEOPLE, seedDemo, statusOf, viewerOf } from "../support/actors";
import { fixture, gestoreId } from "../support/uploads";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gp-verifica-"));
const script = path.join(dir, "verifica-flusso.mjs");

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const base = fixture("valid-first.txt").toString("utf8").trimEnd().split("\n");
const withLines = (edit: (lines: string[]) => string[]) => `${edit([...base]).join("\n")}\n`;
const setField = (lineIndex: number, field: number, value: string) =>
  withLines((l) => {
    const f = l[lineIndex]!.split("|");
    f[field] = value;
    l[lineIndex] = f.join("|");
    return l;
  });

/** Hand-made bad files, one per rule the PC can check, and a few good ones. */
const FILES: Record<string, string | Buffer> = {
  "valid-first": fixture("valid-first.txt"),
  "invalid-mixed": fixture("invalid-mixed.txt"),
  "crlf-with-bom": Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(base.join("\r\n") + "\r\n")]),
  "bad-cf": setField(1, 3, "RSSMRA80A01H501X"),
  "future-date": setField(1, 6, "01/01/2999"),
  "amount-with-dot": setField(2, 9, "1.500,00"),
  "no-trailer": withLines((l) => l.slice(0, -1)),
  "trailer-count": withLines((l) => [...l.slice(0, -1), l[l.length - 1]!.replace(/\|\d+\|/, "|99|")]),
  "empty-line": withLines((l) => [l[0]!, "", ...l.slice(1)]),
  "version-2": setField(0, 1, "2"),
  "other-gestore": setField(0, 2, GESTORE_ALTRO),
  "unknown-measure": setField(1, 2, "NON-ESISTE"),
  "control-char": setField(1, 4, "Alfa\u0001Beta"),
  "duplicate-code": withLines((l) => [l[0]!, l[1]!, l[1]!, ...l.slice(2)]),
  "approved-missing": setField(1, 7, "DELIBERATA"),
  "unknown-comune": setField(3, 5, "000000"),
  "field-count": withLines((l) => [l[0]!, `${l[1]!}|extra`, ...l.slice(2)]),
  "record-type": withLines((l) => [l[0]!, l[1]!.replace(/^D/, "X"), ...l.slice(2)]),
  "header-late": withLines((l) => [l[1]!, l[0]!, ...l.slice(2)]),
  empty: "",
  "bad-utf8": Buffer.concat([Buffer.from(`${base[0]}\n${base[1]!.slice(0, 20)}`), Buffer.from([0xc3, 0x28]), Buffer.from(`${base[1]!.slice(20)}\n${base.slice(2).join("\n")}\n`)]),
};

// Generated: a seeded walk that puts odd values into random fields of random detail lines.
const ODD = ["", "X", "31/02/2020", "1.000,00", "-5", "0", "99/99/9999", "PRESENTATA", "EROGATA", "15000,555", "ÀÈ", " ", "01234567897", "COVID-LIQ", "042002"];
let seed = 20261128;
const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
for (let i = 0; i < 20; i++) {
  let text = base.join("\n") + "\n";
  for (let k = 0; k <= random(3); k++) {
    const lines = text.trimEnd().split("\n");
    const at = 1 + random(lines.length - 2);
    const f = lines[at]!.split("|");
    f[1 + random(f.length - 1)] = ODD[random(ODD.length)]!;
    lines[at] = f.join("|");
    text = lines.join("\n") + "\n";
  }
  FILES[`generated-${i}`] = text;
}

type Answer = { status: string; errorCount: number; errors: { line: number; field: string | null; code: string; message: string }[] };
const answer = (a: Answer) => ({ status: a.status, errorCount: a.errorCount, errors: a.errors });

async function serverAnswer(bytes: string | Buffer): Promise<Answer> {
  return dryRunUpload({
    gestoreId: await gestoreId(GESTORE_DEMO),
    viewer: await viewerOf(PEOPLE.operatore),
    channel: "api",
    fileName: "f.txt",
    body: (async function* () {
      yield Buffer.from(bytes);
    })(),
  });
}

const run = (cmd: string, args: string[]) => {
  try {
    return JSON.parse(execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })) as Answer;
  } catch (e) {
    const out = (e as { stdout?: string }).stdout;
    if (out) return JSON.parse(out) as Answer;
    throw e;
  }
};

beforeAll(async () => {
  await seedDemo();
  // Downloaded as the demo gestore's operator: the script knows its fiscal code and measures.
  const { response } = await statusOf(download.loader, { path: "/istruzioni/verifica-flusso.mjs", cookie: await cookieFor(PEOPLE.operatore) });
  expect(response!.headers.get("content-disposition")).toContain("verifica-flusso.mjs");
  fs.writeFileSync(script, await response!.text());
  for (const [name, bytes] of Object.entries(FILES)) fs.writeFileSync(path.join(dir, `${name}.txt`), bytes);
}, 120_000);

describe("the validator on the gestore's PC gives the server's answer", () => {
  it("is one file with no import but Node's own modules", () => {
    const text = fs.readFileSync(script, "utf8");
    const imports = [...text.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.every((m) => m!.startsWith("node:"))).toBe(true);
    expect(text).toContain(`"gestoreFiscalCode":"${GESTORE_DEMO}"`);
  });

  it.each(Object.keys(FILES))("%s: the downloaded script and npm run validate answer as the server", async (name) => {
    const file = path.join(dir, `${name}.txt`);
    const server = answer(await serverAnswer(FILES[name]!));
    // With no stored practice and no earlier file, the server applies no rule the PC cannot.
    expect(server.errors.filter((e) => (SERVER_ONLY_CODES as readonly string[]).includes(e.code))).toEqual([]);
    expect(answer(run(process.execPath, [script, "--json", file]))).toEqual(server);
    // The repository's command (a tsx start each: the hand-made files only), told the gestore and its one measure.
    if (!name.startsWith("generated"))
      expect(answer(run(process.execPath, ["--import", "tsx", "app/bin/validate.ts", "--json", "--ente", GESTORE_DEMO, "--misure", "COVID-LIQ", file]))).toEqual(server);
  });

  it("the set holds good files and bad files, and most rules are hit", async () => {
    const answers = await Promise.all(Object.values(FILES).map(serverAnswer));
    expect(answers.filter((a) => a.status === "accepted").length).toBeGreaterThanOrEqual(2);
    const codes = new Set(answers.flatMap((a) => a.errors.map((e) => e.code)));
    expect(codes.size).toBeGreaterThanOrEqual(18);
  });
});
