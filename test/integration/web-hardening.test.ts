import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import zlib from "node:zlib";
import { and, count, desc, eq, gt } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "~/auth/api-tokens.server";
import { loadOrCreateKeyPair } from "~/auth/keys.server";
import { verifyLogoutResponse } from "~/auth/saml-logout.server";
import { signElement } from "~/auth/saml-xml.server";
import { getConfig } from "~/config.server";
import { getDb } from "~db/client";
import { apiTokens, auditLog, mailTemplateOverrides, samlRequests, sessions, uploads } from "~db/schema";
import { cookieFor, PEOPLE, seedDemo, userOf } from "../support/actors";
import { fixture } from "../support/uploads";
import { cookieHeader, cookiesFrom, rawRequest, signInOverHttp, startWebServer, type RawResponse, type WebServer } from "../support/web-server";

let web: WebServer;
let token: string;
const FORM = { "content-type": "application/x-www-form-urlencoded" };

const rows = async (table: typeof sessions | typeof uploads | typeof apiTokens | typeof mailTemplateOverrides | typeof samlRequests) =>
  (await getDb().select({ n: count() }).from(table))[0]!.n;

/** What may never reach a page or an API answer: stack frames, SQL, driver or JS error text. */
function expectNoInternals(res: RawResponse) {
  expect(res.body).not.toMatch(/\bat [\w.<>]+ \(|node_modules|postgres|\bselect\b.*\bfrom\b|invalid byte sequence|URIError|TypeError|stack/i);
}

async function signedIn(fiscalCode: string) {
  const cookie = await cookieFor(fiscalCode);
  const u = await userOf(fiscalCode);
  const [s] = await getDb().select().from(sessions).where(eq(sessions.userId, u.id)).orderBy(desc(sessions.createdAt)).limit(1);
  return { cookie, csrf: s!.csrfToken, idHash: s!.idHash };
}

const sessionExists = async (idHash: string) => (await getDb().select().from(sessions).where(eq(sessions.idHash, idHash))).length === 1;

async function lastAudit(action: string) {
  const [row] = await getDb().select().from(auditLog).where(eq(auditLog.action, action)).orderBy(desc(auditLog.id)).limit(1);
  return row;
}

beforeAll(async () => {
  await seedDemo();
  // The limits have their own test (rate-limits.test.ts); here they would only get in the way.
  web = await startWebServer({ RATE_LIMIT_AUTH_PER_MINUTE: "100000", RATE_LIMIT_API_PER_MINUTE: "100000" });
  token = (await createApiToken(getDb(), { system: "test" }, { userId: (await userOf(PEOPLE.operatore)).id })).token;
}, 120_000);
afterAll(() => web?.stop());

describe("redirects after sign-in stay on this site", () => {
  it.each(["/\t/evil.example/", "//evil.example/", "/\\evil.example", "https://evil.example/", "/\u3000evil", "/a\r\nSet-Cookie: x=1"])(
    "/auth/login refuses redirectTo %j with a 400 and issues no AuthnRequest",
    async (to) => {
      const before = await rows(samlRequests);
      const res = await rawRequest(web, { path: `/auth/login?redirectTo=${encodeURIComponent(to)}` });
      expect(res.status).toBe(400);
      expect(res.headers.location).toBeUndefined();
      expect(res.body).toContain("non è una pagina di questo sito");
      expect(await rows(samlRequests)).toBe(before);
    },
  );

  it("a real sign-in lands on the requested page of this site", async () => {
    const { acs, jar } = await signInOverHttp(web, PEOPLE.operatore, { redirectTo: "/caricamenti?status=accepted" });
    expect(acs.status).toBe(302);
    expect(acs.headers.location).toBe("/caricamenti?status=accepted");
    expect([...jar.keys()]).toEqual(["gp_session"]); // the sign-in binding is cleared
  });

  it.each([["CR/LF", "/enti\r\nSet-Cookie: evil=1"], ["U+3000", "/\u3000/evil.example"], ["a tab", "/\t/evil.example/"]])(
    "an ACS post whose RelayState carries %s gets a 400 and no session",
    async (_what, relay) => {
      const before = await rows(sessions);
      const { acs } = await signInOverHttp(web, PEOPLE.operatore, { redirectTo: "/enti", tamperRelayState: () => relay });
      expect(acs.status).toBe(400);
      expect(acs.headers["set-cookie"]).toBeUndefined();
      expect(await rows(sessions)).toBe(before);
    },
  );
});

describe("login CSRF: a sign-in completes only in the browser that started it", () => {
  it("refuses a response posted from a browser that started no sign-in", async () => {
    const before = await rows(sessions);
    const { acs } = await signInOverHttp(web, PEOPLE.amministratore, { acsJar: new Map() });
    expect(acs.status).toBe(400);
    expect(acs.body).toContain("non è stato avviato da questo browser");
    expect(acs.headers["set-cookie"]).toBeUndefined();
    expect(await rows(sessions)).toBe(before);
  });

  it("refuses the attacker's response auto-posted from a victim's browser that has a sign-in of its own under way", async () => {
    const victim = new Map<string, string>();
    cookiesFrom(await rawRequest(web, { path: "/auth/login?redirectTo=%2F" }), victim);
    expect(victim.has("gp_login")).toBe(true);
    const before = await rows(sessions);
    const { acs } = await signInOverHttp(web, PEOPLE.operatore, { acsJar: victim });
    expect(acs.status).toBe(400);
    expect(acs.headers["set-cookie"]).toBeUndefined();
    expect(await rows(sessions)).toBe(before);
  });

  it("signing in again on a browser ends the session it had", async () => {
    const first = await signInOverHttp(web, PEOPLE.operatore);
    const oldHash = crypto.createHash("sha256").update(decodeSessionCookie(first.jar.get("gp_session")!)).digest("hex");
    expect(await sessionExists(oldHash)).toBe(true);
    const second = await signInOverHttp(web, PEOPLE.referente, { jar: first.jar });
    expect(second.acs.status).toBe(302);
    expect(await sessionExists(oldHash)).toBe(false);
    const page = await rawRequest(web, { path: "/abilitazioni", headers: { cookie: cookieHeader(second.jar) } });
    expect(page.status).toBe(200);
  });
});

/** The token inside the signed session cookie (Remix: base64 of the JSON value, then ".signature"). */
function decodeSessionCookie(value: string) {
  const payload = decodeURIComponent(value).split(".")[0]!;
  return JSON.parse(decodeURIComponent(escape(Buffer.from(payload, "base64").toString("binary")))) as string;
}

describe("logout", () => {
  it("a cross-site GET of the SingleLogoutService ends nothing", async () => {
    const me = await signedIn(PEOPLE.operatore);
    const res = await rawRequest(web, { path: "/auth/logout/saml", headers: { cookie: me.cookie } });
    expect(res.status).toBe(400);
    expect(await sessionExists(me.idHash)).toBe(true);
  });

  it("a POST without the CSRF token ends nothing; with it, the session ends", async () => {
    const me = await signedIn(PEOPLE.operatore);
    for (const path of ["/auth/logout/saml", "/auth/logout"]) {
      const refused = await rawRequest(web, { method: "POST", path, headers: { ...FORM, cookie: me.cookie }, body: "" });
      expect(refused.status).toBe(403);
      expect(await sessionExists(me.idHash)).toBe(true);
    }
    const ok = await rawRequest(web, { method: "POST", path: "/auth/logout/saml", headers: { ...FORM, cookie: me.cookie }, body: `csrf=${me.csrf}` });
    expect(ok.status).toBe(302);
    expect(await sessionExists(me.idHash)).toBe(false);
  });

  async function logoutRequestQuery(opts: { key?: string; issuer?: string } = {}) {
    const keys = await loadOrCreateKeyPair(path.join(getConfig().dataDir, "keys"), "test-idp");
    const xml = `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_lr${crypto.randomBytes(8).toString("hex")}" Version="2.0" IssueInstant="${new Date().toISOString()}" Destination="${web.url}/auth/logout/saml"><saml:Issuer>${opts.issuer ?? `${web.url}/test-idp`}</saml:Issuer><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:transient">_x</saml:NameID></samlp:LogoutRequest>`;
    const signed = `SAMLRequest=${encodeURIComponent(zlib.deflateRawSync(xml).toString("base64"))}&SigAlg=${encodeURIComponent("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256")}`;
    const signature = crypto.sign("sha256", Buffer.from(signed), opts.key ?? keys.privateKeyPem).toString("base64");
    return `${signed}&Signature=${encodeURIComponent(signature)}`;
  }

  const rogueKey = () => crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }) as string;

  /** The answer went back to the IdP: a LogoutResponse signed by the SP for that request, which the test IdP accepts. */
  async function expectSignedLogoutResponse(location: string, requestId: string) {
    expect(location.startsWith(`${web.url}/test-idp/slo?SAMLResponse=`)).toBe(true);
    const sp = await loadOrCreateKeyPair(path.join(getConfig().dataDir, "keys"), "sp");
    const query = location.split("?")[1]!;
    expect(verifyLogoutResponse(query, { spCert: sp.certPem, spEntityId: `${web.url}/auth/saml/metadata`, inResponseTo: requestId })).not.toBeNull();
    // Signed by someone else, the IdP would refuse it.
    expect(verifyLogoutResponse(query, { spCert: (await loadOrCreateKeyPair(path.join(getConfig().dataDir, "keys"), "test-idp")).certPem, spEntityId: `${web.url}/auth/saml/metadata` })).toBeNull();
    const ack = await rawRequest(web, { path: location.slice(web.url.length) });
    expect(ack.status).toBe(200);
    expect(ack.body).toContain("Uscita completata");
  }

  it("a LogoutRequest signed by the IdP ends the session and is answered with a signed LogoutResponse; one signed by anyone else or from another issuer does not", async () => {
    const me = await signedIn(PEOPLE.operatore);
    for (const query of [await logoutRequestQuery({ key: rogueKey() }), await logoutRequestQuery({ issuer: "https://idp.evil.example" })]) {
      const refused = await rawRequest(web, { path: `/auth/logout/saml?${query}`, headers: { cookie: me.cookie } });
      expect(refused.status).toBe(400);
      expect(await sessionExists(me.idHash)).toBe(true);
    }
    const query = await logoutRequestQuery();
    const requestId = /ID="([^"]+)"/.exec(zlib.inflateRawSync(Buffer.from(decodeURIComponent(query.split("&")[0]!.slice("SAMLRequest=".length)), "base64")).toString())![1]!;
    const res = await rawRequest(web, { path: `/auth/logout/saml?${query}`, headers: { cookie: me.cookie } });
    expect(res.status).toBe(302);
    expect(await sessionExists(me.idHash)).toBe(false);
    await expectSignedLogoutResponse(res.headers.location as string, requestId);
  });

  it("a LogoutRequest posted by the IdP (HTTP-POST binding) ends the session only when the IdP signed it", async () => {
    const me = await signedIn(PEOPLE.operatore);
    const idpKeys = await loadOrCreateKeyPair(path.join(getConfig().dataDir, "keys"), "test-idp");
    const posted = (key: string) => {
      const id = `_lr${crypto.randomBytes(8).toString("hex")}`;
      const xml = `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id}" Version="2.0" IssueInstant="${new Date().toISOString()}" Destination="${web.url}/auth/logout/saml"><saml:Issuer>${web.url}/test-idp</saml:Issuer><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:transient">_x</saml:NameID></samlp:LogoutRequest>`;
      const signed = signElement(xml, { localName: "LogoutRequest", key, cert: idpKeys.certPem, afterIssuer: true });
      return { id, body: `SAMLRequest=${encodeURIComponent(Buffer.from(signed).toString("base64"))}&RelayState=r1` };
    };
    const refused = await rawRequest(web, { method: "POST", path: "/auth/logout/saml", headers: { ...FORM, cookie: me.cookie }, body: posted(rogueKey()).body });
    expect(refused.status).toBe(400);
    expect(await sessionExists(me.idHash)).toBe(true);
    const good = posted(idpKeys.privateKeyPem);
    const res = await rawRequest(web, { method: "POST", path: "/auth/logout/saml", headers: { ...FORM, cookie: me.cookie }, body: good.body });
    expect(res.status).toBe(302);
    expect(await sessionExists(me.idHash)).toBe(false);
    expect(res.headers.location as string).toContain("&RelayState=r1&");
    await expectSignedLogoutResponse(res.headers.location as string, good.id);
  });
});

