import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import type { CacheItem, CacheProvider } from "@node-saml/node-saml";
import { DOMParser } from "@xmldom/xmldom";
import { beforeAll, describe, expect, it } from "vitest";
import { SignedXml } from "xml-crypto";
import { generateKeyPair, loadOrCreateKeyPair, type KeyPair } from "./keys.server";
import { createServiceProvider, SamlError, type SamlRefusal, type ServiceProviderOptions } from "./saml.server";
import { createTestIdp, type ResponseOptions, type TestIdp } from "./test-idp.server";

/**
 * TEST FAKE of node-saml's request-id cache. The application's real one lives in PostgreSQL
 * (saml-requests.server); this one keeps these tests free of any database.
 */
class TestOnlyInMemoryRequestCache implements CacheProvider {
  readonly entries = new Map<string, string>();
  async saveAsync(key: string, value: string): Promise<CacheItem> {
    this.entries.set(key, value);
    return { value, createdAt: Date.now() };
  }
  async getAsync(key: string) {
    return this.entries.get(key) ?? null;
  }
  async removeAsync(key: string | null) {
    if (key === null) return null;
    const value = this.entries.get(key) ?? null;
    this.entries.delete(key);
    return value;
  }
}

const BASE_URL = "https://pratiche.example.it";
const ACS = `${BASE_URL}/auth/saml/acs`;
const SP_ENTITY = `${BASE_URL}/auth/saml/metadata`;
const ROSSI = { fiscalCode: "RSSMRA80A01H501U", name: "Mario", familyName: "Rossi", email: "mario.rossi@example.it" };
const RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";

let spKeys: KeyPair;
let idpKeys: KeyPair;
let rogueKeys: KeyPair;
let idp: TestIdp;

beforeAll(async () => {
  [spKeys, idpKeys, rogueKeys] = await Promise.all([generateKeyPair("sp"), generateKeyPair("test-idp"), generateKeyPair("rogue")]);
  idp = createTestIdp({ baseUrl: BASE_URL, idpKey: idpKeys.privateKeyPem, idpCert: idpKeys.certPem, spCert: spKeys.certPem });
});

function newSp(overrides: Partial<ServiceProviderOptions> = {}) {
  const cache = new TestOnlyInMemoryRequestCache();
  const sp = createServiceProvider({
    baseUrl: BASE_URL,
    spKey: spKeys.privateKeyPem,
    spCert: spKeys.certPem,
    idpSsoUrl: idp.ssoUrl,
    idpEntityId: idp.entityId,
    idpCerts: [idpKeys.certPem],
    cacheProvider: cache,
    ...overrides,
  });
  return { sp, cache };
}

/** A sign-in started as a browser would: the SP's redirect, read by the test IdP. */
async function login(sp = newSp().sp, relayState = "/enti") {
  const url = await sp.loginRedirectUrl(relayState);
  return { url, request: await idp.parseAuthnRequest(new URL(url).search.slice(1)) };
}

/** A fresh SP, a request it issued, and the IdP's answer to it (with optional faults). */
async function answered(overrides: Partial<ResponseOptions> = {}, spOverrides: Partial<ServiceProviderOptions> = {}) {
  const { sp, cache } = newSp(spOverrides);
  const { request } = await login(sp);
  const samlResponse = idp.buildSignedResponse({
    inResponseTo: request.id,
    acsUrl: request.acsUrl,
    audience: request.issuer,
    identity: ROSSI,
    ...overrides,
  });
  return { sp, cache, request, samlResponse };
}

async function expectRefused(promise: Promise<unknown>, reason: SamlRefusal) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, `expected a refusal for "${reason}"`).toBeInstanceOf(SamlError);
  expect((error as SamlError).reason).toBe(reason);
  // User-facing text is Italian and never the technical detail.
  expect((error as SamlError).message).toMatch(/risposta di autenticazione|autenticazione/);
  expect((error as SamlError).message).not.toBe((error as SamlError).detail);
}

function editXml(samlResponse: string, edit: (xml: string) => string) {
  const xml = Buffer.from(samlResponse, "base64").toString("utf8");
  const edited = edit(xml);
  // Guards against a test that "tampers" with nothing and so proves nothing.
  expect(edited).not.toBe(xml);
  return Buffer.from(edited, "utf8").toString("base64");
}

function inflatedRequest(url: string) {
  const samlRequest = new URL(url).searchParams.get("SAMLRequest")!;
  return zlib.inflateRawSync(Buffer.from(samlRequest, "base64")).toString("utf8");
}

const parse = (xml: string) => new DOMParser().parseFromString(xml, "text/xml");

