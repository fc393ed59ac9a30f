import { and, count, eq, gt } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditClosedFailureCounts, FAILURE_WINDOW_MS } from "~/audit/audit.server";
import { createApiToken } from "~/auth/api-tokens.server";
import { SAML_REQUEST_TTL_MS } from "~/auth/saml-requests.server";
import { getDb } from "~db/client";
import { purgeStaleAuthState } from "~db/queries/maintenance";
import { auditLog, failureCounts, samlRequests } from "~db/schema";
import { PEOPLE, seedDemo, userOf } from "../support/actors";
import { rawRequest, startWebServer, type WebServer } from "../support/web-server";

// Two web processes on one database: a client may hit either, the limits are shared.
let a: WebServer;
let b: WebServer;
const LIMIT = 8;

beforeAll(async () => {
  await seedDemo();
  // Behind a (loopback) proxy, so each test can come from addresses of its own.
  const env = { RATE_LIMIT_AUTH_PER_MINUTE: String(LIMIT), RATE_LIMIT_API_PER_MINUTE: String(LIMIT), TRUST_PROXY: "loopback" };
  [a, b] = await Promise.all([startWebServer(env), startWebServer(env)]);
}, 120_000);
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
});

/** 2 × LIMIT + 2 requests alternating between the processes: whatever minute boundary falls between them, one window sees more than LIMIT. */
async function burst(path: string, headers: (i: number) => Record<string, string>) {
  const out = [];
  for (let i = 0; i < 2 * LIMIT + 2; i++) out.push(await rawRequest(i % 2 ? a : b, { path, headers: headers(i) }));
  return out;
}

const auditCount = async (action: string, since: number) =>
  (await getDb().select({ n: count() }).from(auditLog).where(and(eq(auditLog.action, action), gt(auditLog.id, since))))[0]!.n;
const maxAuditId = async () => (await getDb().select({ id: auditLog.id }).from(auditLog)).reduce((m, r) => Math.max(m, r.id), 0);

describe("rate limits shared by every web process", () => {
  it("sign-in starts per address: 429 with Retry-After, and no AuthnRequest stored past the limit", async () => {
    const before = (await getDb().select({ n: count() }).from(samlRequests))[0]!.n;
    const answers = await burst("/auth/login", () => ({ "x-forwarded-for": "192.0.2.1" }));
    const refused = answers.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(2);
    for (const r of refused) {
      expect(Number(r.headers["retry-after"])).toBeGreaterThanOrEqual(1);
      expect(Number(r.headers["retry-after"])).toBeLessThanOrEqual(60);
      expect(r.body).toContain("Troppe richieste");
    }
    const stored = (await getDb().select({ n: count() }).from(samlRequests))[0]!.n - before;
    expect(stored).toBe(answers.filter((r) => r.status === 302).length);
    expect(stored).toBeLessThanOrEqual(2 * LIMIT);
    // Another address is not held back by the first one's flood.
    expect((await rawRequest(a, { path: "/auth/login", headers: { "x-forwarded-for": "192.0.2.99" } })).status).toBe(302);
  });

  it("the API per token, answered in JSON", async () => {
    const { token } = await createApiToken(getDb(), { system: "test" }, { userId: (await userOf(PEOPLE.operatore)).id });
    // A new address for every request: the token's own count stops it.
    const answers = await burst("/api/v1/me", (i) => ({ authorization: `Bearer ${token}`, "x-forwarded-for": `198.51.100.${i + 1}` }));
    const refused = answers.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(2);
    expect(JSON.parse(refused[0]!.body).error.code).toBe("TOO_MANY_REQUESTS");
    expect(refused[0]!.headers["retry-after"]).toBeDefined();
  });
});

describe("anonymous failures are counted, not audited one row each", () => {
  it("a flood of bad tokens writes one audit row now and one total when the hour closes", async () => {
    const since = await maxAuditId();
    // Under the per-address limit, so every request reaches the token check.
    for (let i = 0; i < LIMIT - 1; i++) {
      const r = await rawRequest(a, { path: "/api/v1/me", headers: { authorization: `Bearer gp_bad${i}`, "x-forwarded-for": "192.0.2.3" } });
      expect(r.status).toBe(401);
    }
    expect(await auditCount("api.auth", since)).toBe(1);
    const [counted] = await getDb().select().from(failureCounts).where(eq(failureCounts.action, "api.auth"));
    expect(counted!.count).toBe(LIMIT - 1);

    await auditClosedFailureCounts(getDb(), new Date(Date.now() + FAILURE_WINDOW_MS));
    expect(await auditCount("api.auth", since)).toBe(2);
    const [total] = await getDb().select().from(auditLog).where(and(eq(auditLog.action, "api.auth"), gt(auditLog.id, since), eq(auditLog.actorRole, "system:maintenance")));
    expect(total!.details).toMatchObject({ reason: "unknown", count: LIMIT - 1 });
    expect(total!.ip).toBe("192.0.2.3");
    expect(await getDb().select().from(failureCounts).where(eq(failureCounts.action, "api.auth"))).toHaveLength(0);
  });

  it("garbage SAML responses likewise", async () => {
    const since = await maxAuditId();
    for (let i = 0; i < 3; i++)
      await rawRequest(b, {
        method: "POST",
        path: "/auth/saml/acs",
        headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": "10.9.9.9" },
        body: "SAMLResponse=Z2FyYmFnZQ%3D%3D",
      });
    expect(await auditCount("auth.signin", since)).toBe(1);
  });
});

describe("unused AuthnRequests expire", () => {
  it("maintenance removes requests older than their time to live, answered or not", async () => {
    const old = new Date(Date.now() - SAML_REQUEST_TTL_MS - 60_000);
    await getDb().insert(samlRequests).values([
      { id: "_old-unused", value: "x", createdAt: old },
      { id: "_fresh", value: "x" },
    ]);
    await purgeStaleAuthState(getDb(), { idleMs: 30 * 60_000, samlRequestTtlMs: SAML_REQUEST_TTL_MS });
    const left = (await getDb().select({ id: samlRequests.id }).from(samlRequests)).map((r) => r.id);
    expect(left).toContain("_fresh");
    expect(left).not.toContain("_old-unused");
  });
});
