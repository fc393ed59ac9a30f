import zlib from "node:zlib";
import { and, desc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { generateKeyPair } from "~/auth/keys.server";
import { bindLoginToBrowser } from "~/auth/login-binding.server";
import { getSaml } from "~/auth/saml-runtime.server";
import { verifyDocumentSignature } from "~/auth/saml-xml.server";
import type { ResponseOptions } from "~/auth/test-idp.server";
import * as acs from "~/routes/auth.saml.acs";
import { getDb } from "~db/client";
import { accesses, applicantProfiles, auditLog, failureCounts, sessions, users } from "~db/schema";
import { PEOPLE, seedDemo, statusOf } from "../support/actors";

const BIANCHI = { fiscalCode: PEOPLE.operatore, name: "Giulia", familyName: "Bianchi", email: "g@example.it" };

async function runtime() {
  const { serviceProvider, testIdp } = await getSaml();
  return { sp: serviceProvider, idp: testIdp! };
}

/** Starts a sign-in as a browser would and returns the AuthnRequest the IdP received. */
async function startLogin(relayState = "/enti") {
  const { sp, idp } = await runtime();
  const url = await sp.loginRedirectUrl(relayState);
  return { url, request: await idp.parseAuthnRequest(url.split("?")[1]!) };
}

async function respond(overrides: Partial<ResponseOptions> = {}) {
  const { sp, idp } = await runtime();
  const { request } = await startLogin();
  return idp.buildSignedResponse({ inResponseTo: request.id, acsUrl: sp.acsUrl, audience: sp.entityId, identity: BIANCHI, ...overrides });
}

/** Posts from the browser that started the sign-in: the login binding cookie names the answered request. */
async function post(samlResponse: string, relayState = "/enti") {
  const answered = /InResponseTo="([^"]+)"/.exec(Buffer.from(samlResponse, "base64").toString("utf8"))?.[1] ?? "_none";
  const cookie = (await bindLoginToBrowser(new Request("http://localhost:3999/auth/login"), answered)).split(";")[0]!;
  return statusOf(acs.action, { path: "/auth/saml/acs", cookie, form: { SAMLResponse: samlResponse, RelayState: relayState } });
}

async function sessionCount() {
  return (await getDb().select().from(sessions)).length;
}

/** Anonymous failures are counted per address, action and reason (docs/decisions/0042), not audited one row each. */
async function failuresCounted(reason: string) {
  const rows = await getDb().select().from(failureCounts).where(and(eq(failureCounts.action, "auth.signin"), eq(failureCounts.reason, reason)));
  return rows.reduce((n, r) => n + r.count, 0);
}

async function lastSignInReason() {
  const [row] = await getDb().select().from(auditLog).where(eq(auditLog.action, "auth.signin")).orderBy(desc(auditLog.id)).limit(1);
  return { outcome: row?.outcome, reason: (row?.details as { reason?: string } | undefined)?.reason };
}

async function expectRefused(samlResponse: string, reason: string) {
  const before = await sessionCount();
  const failuresBefore = await failuresCounted(`saml_${reason}`);
  const { status, response } = await post(samlResponse);
  expect(status).toBe(401);
  expect(response!.headers.get("set-cookie")).toBeNull();
  expect(await response!.text()).toContain("Accesso non riuscito");
  expect(await sessionCount()).toBe(before);
  expect(await failuresCounted(`saml_${reason}`)).toBe(failuresBefore + 1);
}

function editXml(samlResponse: string, edit: (xml: string) => string) {
  return Buffer.from(edit(Buffer.from(samlResponse, "base64").toString("utf8"))).toString("base64");
}

beforeAll(seedDemo);