describe("SAML round trip with the test IdP", () => {
  it("accepts a valid response and returns the fiscal code and identity", async () => {
    const { sp, request, samlResponse } = await answered();
    expect(request.relayState).toBe("/enti");
    expect(request.acsUrl).toBe(ACS);
    expect(request.issuer).toBe(SP_ENTITY);
    const identity = await sp.validatePostResponse({ SAMLResponse: samlResponse, RelayState: "/enti" });
    expect(identity.fiscalCode).toBe(ROSSI.fiscalCode);
    expect(identity.issuer).toBe(idp.entityId);
    expect(identity.inResponseTo).toBe(request.id);
    expect(identity.nameId).toMatch(/^_[0-9a-f]{24}$/);
    expect(identity.sessionIndex).toMatch(/^_[0-9a-f]{32}$/);
    expect(identity.authnContext).toBe("https://www.spid.gov.it/SpidL2");
    expect(identity.attributes).toMatchObject({
      fiscalNumber: `TINIT-${ROSSI.fiscalCode}`,
      name: "Mario",
      familyName: "Rossi",
      email: "mario.rossi@example.it",
    });
  });

  it("saves the request id when redirecting and removes it once answered", async () => {
    const { sp, cache } = newSp();
    const { request } = await login(sp);
    expect(cache.entries.has(request.id)).toBe(true);
    const samlResponse = idp.buildSignedResponse({ inResponseTo: request.id, acsUrl: ACS, audience: SP_ENTITY, identity: ROSSI });
    await sp.validatePostResponse({ SAMLResponse: samlResponse });
    expect(cache.entries.has(request.id)).toBe(false);
  });

  it("normalises the fiscal number: prefix stripped, upper case; accepts an 11-digit code", async () => {
    const lower = await answered({ fiscalNumber: "tinit-rssmra80a01h501u" });
    expect((await lower.sp.validatePostResponse({ SAMLResponse: lower.samlResponse })).fiscalCode).toBe("RSSMRA80A01H501U");
    const company = await answered({ fiscalNumber: "TINIT-01234567890" });
    expect((await company.sp.validatePostResponse({ SAMLResponse: company.samlResponse })).fiscalCode).toBe("01234567890");
  });

  it("accepts SpidL3 where L2 was asked (Comparison minimum)", async () => {
    const { sp, samlResponse } = await answered({ authnContextClassRef: "https://www.spid.gov.it/SpidL3" });
    expect((await sp.validatePostResponse({ SAMLResponse: samlResponse })).authnContext).toBe("https://www.spid.gov.it/SpidL3");
  });

  it("accepts a response from any of the configured IdP certificates (key rollover)", async () => {
    const { sp, samlResponse } = await answered(
      { signWith: { key: rogueKeys.privateKeyPem, cert: rogueKeys.certPem } },
      { idpCerts: [idpKeys.certPem, rogueKeys.certPem] },
    );
    expect((await sp.validatePostResponse({ SAMLResponse: samlResponse })).fiscalCode).toBe(ROSSI.fiscalCode);
  });
});

