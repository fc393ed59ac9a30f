import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cookieFor, PEOPLE, seedDemo } from "../support/actors";
import { rawRequest, startWebServer, type WebServer } from "../support/web-server";

// Seed 000's two access points: gestori on the internet, officials on the intranet.
let proxied: WebServer; // behind a proxy on loopback (TRUST_PROXY): the client is X-Forwarded-For
let direct: WebServer; // no proxy: X-Forwarded-For is whatever a client wrote, ignored
let open: WebServer; // no INTRANET_*: no restriction, as before

const INTRANET = "10.20.30.40";
const INTERNET = "203.0.113.7";

beforeAll(async () => {
  await seedDemo();
  [proxied, direct, open] = await Promise.all([
    startWebServer({ INTRANET_CIDRS: "10.0.0.0/8, 192.168.0.0/16", INTRANET_HOST: "pratiche.intranet.example", TRUST_PROXY: "loopback" }),
    startWebServer({ INTRANET_CIDRS: "10.0.0.0/8" }),
    startWebServer(),
  ]);
}, 120_000);
afterAll(async () => {
  await Promise.all([proxied?.stop(), direct?.stop(), open?.stop()]);
});

async function get(server: WebServer, path: string, who: string | null, headers: Record<string, string> = {}) {
  return rawRequest(server, { path, headers: { ...(who ? { cookie: await cookieFor(who) } : {}), ...headers } });
}

describe("INTRANET_CIDRS behind TRUST_PROXY", () => {
  it.each([
    ["/lavorazione", PEOPLE.funzionario],
    ["/pratiche", PEOPLE.dirigente],
    ["/admin/audit", PEOPLE.amministratore],
    ["/monitoraggio", PEOPLE.osservatore],
  ])("%s answers officials from the intranet and refuses them from the internet with a clear 403", async (path, who) => {
    expect((await get(proxied, path, who, { "x-forwarded-for": INTRANET })).status).toBe(200);
    const outside = await get(proxied, path, who, { "x-forwarded-for": INTERNET });
    expect(outside.status).toBe(403);
    expect(outside.body).toContain("solo dalla rete interna");
  });

  it.each([["/caricamenti"], ["/pratiche"], ["/token-api"], ["/monitoraggio"]])("gestori's page %s answers everywhere", async (path) => {
    expect((await get(proxied, path, PEOPLE.operatore, { "x-forwarded-for": INTERNET })).status).toBe(200);
    expect((await get(proxied, path, PEOPLE.operatore, { "x-forwarded-for": INTRANET })).status).toBe(200);
  });

  it.each([["/"], ["/procedimenti"], ["/istruzioni"], ["/accedi"], ["/api/v1/openapi.json"]])("the public page %s answers everywhere", async (path) => {
    expect((await get(proxied, path, null, { "x-forwarded-for": INTERNET })).status).toBe(200);
  });

  it("the intranet host is an access point of its own", async () => {
    const viaHost = await get(proxied, "/lavorazione", PEOPLE.funzionario, { "x-forwarded-for": INTERNET, "x-forwarded-host": "pratiche.intranet.example" });
    expect(viaHost.status).toBe(200);
  });

  it("an official's action from the internet is refused too", async () => {
    const res = await rawRequest(proxied, {
      method: "POST",
      path: "/lavorazione",
      headers: { cookie: await cookieFor(PEOPLE.funzionario), "x-forwarded-for": INTERNET, "content-type": "application/x-www-form-urlencoded" },
      body: "intent=take",
    });
    expect(res.status).toBe(403);
  });
});

describe("without a trusted proxy", () => {
  it("a client cannot claim an intranet address with X-Forwarded-For", async () => {
    // The test connects from 127.0.0.1, outside 10.0.0.0/8.
    const res = await get(direct, "/lavorazione", PEOPLE.funzionario, { "x-forwarded-for": INTRANET });
    expect(res.status).toBe(403);
    expect((await get(direct, "/caricamenti", PEOPLE.operatore)).status).toBe(200);
  });
});

describe("INTRANET_CIDRS and INTRANET_HOST unset", () => {
  it("officials' pages answer from anywhere, as before", async () => {
    expect((await get(open, "/lavorazione", PEOPLE.funzionario, { "x-forwarded-for": INTERNET })).status).toBe(200);
    expect((await get(open, "/admin/audit", PEOPLE.amministratore)).status).toBe(200);
  });
});
