import { describe, expect, it } from "vitest";
import { initialTransition, transition } from "xstate";
import { enablementRequestMachine as machine, type EnablementRequestEvent } from "./enablement-request.machine";

const start = () => initialTransition(machine, { submittedAt: "2026-11-01T09:00:00.000Z" })[0];
const after = (e: EnablementRequestEvent) => transition(machine, start(), e)[0];

describe("enablement-request machine", () => {
  it("starts submitted, with no decision", () => {
    const s = start();
    expect(s.value).toBe("submitted");
    expect(s.context).toEqual({ submittedAt: "2026-11-01T09:00:00.000Z", decidedAt: null, decidedBy: null, reason: null });
  });

  it("is approved, recording who and when", () => {
    const s = after({ type: "APPROVE", at: "2026-11-02T10:00:00.000Z", by: "admin-1" });
    expect(s.value).toBe("approved");
    expect(s.context).toMatchObject({ decidedAt: "2026-11-02T10:00:00.000Z", decidedBy: "admin-1", reason: null });
    expect(s.status).toBe("done");
  });

  it("is rejected only with a reason, which it keeps", () => {
    const s = after({ type: "REJECT", at: "2026-11-02T10:00:00.000Z", by: "admin-1", reason: "  persona già cessata " });
    expect(s.value).toBe("rejected");
    expect(s.context.reason).toBe("persona già cessata");
    expect(start().can({ type: "REJECT", at: "x", by: "a", reason: "   " })).toBe(false);
    expect(after({ type: "REJECT", at: "x", by: "a", reason: "" }).value).toBe("submitted");
  });

  it("is withdrawn by the requester before the decision", () => {
    expect(after({ type: "WITHDRAW", at: "2026-11-02T10:00:00.000Z", by: "ref-1" }).value).toBe("withdrawn");
  });

  it("accepts nothing once decided or withdrawn", () => {
    const events: EnablementRequestEvent[] = [
      { type: "APPROVE", at: "2026-11-03T00:00:00.000Z", by: "b" },
      { type: "REJECT", at: "2026-11-03T00:00:00.000Z", by: "b", reason: "no" },
      { type: "WITHDRAW", at: "2026-11-03T00:00:00.000Z", by: "b" },
    ];
    for (const first of events) {
      const ended = after(first);
      for (const e of events) {
        expect(ended.can(e)).toBe(false);
        expect(transition(machine, ended, e)[0].value).toBe(ended.value);
      }
    }
  });

  it("resumes from a persisted {value, context} snapshot", () => {
    const resumed = machine.resolveState({ value: "submitted", context: start().context });
    expect(transition(machine, resumed, { type: "APPROVE", at: "t", by: "b" })[0].value).toBe("approved");
  });
});
