import { describe, expect, it } from "vitest";
import { getNextSnapshot } from "xstate";
import { directMoves, pathBetween, reachablePairs } from "./practice-graph";
import { PRACTICE_STATE_VALUES } from "~db/schema";
import { PRACTICE_STATES, practiceMachine } from "./practice.machine";

const at = (state: string, stateDate = "2020-04-01") => practiceMachine.resolveState({ value: state, context: { stateDate } });

describe("practice machine", () => {
  it("has the same states as the database enum (the schema may not import the machine)", () => {
    expect([...PRACTICE_STATE_VALUES]).toEqual([...PRACTICE_STATES]);
  });

  it("has exactly the spec's direct moves", () => {
    expect(Object.fromEntries(directMoves())).toEqual({
      PRESENTATA: ["IN_ISTRUTTORIA", "NON_AMMESSA", "RINUNCIATA"],
      IN_ISTRUTTORIA: ["SOSPESA", "DELIBERATA", "NON_AMMESSA", "RINUNCIATA"],
      SOSPESA: ["IN_ISTRUTTORIA", "NON_AMMESSA", "RINUNCIATA"],
      DELIBERATA: ["EROGATA", "RINUNCIATA", "REVOCATA"],
      EROGATA: ["REVOCATA"],
      NON_AMMESSA: [],
      RINUNCIATA: [],
      REVOCATA: [],
    });
  });

  it("moves one step and records the date carried by the event", () => {
    const next = getNextSnapshot(practiceMachine, at("PRESENTATA"), { type: "TO_IN_ISTRUTTORIA", date: "2020-04-10" });
    expect(next.value).toBe("IN_ISTRUTTORIA");
    expect(next.context.stateDate).toBe("2020-04-10");
  });

  it("refuses a move dated before the current state", () => {
    const next = getNextSnapshot(practiceMachine, at("PRESENTATA", "2020-04-10"), { type: "TO_IN_ISTRUTTORIA", date: "2020-04-09" });
    expect(next.value).toBe("PRESENTATA");
  });

  it("ignores moves the table does not allow", () => {
    const next = getNextSnapshot(practiceMachine, at("EROGATA"), { type: "TO_PRESENTATA", date: "2021-01-01" });
    expect(next.value).toBe("EROGATA");
  });

  it("final states are final", () => {
    for (const s of ["NON_AMMESSA", "RINUNCIATA", "REVOCATA"]) expect(at(s).status).toBe("done");
  });

  it("finds multi-step paths through the table", () => {
    expect(pathBetween("PRESENTATA", "DELIBERATA")).toEqual(["IN_ISTRUTTORIA", "DELIBERATA"]);
    expect(pathBetween("PRESENTATA", "REVOCATA")).toEqual(["IN_ISTRUTTORIA", "DELIBERATA", "REVOCATA"]);
    expect(pathBetween("SOSPESA", "EROGATA")).toEqual(["IN_ISTRUTTORIA", "DELIBERATA", "EROGATA"]);
    expect(pathBetween("DELIBERATA", "IN_ISTRUTTORIA")).toBeNull();
    expect(pathBetween("EROGATA", "DELIBERATA")).toBeNull();
  });

  it("reachable pairs: from PRESENTATA everything but itself; from finals nothing", () => {
    const pairs = reachablePairs();
    expect(pairs.filter(([f]) => f === "PRESENTATA").map(([, t]) => t).sort()).toEqual(
      ["DELIBERATA", "EROGATA", "IN_ISTRUTTORIA", "NON_AMMESSA", "REVOCATA", "RINUNCIATA", "SOSPESA"],
    );
    expect(pairs.filter(([f]) => ["NON_AMMESSA", "RINUNCIATA", "REVOCATA"].includes(f))).toEqual([]);
    expect(pairs.filter(([f]) => f === "IN_ISTRUTTORIA").map(([, t]) => t)).toContain("SOSPESA");
    expect(pairs).toContainEqual(["SOSPESA", "IN_ISTRUTTORIA"]);
  });
});
