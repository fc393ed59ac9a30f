import { eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~db/client";
import { practices } from "~db/schema";
import { decideReport } from "~workflows/practice-runner";
import { PRACTICE_STATES, type PracticeState } from "~workflows/practice.machine";
import { applyPracticeReport, TransitionRefused } from "~/machines/runner.server";
import { GESTORE_DEMO, seedDemo } from "../support/actors";
import { uploadAndProcess } from "../support/uploads";

const AMOUNTS: Record<PracticeState, [string, string]> = {
  PRESENTATA: ["", ""], IN_ISTRUTTORIA: ["", ""], SOSPESA: ["", ""], NON_AMMESSA: ["", ""],
  DELIBERATA: ["800", ""], EROGATA: ["800", "800"], RINUNCIATA: ["", ""], REVOCATA: ["", ""],
};
const line = (code: string, state: PracticeState, date: string) => {
  const [a, d] = AMOUNTS[state];
  return `D|${code}|COVID-LIQ|02342520158|Prova|042002|01/01/2020|${state}|${date}|1000|${a}|${d}|`;
};
const file = (ref: string, id: string, lines: string[]) =>
  [`T|1|${GESTORE_DEMO}|${ref}|${id}`, ...lines, `C|${lines.length}|${lines.length * 1000}`].join("\n") + "\n";

const pairs = PRACTICE_STATES.flatMap((from) => PRACTICE_STATES.map((to) => [from, to] as const));
const code = (from: string, to: string, runner = false) => `${runner ? "R" : "B"}-${from}-${to}`;

beforeAll(async () => {
  await seedDemo();
  // Every state, twice: one practice per pair for the bulk path, one for the runner.
  const created = await uploadAndProcess(
    GESTORE_DEMO,
    file("01/02/2020", "BASE", pairs.flatMap(([from, to]) => [line(code(from, to), from, "10/01/2020"), line(code(from, to, true), from, "10/01/2020")])),
  );
  expect(created.upload.status).toBe("accepted");
});

describe("the bulk path and the per-event runner agree", () => {
  it("on every (from, to) pair of states", async () => {
    const expected = pairs.map(([from, to]) => decideReport({ state: from, stateDate: "2020-01-10" }, { state: to, stateDate: "2020-01-20" }));
    const refusedByMachine = pairs.filter((_, i) => !expected[i]!.ok);
    expect(refusedByMachine.length).toBeGreaterThan(10);

    // Bulk: one file with every pair; its errors must be exactly the machine's refusals.
    const bulk = await uploadAndProcess(GESTORE_DEMO, file("01/03/2020", "ALL-PAIRS", pairs.map(([f, t]) => line(code(f, t), t, "20/01/2020"))));
    const refusedLines = bulk.upload.errors.filter((e) => e.code === "TRANSITION_NOT_ALLOWED").map((e) => e.line - 2);
    expect(refusedLines.map((i) => pairs[i])).toEqual(refusedByMachine);

    // Runner: the same moves one by one.
    const refusedByRunner: (readonly [PracticeState, PracticeState])[] = [];
    for (const [from, to] of pairs) {
      const [p] = await getDb().select().from(practices).where(eq(practices.code, code(from, to, true)));
      try {
        await getDb().transaction((tx) => applyPracticeReport(tx, { practiceId: p!.id, report: { state: to, stateDate: "2020-01-20" }, actor: { fiscalCode: "TEST" } }));
      } catch (e) {
        if (!(e instanceof TransitionRefused)) throw e;
        refusedByRunner.push([from, to]);
      }
    }
    expect(refusedByRunner).toEqual(refusedByMachine);
  });

  it("and store the same snapshot for the moves they both allow", async () => {
    const allowed = pairs.filter(([f, t]) => decideReport({ state: f, stateDate: "2020-01-10" }, { state: t, stateDate: "2020-01-20" }).ok);
    const okFile = await uploadAndProcess(GESTORE_DEMO, file("01/03/2020", "ALLOWED", allowed.map(([f, t]) => line(code(f, t), t, "20/01/2020"))));
    expect(okFile.upload.status).toBe("accepted");
    const rows = await getDb()
      .select({ code: practices.code, snapshot: practices.snapshot, state: practices.state })
      .from(practices)
      .where(inArray(practices.code, allowed.flatMap(([f, t]) => [code(f, t), code(f, t, true)])));
    const byCode = new Map(rows.map((r) => [r.code, r]));
    for (const [f, t] of allowed) {
      expect(byCode.get(code(f, t))!.snapshot, `${f}→${t}`).toEqual(byCode.get(code(f, t, true))!.snapshot);
      expect(byCode.get(code(f, t))!.state).toBe(t);
    }
  });
});
