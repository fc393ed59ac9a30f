import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import * as x509 from "@peculiar/x509";
import { beforeAll, describe, expect, it } from "vitest";
import { productionSpCertificateRefusal, spCertificateProblems, summarizeCertificate } from "./certificates.server";
import { generateKeyPair } from "./keys.server";

const BASE_URL = "https://pratiche.regione.example.it";
const ENTITY_ID = `${BASE_URL}/auth/saml/metadata`;
const ALG = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256", publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
const DAY = 86_400_000;

type Shape = {
  subject?: string;
  keyUsage?: x509.KeyUsageFlags | null;
  keyUsageCritical?: boolean;
  ca?: boolean | null;
  policies?: string[] | null;
};

/** A certificate as AgID's rules want it for a public SP, with any part changed or left out. */
async function spCertificate(shape: Shape = {}) {
  x509.cryptoProvider.set(crypto.webcrypto as Crypto);
  const keys = await crypto.webcrypto.subtle.generateKey(ALG, true, ["sign", "verify"]);
  const extensions: x509.Extension[] = [];
  const usage = shape.keyUsage === undefined ? x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation : shape.keyUsage;
  if (usage !== null) extensions.push(new x509.KeyUsagesExtension(usage, shape.keyUsageCritical ?? true));
  if (shape.ca !== null) extensions.push(new x509.BasicConstraintsExtension(shape.ca ?? false, undefined, false));
  const policies = shape.policies === undefined ? ["1.3.76.16.6", "1.3.76.16.4.2.1"] : shape.policies;
  if (policies !== null) extensions.push(new x509.CertificatePolicyExtension(policies, false));
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: shape.subject ?? `C=IT, L=Roma, O=Regione Demo, CN=${BASE_URL}, 2.5.4.97=PA:IT-r_demo, 2.5.4.83=${ENTITY_ID}`,
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + 365 * DAY),
    signingAlgorithm: ALG,
    keys,
    extensions,
  });
  return cert.toString("pem");
}

let compliant: string;
beforeAll(async () => {
  compliant = await spCertificate();
});

describe("SP certificate against AgID's rules (public SP)", () => {
  it("finds nothing wrong with a compliant certificate", () => {
    expect(spCertificateProblems(compliant, { entityId: ENTITY_ID, ipaCode: "r_demo" })).toEqual([]);
  });

  it("names every missing subject attribute of a plain self-signed certificate", async () => {
    const plain = (await generateKeyPair("sp")).certPem;
    const problems = spCertificateProblems(plain, { entityId: ENTITY_ID });
    for (const missing of ["organizationName (O)", "localityName (L)", "countryName (C)", "organizationIdentifier (2.5.4.97)", "uri (2.5.4.83)"])
      expect(problems).toContain(`nel soggetto manca l'attributo ${missing}`);
    expect(problems).toContain("manca l'estensione keyUsage");
    expect(problems).toContain("manca l'estensione basicConstraints (CA:FALSE)");
    expect(problems).toContain("manca l'estensione certificatePolicies (1.3.76.16.6 e 1.3.76.16.4.2.1)");
  });

  it("refuses an organizationIdentifier of the wrong form, or of another body", async () => {
    const wrongForm = await spCertificate({ subject: `C=IT, L=Roma, O=Regione Demo, CN=x, 2.5.4.97=VATIT-12345678901, 2.5.4.83=${ENTITY_ID}` });
    expect(spCertificateProblems(wrongForm, { entityId: ENTITY_ID })).toEqual([
      "organizationIdentifier deve avere la forma PA:IT-<codice IPA>, non VATIT-12345678901",
    ]);
    expect(spCertificateProblems(compliant, { entityId: ENTITY_ID, ipaCode: "c_h501" })).toEqual([
      "organizationIdentifier (PA:IT-r_demo) non corrisponde a ORGANIZATION_IPA_CODE (PA:IT-c_h501)",
    ]);
  });

  it("wants the uri to be the SP's entity ID and the country to be IT", async () => {
    expect(spCertificateProblems(compliant, { entityId: "https://altro.example.it/auth/saml/metadata" })).toEqual([
      `l'attributo uri (${ENTITY_ID}) deve essere l'entityID del service provider (https://altro.example.it/auth/saml/metadata)`,
    ]);
    const foreign = await spCertificate({ subject: `C=FR, L=Paris, O=X, CN=x, 2.5.4.97=PA:IT-r_demo, 2.5.4.83=${ENTITY_ID}` });
    expect(spCertificateProblems(foreign, { entityId: ENTITY_ID })).toEqual(["countryName deve essere IT per un'amministrazione italiana, non FR"]);
  });

  it("refuses personal attributes in the subject", async () => {
    const personal = await spCertificate({ subject: `C=IT, L=Roma, O=Regione Demo, CN=x, 2.5.4.97=PA:IT-r_demo, 2.5.4.83=${ENTITY_ID}, 2.5.4.42=Mario, 2.5.4.4=Rossi` });
    expect(spCertificateProblems(personal, { entityId: ENTITY_ID })).toEqual([
      "il soggetto non deve contenere l'attributo personale givenName",
      "il soggetto non deve contenere l'attributo personale surname",
    ]);
  });

  it("wants keyUsage critical with digitalSignature and nonRepudiation only", async () => {
    const encipher = await spCertificate({ keyUsage: x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, keyUsageCritical: false });
    expect(spCertificateProblems(encipher, { entityId: ENTITY_ID })).toEqual([
      "l'estensione keyUsage deve essere critica",
      "keyUsage deve comprendere nonRepudiation",
      "keyUsage non deve comprendere keyEncipherment",
    ]);
  });

  it("wants basicConstraints CA:FALSE and both AgID policies", async () => {
    const ca = await spCertificate({ ca: true, policies: ["1.3.76.16.6"] });
    expect(spCertificateProblems(ca, { entityId: ENTITY_ID })).toEqual([
      "basicConstraints deve indicare CA:FALSE",
      "certificatePolicies deve comprendere la policy 1.3.76.16.4.2.1",
    ]);
  });

  it("refuses an expired certificate", () => {
    expect(spCertificateProblems(compliant, { entityId: ENTITY_ID, now: new Date(Date.now() + 400 * DAY) })[0]).toMatch(/^il certificato è scaduto il \d{4}-\d\d-\d\d$/);
  });
});