describe("SAML responses that must be refused", () => {
  it("tampered: fiscal number changed after signing", async () => {
    const { sp, samlResponse } = await answered();
    const tampered = editXml(samlResponse, (xml) => xml.replace(`TINIT-${ROSSI.fiscalCode}`, "TINIT-BNCGLI85C41F205X"));
    await expectRefused(sp.validatePostResponse({ SAMLResponse: tampered }), "signature");
  });

  it("tampered: e-mail attribute text changed after signing", async () => {
    const { sp, samlResponse } = await answered();
    const tampered = editXml(samlResponse, (xml) => xml.replace(ROSSI.email, "attaccante@example.it"));
    await expectRefused(sp.validatePostResponse({ SAMLResponse: tampered }), "signature");
  });

  it("tampered: a second, unsigned assertion slipped in (signature wrapping)", async () => {
    const { sp, samlResponse } = await answered();
    const tampered = editXml(samlResponse, (xml) => {
      const start = xml.indexOf("<saml:Assertion");
      const end = xml.indexOf("</saml:Assertion>") + "</saml:Assertion>".length;
      const forged = xml
        .slice(start, end)
        .replace(/<ds:Signature[\s\S]*?<\/ds:Signature>/, "")
        .replace(/ID="[^"]+"/, 'ID="_forged"')
        .replace(`TINIT-${ROSSI.fiscalCode}`, "TINIT-BNCGLI85C41F205X");
      return xml.slice(0, start) + forged + xml.slice(start);
    });
    await expectRefused(sp.validatePostResponse({ SAMLResponse: tampered }), "signature");
  });

  it("unsigned", async () => {
    const { sp, samlResponse } = await answered({ sign: "none" });
    await expectRefused(sp.validatePostResponse({ SAMLResponse: samlResponse }), "signature");
  });

  it("assertion signed but not the Response (SPID wants both)", async () => {
    const { sp, samlResponse } = await answered({ sign: "assertion" });
    await expectRefused(sp.validatePostResponse({ SAMLResponse: samlResponse }), "signature");
  });

  it("Response signed but not the assertion", async () => {
    const { sp, samlResponse } = await answered({ sign: "response" });
    await expectRefused(sp.validatePostResponse({ SAMLResponse: samlResponse }), "signature");
  });

  it("signed by another key than the configured IdP's", async () => {
    const { sp, samlResponse } = await answered({ signWith: { key: rogueKeys.privateKeyPem, cert: rogueKeys.certPem } });
    await expectRefused(sp.validatePostResponse({ SAMLResponse: samlResponse }), "signature");
  });

  it("expired (issued an hour ago, valid five minutes)", async () => {
    const { sp, samlResponse } = await answered({ now: new Date(Date.now() - 3_600_000), notOnOrAfterSeconds: 300 });
    await expectRefused(sp.validatePostResponse({ SAMLResponse: samlResponse }), "expired");
  });

  it("expired by the SP's clock (injected `now`), past the clock skew", async () => {
    const later = () => new Date(Date.now() + 300_000 + 31_000);
    const { sp, samlResponse } = await answered({ notOnOrAfterSeconds: 300 }, { now: later });
    await expectRefused(sp.validatePostResponse({ SAMLResponse: samlResponse }), "expired");
  });

  it("still accepted within the clock skew after NotOnOrAfter", async () => {
    const { sp, samlResponse } = await answered({ notOnOrAfterSeconds: 300 }, { now: () => new Date(Date.now() + 300_000 + 10_000) });
    expect((await sp.validatePostResponse({ SAMLResponse: samlResponse })).fiscalCode).toBe(ROSSI.fiscalCode);
  });

  it("expired: Conditions still valid but SubjectConfirmationData not", async () => {
    const { sp, samlResponse } = await answered({ notOnOrAfterSeconds: 600, subjectNotOnOrAfterSeconds: 60 }, { now: () => new Date(Date.now() + 120_000) });
    await expectRefused(sp.validatePostResponse({ SAMLResponse: samlResponse }), "expired");
  });

  it("expired: SubjectConfirmationData still valid but Conditions not", async () => {
    const { sp, samlResponse } = await answered({ notOnOrAfterSeconds: 60, subjectNotOnOrAfterSeconds: 600 }, { now: () => new Date(Date.now() + 120_000) });
    await expectRefused(sp.validatePostResponse({ SAMLResponse: samlResponse }), "expired");
  });

  it("not yet valid: Conditions NotBefore in the future, issued now", async () => {
    const { sp, samlResponse } = await answered({ notBeforeSeconds: 120 });
    await expectRefused(sp.validatePostResponse({ SAMLResponse: samlResponse }), "not_yet_valid");
  });

  it("not yet valid (issued ten minutes in the future)", async () => {
    const { sp, samlResponse } = await answered({ now: new Date(Date.now() + 600_000) });
    await expectRefused(sp.validatePostResponse({ SAMLResponse: samlResponse }), "not_yet_valid");
  });

  it("replayed: the same response a second time", async () => {
    const { sp, samlResponse } = await answered();
    expect((await sp.validatePostResponse({ SAMLResponse: samlResponse })).fiscalCode).toBe(ROSSI.fiscalCode);
    await expectRefused(sp.validatePostResponse({ SAMLResponse: samlResponse }), "in_response_to");
  });

  it("unsolicited: InResponseTo never issued", async () => {
    const { sp, samlResponse } = await answered({ inResponseTo: "_never-issued-by-us" });
    await expectRefused(sp.validatePostResponse({ SAMLResponse: samlResponse }), "in_response_to");
  });

  it("unsolicited: no InResponseTo at all (IdP-initiated)", async () => {
    const { sp, samlResponse } = await answered({ inResponseTo: undefined });
    await expectRefused(sp.validatePostResponse({ SAMLResponse: samlResponse }), "in_response_to");
  });

  it("issued by another SP instance: its request id is not in our cache", async () => {
    const other = newSp().sp;
    const { request } = await login(other);
    const { sp } = newSp();
    const samlResponse = idp.buildSignedResponse({ inResponseTo: request.id, acsUrl: ACS, audience: SP_ENTITY, identity: ROSSI });
    await expectRefused(sp.validatePostResponse({ SAMLResponse: samlResponse }), "in_response_to");
  });

  it("SubjectConfirmationData without InResponseTo (node-saml would not consume the id)", async () => {
    const { sp, samlResponse } = await answered({ subjectInResponseTo: null });
    await expectRefused(sp.validatePostResponse({ SAMLResponse: samlResponse }), "in_response_to");
  });

  it("SubjectConfirmationData answering another request than the Response", async () => {
    const { sp } = newSp();
    const first = await login(sp);
    const second = await login(sp);
    const samlResponse = idp.buildSignedResponse({
      inResponseTo: first.request.id,
      subjectInResponseTo: second.request.id,
      acsUrl: ACS,
      audience: SP_ENTITY,
      identity: ROSSI,
    });
    await expectRefused(sp.validatePostResponse({ SAMLResponse: samlResponse }), "in_response_to");
  });

  it("wrong audience", async () => {
    const { sp, samlResponse } = await answered({ audience: "https://altro-servizio.example.it/metadata" });
    await expectRefused(sp.validatePostResponse({ SAMLResponse: samlResponse }), "audience");
  });

  it("wrong destination", async () => {
    const { sp, samlResponse } = await answered({ acsUrl: "https://altro-servizio.example.it/acs" });
    await expectRefused(sp.validatePostResponse({ SAMLResponse: samlResponse }), "destination");
  });

  it("wrong Destination with the right Recipient", async () => {
    const { sp, samlResponse } = await answered({ acsUrl: "https://altro-servizio.example.it/acs", recipient: ACS });
    await expectRefused(sp.validatePostResponse({ SAMLResponse: samlResponse }), "destination");
  });

  it("right Destination but wrong SubjectConfirmationData Recipient", async () => {
    const { sp, samlResponse } = await answered({ recipient: "https://altro-servizio.example.it/acs" });
    await expectRefused(sp.validatePostResponse({ SAMLResponse: samlResponse }), "destination");
  });

  it("wrong issuer, even though signed with the trusted key", async () => {
    const { sp, samlResponse } = await answered({ issuer: "https://idp-sconosciuto.example.it" });
    await expectRefused(sp.validatePostResponse({ SAMLResponse: samlResponse }), "issuer");
  });

  it("right Response issuer but wrong Assertion issuer", async () => {
    const { sp, samlResponse } = await answered({ assertionIssuer: "https://idp-sconosciuto.example.it" });
    await expectRefused(sp.validatePostResponse({ SAMLResponse: samlResponse }), "issuer");
  });

  it("right Assertion issuer but wrong Response issuer", async () => {
    const { sp, samlResponse } = await answered({ issuer: "https://idp-sconosciuto.example.it", assertionIssuer: idp.entityId });
    await expectRefused(sp.validatePostResponse({ SAMLResponse: samlResponse }), "issuer");
  });

  it("authentication level below SpidL2", async () => {
    const { sp, samlResponse } = await answered({ authnContextClassRef: "https://www.spid.gov.it/SpidL1" });
    await expectRefused(sp.validatePostResponse({ SAMLResponse: samlResponse }), "authn_context");
  });

  it("fiscal number missing", async () => {
    const { sp, samlResponse } = await answered({ fiscalNumber: null });
    await expectRefused(sp.validatePostResponse({ SAMLResponse: samlResponse }), "attribute");
  });

  it("fiscal number malformed", async () => {
    const { sp, samlResponse } = await answered({ fiscalNumber: "TINIT-RSSMRA80A01" });
    await expectRefused(sp.validatePostResponse({ SAMLResponse: samlResponse }), "attribute");
  });

  it("not base64, not XML, not a Response", async () => {
    const { sp } = newSp();
    await expectRefused(sp.validatePostResponse({ SAMLResponse: "<xml>non base64</xml>" }), "malformed");
    await expectRefused(sp.validatePostResponse({ SAMLResponse: Buffer.from("solo testo").toString("base64") }), "malformed");
    const notResponse = Buffer.from('<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>').toString("base64");
    await expectRefused(sp.validatePostResponse({ SAMLResponse: notResponse }), "malformed");
  });
});

