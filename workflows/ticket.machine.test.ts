import { describe, expect, it } from "vitest";
import { initialTransition, transition } from "xstate";
import { ticketMachine } from "./ticket.machine";

const t0 = "2026-11-20T10:00:00.000Z";
const at = (minutes: number) => new Date(Date.parse(t0) + minutes * 60_000).toISOString();

describe("ticket machine", () => {
  it("is taken, waits for the sender (clock stopped), answered and closed", () => {
    let [s] = initialTransition(ticketMachine, {});
    expect(s.value).toBe("new");
    [s] = transition(ticketMachine, s, { type: "TAKE", at: at(5), userId: "op1" });
    expect(s.value).toBe("in_charge");
    [s] = transition(ticketMachine, s, { type: "ASK_INFO", at: at(10) });
    expect(s.value).toBe("waiting");
    expect(s.context.firstAnsweredAt).toBe(at(10));
    [s] = transition(ticketMachine, s, { type: "SENDER_REPLY", at: at(70) });
    expect(s.value).toBe("in_charge");
    expect(s.context.waits).toEqual([{ from: at(10), to: at(70) }]);
    [s] = transition(ticketMachine, s, { type: "ANSWER", at: at(80) });
    expect(s.value).toBe("answered");
    expect(s.context.firstAnsweredAt).toBe(at(10));
    [s] = transition(ticketMachine, s, { type: "CLOSE", at: at(90) });
    expect(s.value).toBe("closed");
    expect(s.context.closedAt).toBe(at(90));
  });

  it("is reopened within 10 days of closing, not after", () => {
    let [s] = initialTransition(ticketMachine, {});
    [s] = transition(ticketMachine, s, { type: "TAKE", at: at(1), userId: "op1" });
    [s] = transition(ticketMachine, s, { type: "CLOSE", at: at(2) });
    const tenDays = 10 * 24 * 60;
    expect(s.can({ type: "REOPEN", at: at(2 + tenDays) })).toBe(true);
    expect(s.can({ type: "REOPEN", at: at(3 + tenDays) })).toBe(false);
    [s] = transition(ticketMachine, s, { type: "REOPEN", at: at(100) });
    expect(s.value).toBe("in_charge");
    expect(s.context).toMatchObject({ closedAt: null, reopened: 1, assigneeUserId: "op1" });
  });

  it("refuses what makes no sense in a state", () => {
    let [s] = initialTransition(ticketMachine, {});
    expect(s.can({ type: "ANSWER", at: t0 })).toBe(false);
    expect(s.can({ type: "ASK_INFO", at: t0 })).toBe(false);
    expect(s.can({ type: "REOPEN", at: t0 })).toBe(false);
    [s] = transition(ticketMachine, s, { type: "TAKE", at: t0, userId: "op1" });
    expect(s.can({ type: "TAKE", at: t0, userId: "op1" })).toBe(false);
    [s] = transition(ticketMachine, s, { type: "ASK_INFO", at: t0 });
    expect(s.can({ type: "ASK_INFO", at: t0 })).toBe(false);
    expect(s.can({ type: "ANSWER", at: t0 })).toBe(false);
  });

  it("closing while waiting ends the wait", () => {
    let [s] = initialTransition(ticketMachine, {});
    [s] = transition(ticketMachine, s, { type: "TAKE", at: at(0), userId: "op1" });
    [s] = transition(ticketMachine, s, { type: "ASK_INFO", at: at(5) });
    [s] = transition(ticketMachine, s, { type: "CLOSE", at: at(50) });
    expect(s.context.waits).toEqual([{ from: at(5), to: at(50) }]);
    expect(s.context.waitingSince).toBeNull();
  });
});
