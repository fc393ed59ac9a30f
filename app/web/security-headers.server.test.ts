import type express from "express";
import { describe, expect, it } from "vitest";
import { securityHeaders } from "./security-headers.server";

describe("security headers", () => {
  it("give every response its own nonce of 16 random bytes, across refills of the nonce pool", () => {
    const handler = securityHeaders({ production: false });
    const nonces = Array.from({ length: 1000 }, () => {
      const headers: Record<string, string> = {};
      const res = { locals: {}, setHeader: (k: string, v: string) => (headers[k] = v) } as unknown as express.Response;
      handler({} as express.Request, res, () => {});
      const nonce = res.locals.cspNonce as string;
      expect(headers["Content-Security-Policy"]).toContain(`'nonce-${nonce}'`);
      return nonce;
    });
    for (const n of nonces) expect(Buffer.from(n, "base64")).toHaveLength(16);
    expect(new Set(nonces).size).toBe(nonces.length);
  });
});