/** An instant `seconds` from the request's IssueInstant, to the second, as IdPs write it. */
function instantFrom(request: { xml: string }, seconds: number) {
  const issued = Date.parse(/IssueInstant="([^"]+)"/.exec(request.xml)![1]!);
  return new Date(issued + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** A fresh SP, a request it issued, and the IdP's answer built from that request (with faults). */
async function answeredFor(build: (request: { xml: string }) => Partial<ResponseOptions>, spOverrides: Partial<ServiceProviderOptions> = {}) {
  const { sp } = newSp(spOverrides);
  const { request } = await login(sp);
  const samlResponse = idp.buildSignedResponse({ inResponseTo: request.id, acsUrl: request.acsUrl, audience: request.issuer, identity: ROSSI, ...build(request) });
  return { sp, request, samlResponse };
}

// The cases AgID's spid-sp-test sends (its test numbers in brackets), each signed by the test IdP.
describe("SPID rules on the signed Response", () => {
  it("[1] accepts the Response and Assertion issued at the request's own instant", async () => {
    const { sp, samlResponse } = await answeredFor((r) => ({ issueInstant: instantFrom(r, 0) }));
    expect((await sp.validatePostResponse({ SAMLResponse: samlResponse })).fiscalCode).toBe(ROSSI.fiscalCode);
  });

  it("[110] accepts an IssueInstant with milliseconds", async () => {
    const { sp, samlResponse } = await answered({ issueInstant: new Date().toISOString() });
    expect(Buffer.from(samlResponse, "base64").toString()).toMatch(/IssueInstant="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"/);
    expect((await sp.validatePostResponse({ SAMLResponse: samlResponse })).fiscalCode).toBe(ROSSI.fiscalCode);
  });

  it("[110] accepts an IssueInstant with microseconds", async () => {
    const { sp, samlResponse } = await answered({ issueInstant: new Date().toISOString().replace("Z", "456Z") });
    expect((await sp.validatePostResponse({ SAMLResponse: samlResponse })).fiscalCode).toBe(ROSSI.fiscalCode);
  });

  it("[10] refuses a Response whose Version is not 2.0", async () => {
    const { sp, samlResponse } = await answered({ version: "1.0", assertionVersion: "2.0" });
    await expectRefused(sp.validatePostResponse({ SAMLResponse: samlResponse }), "version");
  });

  it("[35] refuses an Assertion whose Version is not 2.0", async () => {
    const { sp, samlResponse } = await answered({ assertionVersion: "1.0" });
    await expectRefused(sp.validatePostResponse({ SAMLResponse: samlResponse }), "version");
  });

  it("[14] refuses a Response issued before the request (2018)", async () => {
    const { sp, samlResponse } = await answeredFor((r) => ({ issueInstant: "2018-01-01T00:00:00Z", assertionIssueInstant: instantFrom(r, 0) }));
    await expectRefused(sp.validatePostResponse({ SAMLResponse: samlResponse }), "issue_instant");
  });

  it("[14] refuses a Response issued a minute before the request, past the clock skew", async () => {
    const { sp, samlResponse } = await answeredFor((r) => ({ issueInstant: instantFrom(r, -60), assertionIssueInstant: instantFrom(r, 0) }));
    await expectRefused(sp.validatePostResponse({ SAMLResponse: samlResponse }), "issue_instant");
  });

  it("[39] refuses an Assertion issued before the request (2000)", async () => {
    const { sp, samlResponse } = await answeredFor((r) => ({ issueInstant: instantFrom(r, 0), assertionIssueInstant: "2000-01-01T12:00:00Z" }));
    await expectRefused(sp.validatePostResponse({ SAMLResponse: samlResponse }), "issue_instant");
  });

  it("refuses a Response issued after the request's lifetime (ten minutes)", async () => {
    const later = new Date(Date.now() + 11 * 60_000);
    const { sp, samlResponse } = await answered({ now: later }, { now: () => later });
    await expectRefused(sp.validatePostResponse({ SAMLResponse: samlResponse }), "issue_instant");
  });

  it("[30] refuses a Response Issuer whose Format is not entity", async () => {
    const { sp, samlResponse } = await answered({ issuerFormat: "urn:oasis:names:tc:SAML:2.0:nameid-format:diversodaentity", assertionIssuerFormat: undefined });
    await expectRefused(sp.validatePostResponse({ SAMLResponse: samlResponse }), "issuer");
  });

  it("[31] accepts a Response Issuer without Format", async () => {
    const { sp, samlResponse } = await answered({ issuerFormat: null });
    expect(Buffer.from(samlResponse, "base64").toString()).toMatch(/<samlp:Response[^>]*><saml:Issuer>/);
    expect((await sp.validatePostResponse({ SAMLResponse: samlResponse })).fiscalCode).toBe(ROSSI.fiscalCode);
  });

  it("[70] refuses an Assertion Issuer whose Format is empty", async () => {
    const { sp, samlResponse } = await answered({ assertionIssuerFormat: "" });
    await expectRefused(sp.validatePostResponse({ SAMLResponse: samlResponse }), "issuer");
  });

  it("[71] refuses an Assertion Issuer without Format", async () => {
    const { sp, samlResponse } = await answered({ assertionIssuerFormat: null });
    await expectRefused(sp.validatePostResponse({ SAMLResponse: samlResponse }), "issuer");
  });

  it("[72] refuses an Assertion Issuer whose Format is not entity", async () => {
    const { sp, samlResponse } = await answered({ assertionIssuerFormat: "urn:oasis:names:tc:SAML:2.0:nameid-format:diversodaentity" });
    await expectRefused(sp.validatePostResponse({ SAMLResponse: samlResponse }), "issuer");
  });

  it("[43] refuses an empty NameID", async () => {
    const { sp, samlResponse } = await answered({ nameId: "" });
    await expectRefused(sp.validatePostResponse({ SAMLResponse: samlResponse }), "name_id");
  });

  it("[44] refuses an Assertion without NameID", async () => {
    const { sp, samlResponse } = await answered({ nameId: null });
    await expectRefused(sp.validatePostResponse({ SAMLResponse: samlResponse }), "name_id");
  });

  it("[45] refuses a NameID whose Format is empty", async () => {
    const { sp, samlResponse } = await answered({ nameIdFormat: "" });
    await expectRefused(sp.validatePostResponse({ SAMLResponse: samlResponse }), "name_id");
  });

  it("[46] refuses a NameID without Format", async () => {
    const { sp, samlResponse } = await answered({ nameIdFormat: null });
    await expectRefused(sp.validatePostResponse({ SAMLResponse: samlResponse }), "name_id");
  });

  it("[47] refuses a NameID whose Format is not transient", async () => {
    const { sp, samlResponse } = await answered({ nameIdFormat: "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent" });
    await expectRefused(sp.validatePostResponse({ SAMLResponse: samlResponse }), "name_id");
  });

  it("[48] refuses a NameID whose NameQualifier is empty", async () => {
    const { sp, samlResponse } = await answered({ nameQualifier: "" });
    await expectRefused(sp.validatePostResponse({ SAMLResponse: samlResponse }), "name_id");
  });

  it("[49] refuses a NameID without NameQualifier", async () => {
    const { sp, samlResponse } = await answered({ nameQualifier: null });
    await expectRefused(sp.validatePostResponse({ SAMLResponse: samlResponse }), "name_id");
  });

  it("reads the signed element only: a Version fixed after signing breaks the signature", async () => {
    const { sp, samlResponse } = await answered({ assertionVersion: "1.0" });
    const fixed = editXml(samlResponse, (xml) => xml.replace('Version="1.0"', 'Version="2.0"'));
    await expectRefused(sp.validatePostResponse({ SAMLResponse: fixed }), "signature");
  });
});

describe("IdP failure answers (SPID anomalies 19–25)", () => {
  async function refusedWith(promise: Promise<unknown>) {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SamlError);
    return error as SamlError;
  }

  const EXPECTED: Record<number, RegExp> = {
    19: /ripetuta sottomissione di credenziali errate/,
    20: /privo di credenziali compatibili con il livello/,
    21: /Timeout durante l'autenticazione/,
    22: /negato il consenso/,
    23: /identità sospesa\/revocata o con credenziali bloccate/,
    25: /annullato dall'utente/,
  };

  for (const code of [19, 20, 21, 22, 23, 25])
    it(`ErrorCode nr${code}: refused with the SPID message, unsigned as AgID's validator sends it`, async () => {
      const { sp, samlResponse } = await answered({ failure: { statusMessage: `ErrorCode nr${code}` }, sign: "none" });
      const error = await refusedWith(sp.validatePostResponse({ SAMLResponse: samlResponse }));
      expect(error.reason).toBe("idp_error");
      expect(error.anomaly?.code).toBe(code);
      expect(error.message).toMatch(EXPECTED[code]!);
    });

  it("ErrorCode nr22 signed by the IdP gives the same message", async () => {
    const { sp, samlResponse } = await answered({ failure: { statusMessage: "ErrorCode nr22" } });
    expect(Buffer.from(samlResponse, "base64").toString()).toContain("<ds:Signature");
    expect((await refusedWith(sp.validatePostResponse({ SAMLResponse: samlResponse }))).anomaly?.code).toBe(22);
  });

  it("a failure without a known ErrorCode is the generic status refusal", async () => {
    const { sp, samlResponse } = await answered({ failure: { statusMessage: "qualcosa" } });
    await expectRefused(sp.validatePostResponse({ SAMLResponse: samlResponse }), "status");
  });

  it("a failure answering no pending request is refused as unsolicited, its message not shown", async () => {
    const { sp, samlResponse } = await answered({ inResponseTo: "_never-issued-by-us", failure: { statusMessage: "ErrorCode nr23" } });
    const error = await refusedWith(sp.validatePostResponse({ SAMLResponse: samlResponse }));
    expect([error.reason, error.anomaly]).toEqual(["in_response_to", undefined]);
  });
});