describe("bad input is a 400, never a 500", () => {
  it.each([
    ["/procedimenti?q=a%00b", null],
    ["/pratiche?q=a%00b", PEOPLE.funzionario],
    ["/pratiche?measure=%00", PEOPLE.funzionario],
    ["/admin/audit?action=%00", PEOPLE.amministratore],
    ["/admin/audit?actor=x%00", PEOPLE.amministratore],
    ["/monitoraggio?measure=%00", PEOPLE.funzionario],
    ["/pratiche?q=%E0%A4%A", PEOPLE.funzionario],
  ])("GET %s", async (url, who) => {
    const res = await rawRequest(web, { path: url, headers: who ? { cookie: await cookieFor(who) } : {} });
    expect(res.status).toBe(400);
    expect(res.body).toContain("caratteri non ammessi");
    expectNoInternals(res);
  });

  it("an API upload with a broken X-File-Name is a 400 in JSON, and nothing is stored", async () => {
    const before = await rows(uploads);
    const res = await rawRequest(web, {
      method: "POST",
      path: "/api/v1/uploads",
      headers: { authorization: `Bearer ${token}`, "content-type": "text/plain; charset=utf-8", "x-file-name": "%E0%A4%A" },
      body: fixture("valid-first.txt"),
    });
    expect(res.status).toBe(400);
    expect(res.headers["content-type"]).toMatch(/application\/json/);
    expect(JSON.parse(res.body).error.code).toBe("BAD_FILE_NAME");
    expect(await rows(uploads)).toBe(before);
  });

  it("a cross-origin post to a page is a 400 and changes nothing", async () => {
    const me = await signedIn(PEOPLE.operatore);
    const before = await rows(apiTokens);
    const res = await rawRequest(web, {
      method: "POST",
      path: "/token-api",
      headers: { ...FORM, cookie: me.cookie, origin: "https://evil.example" },
      body: `csrf=${me.csrf}&intent=create&label=x`,
    });
    expect(res.status).toBe(400);
    expect(res.body).toContain("solo dalle sue pagine");
    expectNoInternals(res);
    expect(await rows(apiTokens)).toBe(before);
  });

  it("a JSON body to a form route is a 400 and changes nothing", async () => {
    const me = await signedIn(PEOPLE.operatore);
    const before = await rows(apiTokens);
    const res = await rawRequest(web, {
      method: "POST",
      path: "/token-api",
      headers: { "content-type": "application/json", cookie: me.cookie },
      body: JSON.stringify({ csrf: me.csrf, intent: "create" }),
    });
    expect(res.status).toBe(400);
    expectNoInternals(res);
    expect(await rows(apiTokens)).toBe(before);
  });

  it("a same-origin post still works", async () => {
    const me = await signedIn(PEOPLE.operatore);
    const res = await rawRequest(web, {
      method: "POST",
      path: "/token-api",
      headers: { ...FORM, cookie: me.cookie, origin: web.url, host: new URL(web.url).host },
      body: `csrf=${me.csrf}&intent=create&label=same-origin`,
    });
    expect(res.status).toBe(200);
    expect(res.body).toContain("Token creato");
  });
});

