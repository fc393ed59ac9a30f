import { describe, expect, it } from "vitest";
import { initialTransition, transition } from "xstate";
import { applicationMachine, type ApplicationEvent } from "./application.machine";

function run(...events: ApplicationEvent[]) {
  let [s] = initialTransition(applicationMachine, {});
  for (const e of events) {
    expect(s.can(e), `${e.type} in ${String(s.value)}`).toBe(true);
    [s] = transition(applicationMachine, s, e);
  }
  return s;
}
const at = "2026-11-28T10:00:00.000Z";
const opinion = (office: string, outcome: "favorevole" | "sfavorevole" = "favorevole") => ({ type: "OPINION" as const, at, office, outcome, notes: "", userId: "u" });

describe("application machine", () => {
  it("waits for every office's opinion, in any order, then moves to in_istruttoria", () => {
    const sent = run({ type: "SUBMIT", at, offices: ["SUAP", "LAVORO"] });
    expect(sent.value).toBe("inviata");
    const one = run({ type: "SUBMIT", at, offices: ["SUAP", "LAVORO"] }, opinion("LAVORO", "sfavorevole"));
    expect(one.value).toBe("inviata");
    expect(one.can(opinion("LAVORO"))).toBe(false);
    expect(one.can(opinion("ALTRO"))).toBe(false);
    const both = run({ type: "SUBMIT", at, offices: ["SUAP", "LAVORO"] }, opinion("LAVORO", "sfavorevole"), opinion("SUAP"));
    expect(both.value).toBe("in_istruttoria");
    expect(Object.keys(both.context.opinions).sort()).toEqual(["LAVORO", "SUAP"]);
  });

  it("without offices to hear, waits in inviata until the review starts", () => {
    const sent = run({ type: "SUBMIT", at, offices: [] });
    expect(sent.value).toBe("inviata");
    expect(run({ type: "SUBMIT", at, offices: [] }, { type: "START_REVIEW", at }).value).toBe("in_istruttoria");
    expect(run({ type: "SUBMIT", at, offices: ["SUAP"] }).can({ type: "START_REVIEW", at })).toBe(false);
  });

  it("asks and receives integrations, then decides with reasons only", () => {
    const s = run({ type: "SUBMIT", at, offices: [] }, { type: "START_REVIEW", at }, { type: "REQUEST_INTEGRATION", at, dueOn: "2026-12-15" }, { type: "ANSWER_INTEGRATION", at });
    expect(s.value).toBe("integrata");
    expect(s.can({ type: "DECIDE", at, outcome: "accolta", reasons: "  " })).toBe(false);
    const done = run({ type: "SUBMIT", at, offices: [] }, { type: "START_REVIEW", at }, { type: "DECIDE", at, outcome: "respinta", reasons: "Requisiti mancanti" });
    expect(done.value).toBe("respinta");
    expect(done.context.decisionReasons).toBe("Requisiti mancanti");
  });

  it("cannot be sent twice, nor withdrawn after a decision", () => {
    const sent = run({ type: "SUBMIT", at, offices: ["SUAP"] });
    expect(sent.can({ type: "SUBMIT", at, offices: [] })).toBe(false);
    const decided = run({ type: "SUBMIT", at, offices: [] }, { type: "START_REVIEW", at }, { type: "DECIDE", at, outcome: "accolta", reasons: "Ok" });
    expect(decided.can({ type: "WITHDRAW", at })).toBe(false);
    expect(run({ type: "SUBMIT", at, offices: [] }, { type: "START_REVIEW", at }, { type: "DECIDE", at, outcome: "accolta", reasons: "Ok" }, { type: "ARCHIVE", at }).value).toBe("archiviata");
  });
});