describe("IdP certificate validity", () => {
  const DAY = 86_400_000;

  it("refuses a response signed with an expired IdP certificate", async () => {
    const expired = await generateKeyPair("idp-expired", { notBefore: new Date(Date.now() - 400 * DAY), notAfter: new Date(Date.now() - DAY) });
    const { sp, samlResponse } = await answered({ signWith: { key: expired.privateKeyPem, cert: expired.certPem } }, { idpCerts: [expired.certPem] });
    await expectRefused(sp.validatePostResponse({ SAMLResponse: samlResponse }), "idp_certificate");
  });

  it("refuses a response signed with a not-yet-valid IdP certificate", async () => {
    const future = await generateKeyPair("idp-future", { notBefore: new Date(Date.now() + DAY), notAfter: new Date(Date.now() + 400 * DAY) });
    const { sp, samlResponse } = await answered({ signWith: { key: future.privateKeyPem, cert: future.certPem } }, { idpCerts: [future.certPem] });
    await expectRefused(sp.validatePostResponse({ SAMLResponse: samlResponse }), "idp_certificate");
  });

  it("judges validity by the SP's clock: the same certificate is refused once it has expired", async () => {
    const short = await generateKeyPair("idp-short", { notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + DAY) });
    const signWith = { key: short.privateKeyPem, cert: short.certPem };
    const today = await answered({ signWith }, { idpCerts: [short.certPem] });
    expect((await today.sp.validatePostResponse({ SAMLResponse: today.samlResponse })).fiscalCode).toBe(ROSSI.fiscalCode);
    const inTwoDays = new Date(Date.now() + 2 * DAY);
    const later = await answered({ signWith, now: inTwoDays }, { idpCerts: [short.certPem], now: () => inTwoDays });
    await expectRefused(later.sp.validatePostResponse({ SAMLResponse: later.samlResponse }), "idp_certificate");
  });

  it("keeps accepting the valid certificate when an expired one is still configured beside it", async () => {
    const expired = await generateKeyPair("idp-old", { notBefore: new Date(Date.now() - 400 * DAY), notAfter: new Date(Date.now() - DAY) });
    const { sp, samlResponse } = await answered({}, { idpCerts: [expired.certPem, idpKeys.certPem] });
    expect((await sp.validatePostResponse({ SAMLResponse: samlResponse })).fiscalCode).toBe(ROSSI.fiscalCode);
  });
});