describe("SAML sign-in", () => {
  it("signs in a known person with a valid response and lands on the requested page", async () => {
    const before = await sessionCount();
    const { status, response } = await post(await respond());
    expect(status).toBe(302);
    expect(response!.headers.get("location")).toBe("/enti");
    expect(response!.headers.get("set-cookie")).toMatch(/gp_session=.+; Path=\/; HttpOnly; SameSite=Lax/);
    expect(await sessionCount()).toBe(before + 1);
    expect((await lastSignInReason()).outcome).toBe("success");
  });

  it("refuses a replayed response", async () => {
    const samlResponse = await respond();
    expect((await post(samlResponse)).status).toBe(302);
    const before = await sessionCount();
    const failuresBefore = await failuresCounted("saml_in_response_to");
    const replay = await post(samlResponse);
    expect(replay.status).toBe(401);
    expect(await sessionCount()).toBe(before);
    expect(await failuresCounted("saml_in_response_to")).toBe(failuresBefore + 1);
  });

  it("refuses two concurrent posts of the same response but one", async () => {
    const samlResponse = await respond();
    const before = await sessionCount();
    const results = await Promise.all([post(samlResponse), post(samlResponse), post(samlResponse)]);
    // Losers are refused either by the InResponseTo check or, if they raced past it, by the claim.
    expect(results.filter((r) => r.status === 302)).toHaveLength(1);
    expect(results.filter((r) => r.status === 400 || r.status === 401)).toHaveLength(2);
    expect(await sessionCount()).toBe(before + 1);
  });

  it("signs an unknown person in as an applicant, who asked for an office page and is told how to request access", async () => {
    const before = await sessionCount();
    const { status, response } = await post(await respond({ identity: { ...BIANCHI, fiscalCode: PEOPLE.sconosciuto } }));
    expect(status).toBe(302);
    expect(response!.headers.get("location")).toBe("/accesso-negato");
    expect(response!.headers.get("set-cookie")).toMatch(/gp_session=/);
    expect(await sessionCount()).toBe(before + 1);
    expect(await lastSignInReason()).toEqual({ outcome: "success", reason: "unknown_person" });
  });

  it("creates the applicant profile once from the SAML attributes and lands on the applicant's area", async () => {
    const sofia = { fiscalCode: "RMNSFO88C52H501R", name: "Sofia", familyName: "Romano", email: "sofia@example.it" };
    const first = await post(await respond({ identity: sofia }), "/");
    expect(first.response!.headers.get("location")).toBe("/area-personale");
    const second = await post(await respond({ identity: sofia }), "/");
    expect(second.response!.headers.get("location")).toBe("/area-personale");
    const db = getDb();
    const [user] = await db.select().from(users).where(eq(users.fiscalCode, sofia.fiscalCode));
    expect(user).toMatchObject({ name: "Sofia", surname: "Romano", email: "sofia@example.it" });
    expect(await db.select().from(applicantProfiles).where(eq(applicantProfiles.userId, user!.id))).toHaveLength(1);
    const own = await db.select().from(accesses).where(eq(accesses.userId, user!.id));
    expect(own.map((a) => [a.role, a.status, a.gestoreId, a.orgUnitId, a.expiresAt])).toEqual([["richiedente", "active", null, null, null]]);
  });

  it("refuses a tampered response (fiscal code changed after signing)", async () => {
    const tampered = editXml(await respond(), (xml) => xml.replace(`TINIT-${PEOPLE.operatore}`, `TINIT-${PEOPLE.amministratore}`));
    await expectRefused(tampered, "signature");
  });

  it("refuses an unsigned response", async () => expectRefused(await respond({ sign: "none" }), "signature"));

  it("refuses a response whose envelope is not signed (SPID wants both signatures)", async () =>
    expectRefused(await respond({ sign: "assertion" }), "signature"));

  it("refuses a response signed by another key", async () => {
    const other = await generateKeyPair("rogue-idp");
    await expectRefused(await respond({ signWith: { key: other.privateKeyPem, cert: other.certPem } }), "signature");
  });

  it("refuses an expired response", async () =>
    expectRefused(await respond({ now: new Date(Date.now() - 3_600_000), notOnOrAfterSeconds: 300 }), "expired"));

  it("refuses a response not yet valid", async () => expectRefused(await respond({ now: new Date(Date.now() + 600_000) }), "not_yet_valid"));

  it("refuses an unsolicited response (InResponseTo never issued)", async () =>
    expectRefused(await respond({ inResponseTo: "_never-issued-by-us" }), "in_response_to"));

  it("refuses a response without InResponseTo", async () => expectRefused(await respond({ inResponseTo: undefined }), "in_response_to"));

  it("refuses a response for another audience", async () =>
    expectRefused(await respond({ audience: "https://altro-servizio.example.it/metadata" }), "audience"));

  it("refuses a response addressed to another destination", async () =>
    expectRefused(await respond({ acsUrl: "https://altro-servizio.example.it/acs" }), "destination"));

  it("refuses a response from another issuer", async () =>
    expectRefused(await respond({ issuer: "https://idp-sconosciuto.example.it" }), "issuer"));

  it("refuses an Assertion issued before the request", async () =>
    expectRefused(await respond({ assertionIssueInstant: "2000-01-01T12:00:00Z" }), "issue_instant"));

  it("refuses an Assertion whose Version is not 2.0", async () => expectRefused(await respond({ assertionVersion: "1.0" }), "version"));

  it("refuses an Assertion Issuer without Format", async () => expectRefused(await respond({ assertionIssuerFormat: null }), "issuer"));

  it("refuses a NameID that is not transient", async () =>
    expectRefused(await respond({ nameIdFormat: "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent" }), "name_id"));

  it("accepts a response whose IssueInstant carries milliseconds", async () => {
    const { status } = await post(await respond({ issueInstant: new Date().toISOString() }));
    expect(status).toBe(302);
  });

  const ANOMALIES: [number, string, string | null][] = [
    [19, "Autenticazione fallita per ripetuta sottomissione di credenziali errate.", "Inserire credenziali corrette."],
    [20, "Utente privo di credenziali compatibili con il livello di autenticazione richiesto dal servizio.", "Acquisire credenziali di livello idoneo"],
    [21, "Timeout durante l&#39;autenticazione utente.", "deve essere completata entro un determinato periodo di tempo"],
    [22, "L&#39;utente ha negato il consenso all&#39;invio dei dati al fornitore del servizio.", "È necessario dare il consenso"],
    [23, "Utente con identità sospesa/revocata o con credenziali bloccate.", null],
    [25, "Processo di autenticazione annullato dall&#39;utente.", null],
  ];
  for (const [code, message, advice] of ANOMALIES)
    it(`shows the SPID message for ErrorCode nr${code}, with a way to try again, and signs no one in`, async () => {
      const before = await sessionCount();
      const { status, response } = await post(await respond({ failure: { statusMessage: `ErrorCode nr${code}` }, sign: "none" }));
      expect(status).toBe(401);
      expect(response!.headers.get("set-cookie")).toBeNull();
      const html = await response!.text();
      expect(html).toContain(message);
      if (advice) expect(html).toContain(advice);
      expect(html).not.toContain("non è valida o è scaduta");
      expect(html).toMatch(/<a class="btn btn-primary" href="\/auth\/login">Riprova ad accedere<\/a>/);
      expect(await sessionCount()).toBe(before);
      expect(await lastSignInReason()).toEqual({ outcome: "failure", reason: `saml_idp_error_${code}` });
    });

  it("refuses a post without a response", async () => {
    const { status } = await statusOf(acs.action, { path: "/auth/saml/acs", form: { RelayState: "/" } });
    expect(status).toBe(400);
  });
});

