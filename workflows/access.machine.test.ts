import { describe, expect, it } from "vitest";
import { initialTransition, transition } from "xstate";
import { accessMachine as machine } from "./access.machine";

const EXPIRES = "2027-11-01T00:00:00.000Z";
const start = (expiresAt: string | null = EXPIRES) => initialTransition(machine, { expiresAt })[0];

describe("access machine", () => {
  it("starts active with its term", () => {
    expect(start().value).toBe("active");
    expect(start().context.expiresAt).toBe(EXPIRES);
  });

  it("is renewed before the term ends, moving the term forward", () => {
    const [s] = transition(machine, start(), { type: "RENEW", at: "2027-10-10T00:00:00.000Z", expiresAt: "2028-10-10T00:00:00.000Z" });
    expect(s.value).toBe("active");
    expect(s.context.expiresAt).toBe("2028-10-10T00:00:00.000Z");
  });

  it("refuses a renewal after the term, one that would not extend it, and one without a term", () => {
    expect(start().can({ type: "RENEW", at: EXPIRES, expiresAt: "2028-11-01T00:00:00.000Z" })).toBe(false);
    expect(start().can({ type: "RENEW", at: "2027-10-10T00:00:00.000Z", expiresAt: "2027-10-31T00:00:00.000Z" })).toBe(false);
    expect(start(null).can({ type: "RENEW", at: "2027-10-10T00:00:00.000Z", expiresAt: "2028-10-10T00:00:00.000Z" })).toBe(false);
  });

  it("is revoked at once, with an optional reason", () => {
    const [s] = transition(machine, start(), { type: "REVOKE", at: "2027-01-01T00:00:00.000Z", reason: "cessato" });
    expect(s.value).toBe("revoked");
    expect(s.context).toMatchObject({ endedAt: "2027-01-01T00:00:00.000Z", reason: "cessato" });
  });

  it("expires only when its term is over", () => {
    expect(start().can({ type: "EXPIRE", at: "2027-10-31T23:59:59.000Z" })).toBe(false);
    expect(start(null).can({ type: "EXPIRE", at: "2099-01-01T00:00:00.000Z" })).toBe(false);
    const [s] = transition(machine, start(), { type: "EXPIRE", at: EXPIRES });
    expect(s.value).toBe("expired");
  });

  it("accepts nothing once revoked or expired", () => {
    const [revoked] = transition(machine, start(), { type: "REVOKE", at: "2027-01-01T00:00:00.000Z" });
    const [expired] = transition(machine, start(), { type: "EXPIRE", at: "2028-01-01T00:00:00.000Z" });
    for (const ended of [revoked, expired]) {
      expect(ended.can({ type: "REVOKE", at: "2028-02-01T00:00:00.000Z" })).toBe(false);
      expect(ended.can({ type: "RENEW", at: "2026-01-01T00:00:00.000Z", expiresAt: "2029-01-01T00:00:00.000Z" })).toBe(false);
      expect(ended.can({ type: "EXPIRE", at: "2029-01-01T00:00:00.000Z" })).toBe(false);
    }
  });
});