describe("AuthnRequest (HTTP-Redirect)", () => {
  it("carries NameIDPolicy without AllowCreate, as the SPID rules ask", async () => {
    const { url } = await login();
    const policy = parse(inflatedRequest(url)).getElementsByTagNameNS("urn:oasis:names:tc:SAML:2.0:protocol", "NameIDPolicy")[0]!;
    expect(policy.getAttribute("Format")).toBe("urn:oasis:names:tc:SAML:2.0:nameid-format:transient");
    expect(policy.hasAttribute("AllowCreate")).toBe(false);
  });


  it("is signed RSA-SHA256 and asks SpidL2 (minimum), ForceAuthn and a transient NameID", async () => {
    const { url, request } = await login();
    const query = new URL(url).searchParams;
    expect(new URL(url).origin + new URL(url).pathname).toBe(idp.ssoUrl);
    expect(query.get("SigAlg")).toBe(RSA_SHA256);
    expect(query.get("Signature")).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(query.get("RelayState")).toBe("/enti");
    const xml = inflatedRequest(url);
    expect(xml).toContain('ForceAuthn="true"');
    expect(xml).toMatch(/<samlp:RequestedAuthnContext[^>]*Comparison="minimum"[^>]*>\s*<saml:AuthnContextClassRef[^>]*>https:\/\/www\.spid\.gov\.it\/SpidL2</);
    expect(xml).toMatch(/<samlp:NameIDPolicy[^>]*Format="urn:oasis:names:tc:SAML:2.0:nameid-format:transient"/);
    expect(xml).toContain('AttributeConsumingServiceIndex="0"');
    expect(xml).toContain(`AssertionConsumerServiceURL="${ACS}"`);
    expect(xml).toContain(`Destination="${idp.ssoUrl}"`);
    expect(request.forceAuthn).toBe(true);
  });

  it("carries the SPID Issuer attributes NameQualifier and Format", async () => {
    const { url } = await login();
    const issuer = parse(inflatedRequest(url)).getElementsByTagNameNS("urn:oasis:names:tc:SAML:2.0:assertion", "Issuer")[0]!;
    expect(issuer.textContent).toBe(SP_ENTITY);
    expect(issuer.getAttribute("NameQualifier")).toBe(SP_ENTITY);
    expect(issuer.getAttribute("Format")).toBe("urn:oasis:names:tc:SAML:2.0:nameid-format:entity");
  });

  it("signs exactly the octets on the wire, even for RelayStates with spaces and !'()*~", async () => {
    const relayState = "/pratiche?q=mario rossi&x=(1)!'*~";
    const { sp } = newSp();
    const url = await sp.loginRedirectUrl(relayState);
    const wire = new URL(url).search.slice(1);
    // Verified here independently of the test IdP: the binding spec signs the received encoding.
    const raw = Object.fromEntries(wire.split("&").map((p) => [p.slice(0, p.indexOf("=")), p.slice(p.indexOf("=") + 1)]));
    const octets = `SAMLRequest=${raw.SAMLRequest}&RelayState=${raw.RelayState}&SigAlg=${raw.SigAlg}`;
    const signature = Buffer.from(decodeURIComponent(raw.Signature!), "base64");
    expect(crypto.createVerify("RSA-SHA256").update(octets).verify(spKeys.certPem, signature)).toBe(true);
    expect((await idp.parseAuthnRequest(wire)).relayState).toBe(relayState);
    expect((await idp.parseAuthnRequest(new URL(url).searchParams)).relayState).toBe(relayState);
  });

  it("omits RelayState when none is given, and the IdP still verifies it", async () => {
    const { sp } = newSp();
    const url = await sp.loginRedirectUrl();
    expect(new URL(url).searchParams.has("RelayState")).toBe(false);
    expect((await idp.parseAuthnRequest(new URL(url).search)).relayState).toBeUndefined();
  });

  it("the test IdP refuses a redirect query that was altered, unsigned, spliced or repeated", async () => {
    const { url } = await login(newSp().sp, "/enti");
    const wire = new URL(url).search.slice(1);
    await expect(idp.parseAuthnRequest(wire.replace(/RelayState=[^&]*/, "RelayState=%2Fadmin"))).rejects.toThrow(/firma della richiesta non valida/);
    await expect(idp.parseAuthnRequest(wire.replace(/&Signature=[^&]*/, ""))).rejects.toThrow(/non firmata/);
    await expect(idp.parseAuthnRequest(wire.replace(/&SigAlg=[^&]*/, ""))).rejects.toThrow(/non firmata/);

    const other = new URL((await login()).url).search.slice(1);
    const otherRequest = /SAMLRequest=[^&]*/.exec(other)![0];
    await expect(idp.parseAuthnRequest(wire.replace(/SAMLRequest=[^&]*/, otherRequest))).rejects.toThrow(/firma della richiesta non valida/);
    // The first copy would be read, the last one verified, if repeats were tolerated.
    await expect(idp.parseAuthnRequest(`${otherRequest}&${wire}`)).rejects.toThrow(/ripetuto/);
    await expect(idp.parseAuthnRequest(new URLSearchParams(`${otherRequest}&${wire}`))).rejects.toThrow(/ripetuto/);

    const tamperedParams = new URL(url).searchParams;
    tamperedParams.set("RelayState", "/admin");
    await expect(idp.parseAuthnRequest(tamperedParams)).rejects.toThrow(/firma della richiesta non valida/);
  });

  it("the test IdP refuses a request signed by a key other than the SP's", async () => {
    const { sp } = newSp({ spKey: rogueKeys.privateKeyPem, spCert: rogueKeys.certPem });
    const url = await sp.loginRedirectUrl("/enti");
    await expect(idp.parseAuthnRequest(new URL(url).search.slice(1))).rejects.toThrow(/firma della richiesta non valida/);
  });
});