describe("request bodies are capped before parsing", () => {
  async function* chunks(total: number, size = 1024 * 1024, fill = "a") {
    const chunk = Buffer.alloc(size, fill);
    for (let sent = 0; sent < total; sent += size) yield chunk;
  }

  it("the ACS answers 413 to a declared 300 KB body without reading it", async () => {
    const res = await rawRequest(web, {
      method: "POST",
      path: "/auth/saml/acs",
      headers: { ...FORM, "content-length": String(300 * 1024) },
      body: Buffer.alloc(300 * 1024, "a"),
    });
    expect(res.status).toBe(413);
  });

  it("the ACS answers 413 to a chunked body over its limit", async () => {
    const res = await rawRequest(web, { method: "POST", path: "/auth/saml/acs", headers: FORM, body: chunks(4 * 1024 * 1024, 64 * 1024) });
    expect(res.status).toBe(413);
    expect(res.body).toContain("Richiesta troppo grande");
  });

  it("a form route answers 413 to a chunked 3 MB form and changes nothing", async () => {
    const me = await signedIn(PEOPLE.operatore);
    const before = await rows(apiTokens);
    async function* body() {
      yield Buffer.from(`csrf=${me.csrf}&intent=create&label=`);
      yield* chunks(3 * 1024 * 1024, 64 * 1024);
    }
    const res = await rawRequest(web, { method: "POST", path: "/token-api", headers: { ...FORM, cookie: me.cookie }, body: body() });
    expect(res.status).toBe(413);
    expect(await rows(apiTokens)).toBe(before);
  });

  it("a chunked API upload over 200 MB gets a 413 JSON error, and nothing is stored", async () => {
    const before = await rows(uploads);
    const res = await rawRequest(web, {
      method: "POST",
      path: "/api/v1/uploads",
      headers: { authorization: `Bearer ${token}`, "content-type": "text/plain; charset=utf-8" },
      body: chunks(210 * 1024 * 1024),
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toEqual({ error: { code: "FILE_TOO_LARGE", message: "File troppo grande: al massimo 200 MB" } });
    expect(await rows(uploads)).toBe(before);
  }, 120_000);
});

describe("Content-Security-Policy", () => {
  it("allows only this site's scripts and Remix's inline ones carrying this response's nonce", async () => {
    const a = await rawRequest(web, { path: "/" });
    const b = await rawRequest(web, { path: "/" });
    const csp = String(a.headers["content-security-policy"]);
    expect(csp).toContain("default-src 'self'");
    const nonce = /script-src 'self' 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(String(b.headers["content-security-policy"])).not.toContain(nonce);
    const scripts = [...a.body.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) if (!/\bsrc=/.test(tag)) expect(tag).toContain(`nonce="${nonce}"`);
  });
});

describe("API tokens are created only by their owner", () => {
  it("an administrator cannot create a token in an operator's name; nothing is created", async () => {
    const admin = await signedIn(PEOPLE.amministratore);
    const before = await rows(apiTokens);
    const res = await rawRequest(web, {
      method: "POST",
      path: "/token-api",
      headers: { ...FORM, cookie: admin.cookie },
      body: new URLSearchParams({ csrf: admin.csrf, intent: "create", label: "x", user: PEOPLE.operatore }).toString(),
    });
    expect(res.status).toBe(200);
    expect(res.body).toContain("l&#x27;amministratore può solo revocarlo");
    expect(res.body).not.toContain("Token creato");
    expect(await rows(apiTokens)).toBe(before);
  });

  it("an administrator can still revoke", async () => {
    const admin = await signedIn(PEOPLE.amministratore);
    const { id } = await createApiToken(getDb(), { system: "test" }, { userId: (await userOf(PEOPLE.operatore)).id });
    const res = await rawRequest(web, {
      method: "POST",
      path: "/token-api",
      headers: { ...FORM, cookie: admin.cookie },
      body: new URLSearchParams({ csrf: admin.csrf, intent: "revoke", tokenId: id }).toString(),
    });
    expect(res.body).toContain("Token revocato");
    const [row] = await getDb().select().from(apiTokens).where(eq(apiTokens.id, id));
    expect(row!.revokedAt).not.toBeNull();
  });
});

describe("mail template overrides may not write values unescaped", () => {
  it.each(["<p>{{{reason}}}</p>", "<p>{{& reason}}</p>", "<p>{{~{reason}~}}</p>"])("refuses %s and saves nothing", async (html) => {
    const admin = await signedIn(PEOPLE.amministratore);
    const before = await rows(mailTemplateOverrides);
    const res = await rawRequest(web, {
      method: "POST",
      path: "/admin/modelli/access-revoked",
      headers: { ...FORM, cookie: admin.cookie },
      body: new URLSearchParams({ csrf: admin.csrf, intent: "save", version: "0", subject: "Accesso revocato", html, text: "{{reason}}" }).toString(),
    });
    expect(res.status).toBe(200);
    expect(res.body).toContain("senza protezione");
    expect(await rows(mailTemplateOverrides)).toBe(before);
  });
});

describe("reads of individual data are audited", () => {
  let uploadId: string;

  beforeAll(async () => {
    const res = await rawRequest(web, {
      method: "POST",
      path: "/api/v1/uploads",
      headers: { authorization: `Bearer ${token}`, "content-type": "text/plain; charset=utf-8", "x-file-name": "audit.txt" },
      body: fixture("valid-first.txt"),
    });
    uploadId = JSON.parse(res.body).id;
  });

  async function expectAudited(action: string, since: number, who: string, extra: Record<string, unknown> = {}) {
    const [row] = await getDb().select().from(auditLog).where(and(eq(auditLog.action, action), gt(auditLog.id, since))).orderBy(desc(auditLog.id)).limit(1);
    expect(row, action).toBeDefined();
    expect(row!.actorFiscalCode).toBe(who);
    expect(row!.ip).toMatch(/127\.0\.0\.1/);
    expect(row!.at).toBeInstanceOf(Date);
    for (const [k, v] of Object.entries(extra)) expect((row as Record<string, unknown>)[k]).toEqual(v);
    return row!;
  }
  const lastId = async () => (await lastAudit("auth.signin"))?.id ?? 0;
  const maxId = async () => (await getDb().select({ id: auditLog.id }).from(auditLog).orderBy(desc(auditLog.id)).limit(1))[0]?.id ?? 0;

  it("the practice list and the practice search", async () => {
    void lastId;
    const since = await maxId();
    const cookie = await cookieFor(PEOPLE.funzionario);
    expect((await rawRequest(web, { path: "/pratiche", headers: { cookie } })).status).toBe(200);
    await expectAudited("practice.list", since, PEOPLE.funzionario);
    expect((await rawRequest(web, { path: "/pratiche?q=Rossi", headers: { cookie } })).status).toBe(200);
    const row = await expectAudited("practice.search", since, PEOPLE.funzionario);
    expect((row.details as { filter: { q: string } }).filter.q).toBe("Rossi");
  });

  it("the upload outcome page", async () => {
    const since = await maxId();
    const res = await rawRequest(web, { path: `/caricamenti/${uploadId}`, headers: { cookie: await cookieFor(PEOPLE.operatore) } });
    expect(res.status).toBe(200);
    await expectAudited("upload.view", since, PEOPLE.operatore, { objectId: uploadId });
  });

  it("the API's outcome and errors.csv", async () => {
    const since = await maxId();
    const auth = { authorization: `Bearer ${token}` };
    expect((await rawRequest(web, { path: `/api/v1/uploads/${uploadId}`, headers: auth })).status).toBe(200);
    const view = await expectAudited("upload.view", since, PEOPLE.operatore, { objectId: uploadId });
    expect(view.details).toEqual({ channel: "api" });
    expect((await rawRequest(web, { path: `/api/v1/uploads/${uploadId}/errors.csv`, headers: auth })).status).toBe(200);
    await expectAudited("upload.errors_export", since, PEOPLE.operatore, { objectId: uploadId });
  });
});

describe("the static files of public/", () => {
  it("are served by their names, while a page's path goes straight to the routes (docs/decisions/0073)", async () => {
    const icon = await fetch(`${web.url}/favicon.svg`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get("content-type")).toContain("image/svg+xml");
    const sample = await fetch(`${web.url}/esempi/flusso-esempio.txt`);
    expect(await sample.text()).toBe(fs.readFileSync("public/esempi/flusso-esempio.txt", "utf8"));
    const missing = await fetch(`${web.url}/esempi/non-esiste.txt`);
    expect(missing.status).toBe(404);
    expect((await fetch(`${web.url}/accedi`)).status).toBe(200);
  });
});