describe("AuthnRequest and metadata", () => {
  it("sends a signed RSA-SHA256 AuthnRequest asking SpidL2, ForceAuthn and a transient NameID", async () => {
    const { url, request } = await startLogin();
    const query = new URL(url).searchParams;
    expect(query.get("SigAlg")).toBe("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256");
    expect(query.get("Signature")).toBeTruthy();
    const xml = zlib.inflateRawSync(Buffer.from(query.get("SAMLRequest")!, "base64")).toString("utf8");
    expect(xml).toContain('ForceAuthn="true"');
    expect(xml).toContain("https://www.spid.gov.it/SpidL2");
    expect(xml).toMatch(/NameIDPolicy[^>]*Format="urn:oasis:names:tc:SAML:2.0:nameid-format:transient"/);
    expect(xml).not.toContain("AllowCreate");
    expect(request.forceAuthn).toBe(true);
  });

  it("the test IdP refuses a request whose query was altered", async () => {
    const { idp } = await runtime();
    const { url } = await startLogin("/enti");
    const wire = url.split("?")[1]!.replace(/RelayState=[^&]*/, "RelayState=%2Fadmin");
    await expect(idp.parseAuthnRequest(wire)).rejects.toThrow(/firma della richiesta non valida/);
    const unsigned = url.split("?")[1]!.replace(/&Signature=[^&]*/, "");
    await expect(idp.parseAuthnRequest(unsigned)).rejects.toThrow(/non firmata/);
  });

  it("publishes signed SP metadata as the SPID rules ask", async () => {
    const { sp } = await runtime();
    const xml = sp.metadataXml();
    const cert = (await import("node:fs")).readFileSync(".cache/test-data/keys/sp.crt", "utf8");
    expect(verifyDocumentSignature(xml, cert)).toBe(true);
    expect(verifyDocumentSignature(xml.replace("Monitoraggio pratiche", "Altro servizio"), cert)).toBe(false);
    expect(xml).toContain('AuthnRequestsSigned="true"');
    expect(xml).toMatch(/<md:AssertionConsumerService index="0" isDefault="true" Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"/);
    expect(xml).toContain("<md:SingleLogoutService");
    expect(xml).toContain("<md:Organization>");
    expect(xml).toContain('<md:ContactPerson contactType="other">');
    expect(xml).toContain('<md:RequestedAttribute Name="fiscalNumber"/>');
  });
});

describe("AuthnRequest ids", () => {
  it("are answered once: the first claim wins, later ones fail", async () => {
    const { claimSamlRequest } = await import("~/auth/saml-requests.server");
    const { request } = await startLogin();
    expect(await claimSamlRequest(getDb(), request.id)).toBe(true);
    expect(await claimSamlRequest(getDb(), request.id)).toBe(false);
    expect(await claimSamlRequest(getDb(), "_never-issued")).toBe(false);
  });
});