describe("SP metadata", () => {
  const MD = "urn:oasis:names:tc:SAML:2.0:metadata";
  const DS = "http://www.w3.org/2000/09/xmldsig#";

  /** Strict check: one enveloped RSA-SHA256 signature, first child of the root, covering the root. */
  function verifyMetadata(xml: string, cert: string): boolean {
    const root = parse(xml).documentElement!;
    const first = Array.from(root.childNodes).find((n) => n.nodeType === 1) as Element;
    if (first.localName !== "Signature" || first.namespaceURI !== DS) return false;
    const sig = new SignedXml({ publicCert: cert });
    sig.loadSignature(first);
    const refs = sig.getReferences();
    if (refs.length !== 1 || refs[0]!.uri !== `#${root.getAttribute("ID")}`) return false;
    if (first.getElementsByTagNameNS(DS, "SignatureMethod")[0]!.getAttribute("Algorithm") !== RSA_SHA256) return false;
    try {
      return sig.checkSignature(xml) && sig.getSignedReferences().length === 1;
    } catch {
      return false;
    }
  }

  it("is signed with the SP key and the signature breaks when the content changes", () => {
    const xml = newSp().sp.metadataXml();
    expect(verifyMetadata(xml, spKeys.certPem)).toBe(true);
    expect(verifyMetadata(xml, rogueKeys.certPem)).toBe(false);
    expect(verifyMetadata(xml.replace(ACS, "https://attaccante.example.it/acs"), spKeys.certPem)).toBe(false);
  });

  it("describes the SP as the SPID rules ask", () => {
    const { sp } = newSp({
      organization: { name: "Regione Esempio", displayName: "Regione Esempio", url: "https://regione.example.it", contactEmail: "spid@regione.example.it", ipaCode: "r_esempio" },
      serviceName: "Monitoraggio pratiche",
    });
    const doc = parse(sp.metadataXml());
    const root = doc.documentElement!;
    const one = (name: string) => {
      const all = doc.getElementsByTagNameNS(MD, name);
      expect(all.length, name).toBe(1);
      return all[0]!;
    };
    expect(root.getAttribute("entityID")).toBe(SP_ENTITY);
    const spsso = one("SPSSODescriptor");
    expect(spsso.getAttribute("AuthnRequestsSigned")).toBe("true");
    expect(spsso.getAttribute("WantAssertionsSigned")).toBe("true");
    const keyDescriptor = one("KeyDescriptor");
    expect(keyDescriptor.getAttribute("use")).toBe("signing");
    const certInMetadata = keyDescriptor.getElementsByTagNameNS(DS, "X509Certificate")[0]!.textContent!;
    expect(new crypto.X509Certificate(Buffer.from(certInMetadata, "base64")).fingerprint256).toBe(new crypto.X509Certificate(spKeys.certPem).fingerprint256);

    const acs = one("AssertionConsumerService");
    expect([acs.getAttribute("index"), acs.getAttribute("isDefault"), acs.getAttribute("Binding"), acs.getAttribute("Location")]).toEqual([
      "0",
      "true",
      "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST",
      ACS,
    ]);
    const slo = Array.from(doc.getElementsByTagNameNS(MD, "SingleLogoutService"));
    expect(slo.map((e) => e.getAttribute("Location"))).toContain(`${BASE_URL}/auth/logout/saml`);
    expect(slo.map((e) => e.getAttribute("Binding"))).toContain("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect");
    expect(one("NameIDFormat").textContent).toBe("urn:oasis:names:tc:SAML:2.0:nameid-format:transient");

    const attrService = one("AttributeConsumingService");
    expect(attrService.getAttribute("index")).toBe("0");
    const serviceName = one("ServiceName");
    expect([serviceName.getAttribute("xml:lang"), serviceName.textContent]).toEqual(["it", "Monitoraggio pratiche"]);
    expect(Array.from(doc.getElementsByTagNameNS(MD, "RequestedAttribute")).map((e) => e.getAttribute("Name"))).toEqual([
      "fiscalNumber",
      "name",
      "familyName",
      "email",
    ]);

    one("Organization");
    expect(one("OrganizationName").getAttribute("xml:lang")).toBe("it");
    expect(one("OrganizationName").textContent).toBe("Regione Esempio");
    expect(one("OrganizationDisplayName").getAttribute("xml:lang")).toBe("it");
    expect(one("OrganizationURL").textContent).toBe("https://regione.example.it");
    expect(one("ContactPerson").getAttribute("contactType")).toBe("other");
    expect(one("EmailAddress").textContent).toBe("spid@regione.example.it");
    const spidNs = "https://spid.gov.it/saml-extensions";
    expect(doc.getElementsByTagNameNS(spidNs, "IPACode")[0]?.textContent).toBe("r_esempio");
    expect(doc.getElementsByTagNameNS(spidNs, "Public")).toHaveLength(1);
  });

  it("leaves out the public-administration extensions without an IPA code", () => {
    const doc = parse(newSp().sp.metadataXml());
    expect(doc.getElementsByTagNameNS("https://spid.gov.it/saml-extensions", "IPACode")).toHaveLength(0);
    expect(doc.getElementsByTagNameNS(MD, "ContactPerson")).toHaveLength(1);
  });
});

