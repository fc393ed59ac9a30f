import { describe, expect, it } from "vitest";
import { practiceMachine } from "./practice.machine";
import { practiceSnapshot, practiceSnapshotSql, practiceSnapshotText } from "./practice-snapshot";

describe("practiceSnapshot", () => {
  it("is what the machine resumes from, and its text form is the same object", () => {
    const s = practiceSnapshot("SOSPESA", { stateDate: "2026-03-09" });
    expect(s).toEqual({ value: "SOSPESA", context: { stateDate: "2026-03-09" } });
    const resumed = practiceMachine.resolveState(s);
    expect(resumed.value).toBe("SOSPESA");
    expect(resumed.context).toEqual({ stateDate: "2026-03-09" });
    expect(JSON.parse(practiceSnapshotText("SOSPESA", { stateDate: "2026-03-09" }))).toEqual(s);
  });

  it("names the same fields in SQL", () => {
    expect(practiceSnapshotSql("h.to_state", { stateDate: "h.state_date::text" })).toBe(
      "jsonb_build_object('value', h.to_state, 'context', jsonb_build_object('stateDate', h.state_date::text))",
    );
  });
});