describe("start-up check of the SP certificate", () => {
  function withCertFile(pem: string, run: (file: string) => void) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sp-cert-"));
    try {
      fs.writeFileSync(path.join(dir, "sp.crt"), pem);
      run(path.join(dir, "sp.crt"));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const config = (spCertFile: string, production = true) => ({ production, baseUrl: BASE_URL, saml: { spCertFile }, organization: { ipaCode: "r_demo" } });

  it("in production, names what is missing and which file", async () => {
    const plain = (await generateKeyPair("sp")).certPem;
    withCertFile(plain, (file) => {
      const message = productionSpCertificateRefusal(config(file))!;
      expect(message).toContain(`Il certificato del service provider (SAML_SP_CERT_FILE=${file}) non rispetta le regole AgID`);
      expect(message).toContain("  - nel soggetto manca l'attributo organizationIdentifier (2.5.4.97)");
      expect(message).toContain("  - manca l'estensione keyUsage");
    });
  });

  it("lets a compliant certificate through, and checks nothing outside production", async () => {
    withCertFile(compliant, (file) => expect(productionSpCertificateRefusal(config(file))).toBeNull());
    const plain = (await generateKeyPair("sp")).certPem;
    withCertFile(plain, (file) => expect(productionSpCertificateRefusal(config(file, false))).toBeNull());
  });

  it("says so when the file cannot be read", () => {
    expect(productionSpCertificateRefusal(config("/non/esiste/sp.crt"))).toMatch(/^Certificato del service provider non leggibile \(SAML_SP_CERT_FILE=\/non\/esiste\/sp.crt\)/);
  });
});

describe("certificate summary for the administrators' page", () => {
  it("tells valid, expiring, expired and not yet valid apart", () => {
    const summary = summarizeCertificate(compliant);
    expect(summary.state).toBe("valid");
    expect(summary.subject).toContain("O=Regione Demo");
    expect(summary.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(summarizeCertificate(compliant, new Date(Date.now() + 350 * DAY)).state).toBe("expiring");
    expect(summarizeCertificate(compliant, new Date(Date.now() + 400 * DAY)).state).toBe("expired");
    expect(summarizeCertificate(compliant, new Date(Date.now() - 2 * DAY)).state).toBe("not_yet_valid");
  });
});