describe("SAML keys", () => {
  it("generates an RSA-2048 key with a matching self-signed certificate valid ten years", () => {
    const cert = new crypto.X509Certificate(spKeys.certPem);
    expect(cert.subject).toBe("CN=sp");
    expect(cert.issuer).toBe("CN=sp");
    expect(cert.checkPrivateKey(crypto.createPrivateKey(spKeys.privateKeyPem))).toBe(true);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const years = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / (365 * 86_400_000);
    expect(years).toBeGreaterThan(9.9);
    expect(years).toBeLessThan(10.1);
  });

  it("creates the pair once (key mode 0600), then reads the same pair back", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "saml-keys-"));
    try {
      const created = await loadOrCreateKeyPair(path.join(dir, "keys"), "sp");
      expect((fs.statSync(path.join(dir, "keys", "sp.key")).mode & 0o777).toString(8)).toBe("600");
      expect(fs.readFileSync(path.join(dir, "keys", "sp.crt"), "utf8")).toBe(created.certPem);
      expect(await loadOrCreateKeyPair(path.join(dir, "keys"), "sp")).toEqual(created);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a certificate without its key, or a key that does not match its certificate", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "saml-keys-"));
    try {
      fs.writeFileSync(path.join(dir, "lonely.crt"), spKeys.certPem);
      await expect(loadOrCreateKeyPair(dir, "lonely")).rejects.toThrow(/senza la chiave/);
      fs.writeFileSync(path.join(dir, "mixed.crt"), spKeys.certPem);
      fs.writeFileSync(path.join(dir, "mixed.key"), rogueKeys.privateKeyPem, { mode: 0o600 });
      await expect(loadOrCreateKeyPair(dir, "mixed")).rejects.toThrow(/non corrisponde/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
