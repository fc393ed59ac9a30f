import { describe, expect, it } from "vitest";
import { rateLimitKeys } from "./rate-limit.server";

describe("rate limit keys", () => {
  it("charge the local sign-in pages to the address, as /auth/* (ADR 0067)", () => {
    expect(rateLimitKeys("/accesso-locale/accedi", "10.0.0.1", undefined)).toEqual([{ key: "auth:ip:10.0.0.1", limit: "auth" }]);
    expect(rateLimitKeys("/auth/login", "10.0.0.1", undefined)).toEqual([{ key: "auth:ip:10.0.0.1", limit: "auth" }]);
    expect(rateLimitKeys("/accesso-negato", "10.0.0.1", undefined)).toEqual([]);
  });
});
