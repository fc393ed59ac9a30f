import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getSignedIn } from "~/auth/guards.server";
import { getConfig } from "~/config.server";
import * as logout from "~/routes/auth.logout";
import * as uploadPost from "~/routes/caricamenti.invia";
import * as tokens from "~/routes/token-api";
import { getDb } from "~db/client";
import { accesses, apiTokens, sessions, uploads } from "~db/schema";
import { cookieFor, PEOPLE, seedDemo, statusOf, userOf } from "../support/actors";

const req = (cookie: string) => new Request("http://localhost:3999/", { headers: { cookie } });

beforeAll(seedDemo);

describe("sessions", () => {
  it("are stored hashed in the database and the cookie is http-only and SameSite", async () => {
    const cookie = await cookieFor(PEOPLE.operatore);
    const raw = decodeURIComponent(cookie.split("=")[1]!);
    const rows = await getDb().select().from(sessions);
    expect(rows.some((r) => raw.includes(r.idHash))).toBe(false);
    expect(await getSignedIn(req(cookie))).not.toBeNull();
    const { commitSessionCookie } = await import("~/auth/session.server");
    const header = await commitSessionCookie("x");
    expect(header).toMatch(/HttpOnly/);
    expect(header).toMatch(/SameSite=Lax/);
  });

  it("end after the idle time-out", async () => {
    const cookie = await cookieFor(PEOPLE.funzionario);
    const u = await userOf(PEOPLE.funzionario);
    await getDb()
      .update(sessions)
      .set({ lastSeenAt: new Date(Date.now() - getConfig().sessionIdleMs - 1000) })
      .where(eq(sessions.userId, u.id));
    expect(await getSignedIn(req(cookie))).toBeNull();
  });

  it("record the time last seen in one statement for many requests, within a second, never reviving an ended session", async () => {
    const { flushSessionTouches } = await import("~/auth/session.server");
    const cookie = await cookieFor(PEOPLE.osservatore);
    const u = await userOf(PEOPLE.osservatore);
    const fiveMinutesAgo = new Date(Date.now() - 5 * 60_000);
    await getDb().update(sessions).set({ lastSeenAt: fiveMinutesAgo }).where(eq(sessions.userId, u.id));
    const lastSeen = async () => (await getDb().select().from(sessions).where(eq(sessions.userId, u.id)))[0]?.lastSeenAt;
    expect(await getSignedIn(req(cookie))).not.toBeNull();
    // The request did not write: the time waits for the next flush (at most a second later).
    expect(await lastSeen()).toEqual(fiveMinutesAgo);
    await flushSessionTouches();
    expect(Date.now() - (await lastSeen())!.getTime()).toBeLessThan(10_000);
    // Seen again, then signed out before the flush: the row stays gone.
    await getDb().update(sessions).set({ lastSeenAt: fiveMinutesAgo }).where(eq(sessions.userId, u.id));
    expect(await getSignedIn(req(cookie))).not.toBeNull();
    await getDb().delete(sessions).where(eq(sessions.userId, u.id));
    await flushSessionTouches();
    expect(await lastSeen()).toBeUndefined();
  });

  it("end at the absolute time-out even when active", async () => {
    const cookie = await cookieFor(PEOPLE.dirigente);
    const u = await userOf(PEOPLE.dirigente);
    await getDb().update(sessions).set({ expiresAt: new Date(Date.now() - 1000), lastSeenAt: new Date() }).where(eq(sessions.userId, u.id));
    expect(await getSignedIn(req(cookie))).toBeNull();
  });

  it("end at once when the person's access is revoked", async () => {
    const cookie = await cookieFor(PEOPLE.referente);
    expect(await getSignedIn(req(cookie))).not.toBeNull();
    const u = await userOf(PEOPLE.referente);
    await getDb().update(accesses).set({ status: "revoked", revokedAt: new Date() }).where(eq(accesses.userId, u.id));
    expect(await getSignedIn(req(cookie))).toBeNull();
    const left = await getDb().select().from(sessions).where(eq(sessions.userId, u.id));
    expect(left).toHaveLength(0);
  });

  it("refuse a form without the CSRF token and change nothing", async () => {
    const cookie = await cookieFor(PEOPLE.operatore);
    const before = await getDb().select().from(apiTokens);
    const { status } = await statusOf(tokens.action, { path: "/token-api", cookie, form: { intent: "create", label: "x" } });
    expect(status).toBe(403);
    const forged = await statusOf(tokens.action, { path: "/token-api", cookie, form: { intent: "create", label: "x", csrf: "forged" } });
    expect(forged.status).toBe(403);
    expect(await getDb().select().from(apiTokens)).toHaveLength(before.length);
  });

  it("refuse a file upload whose header or query token is missing or forged, in Italian, and store nothing", async () => {
    const cookie = await cookieFor(PEOPLE.operatore);
    const before = (await getDb().select().from(uploads)).length;
    const post = (url: string, headers: Record<string, string>) =>
      uploadPost
        .action({
          request: new Request(url, { method: "POST", headers: { cookie, "content-type": "text/plain; charset=utf-8", ...headers }, body: "T|1|x\n" }),
          params: {},
          context: {},
        })
        .catch((e: unknown) => e as Response);
    const missing = await post("http://localhost:3999/caricamenti/invia", { accept: "application/json" });
    expect(missing.status).toBe(403);
    expect(await missing.json()).toEqual({ error: "Richiesta non valida: ricaricare la pagina e riprovare." });
    const forgedHeader = await post("http://localhost:3999/caricamenti/invia", { accept: "application/json", "x-csrf-token": "forged" });
    expect(forgedHeader.status).toBe(403);
    const forgedQuery = await post("http://localhost:3999/caricamenti/invia?csrf=forged", {});
    expect(forgedQuery.status).toBe(403);
    expect(await forgedQuery.text()).toBe("Richiesta non valida: ricaricare la pagina e riprovare.");
    expect(await getDb().select().from(uploads)).toHaveLength(before);
  });

  it("accept a form with the session's CSRF token", async () => {
    const cookie = await cookieFor(PEOPLE.operatore);
    const signedIn = await getSignedIn(req(cookie));
    const { status, data } = await statusOf(tokens.action, {
      path: "/token-api",
      cookie,
      form: { intent: "create", label: "gestionale", csrf: signedIn!.session.csrfToken },
    });
    expect(status).toBe(200);
    expect(data).toMatchObject({ ok: true, token: expect.stringMatching(/^gp_/) });
  });

  it("end on logout", async () => {
    const cookie = await cookieFor(PEOPLE.amministratore);
    const signedIn = await getSignedIn(req(cookie));
    const { status } = await statusOf(logout.action, { path: "/auth/logout", cookie, form: { csrf: signedIn!.session.csrfToken } });
    expect(status).toBe(302);
    expect(await getSignedIn(req(cookie))).toBeNull();
  });
});

describe("single logout endpoint", () => {
  // A signed LogoutRequest does end it: test/integration/web-hardening.test.ts.
  it("ends nothing on a GET without a LogoutRequest signed by the identity provider", async () => {
    const slo = await import("~/routes/auth.logout.saml");
    const cookie = await cookieFor(PEOPLE.dirigente);
    expect(await getSignedIn(req(cookie))).not.toBeNull();
    const { status, response } = await statusOf(slo.loader, { path: "/auth/logout/saml?SAMLRequest=x", cookie });
    expect(status).toBe(400);
    expect(response!.headers.get("set-cookie")).toBeNull();
    expect(await getSignedIn(req(cookie))).not.toBeNull();
  });
});
