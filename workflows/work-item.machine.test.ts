import { describe, expect, it } from "vitest";
import { initialTransition, transition } from "xstate";
import { workItemMachine } from "./work-item.machine";

const at = "2026-11-20T10:00:00Z";

describe("work-item machine", () => {
  it("is taken, reassigned, released and completed", () => {
    let [s] = initialTransition(workItemMachine, {});
    expect(s.value).toBe("open");
    [s] = transition(workItemMachine, s, { type: "TAKE", at, userId: "a", priority: "alta", dueOn: "2026-12-01" });
    expect(s.value).toBe("in_charge");
    expect(s.context).toEqual({ assigneeUserId: "a", priority: "alta", dueOn: "2026-12-01" });
    [s] = transition(workItemMachine, s, { type: "ASSIGN", at, userId: "b" });
    expect(s.context).toEqual({ assigneeUserId: "b", priority: "alta", dueOn: "2026-12-01" });
    [s] = transition(workItemMachine, s, { type: "RELEASE", at });
    expect(s.value).toBe("open");
    expect(s.context.assigneeUserId).toBeNull();
    [s] = transition(workItemMachine, s, { type: "TAKE", at, userId: "a" });
    [s] = transition(workItemMachine, s, { type: "COMPLETE", at });
    expect(s.value).toBe("done");
  });

  it("refuses taking what one already holds and releasing what nobody holds", () => {
    let [s] = initialTransition(workItemMachine, {});
    expect(s.can({ type: "RELEASE", at })).toBe(false);
    [s] = transition(workItemMachine, s, { type: "TAKE", at, userId: "a" });
    expect(s.can({ type: "TAKE", at, userId: "a" })).toBe(false);
    expect(s.can({ type: "ASSIGN", at, userId: "b" })).toBe(true);
  });
});
