import crypto from "node:crypto";
import fs from "node:fs";
import * as x509 from "@peculiar/x509";
import { spEntityIdFor } from "./saml.server";

export type CertificateState = "valid" | "expiring" | "expired" | "not_yet_valid";

export type CertificateSummary = {
  subject: string;
  issuer: string;
  /** ISO instants; pages show them as dd/mm/yyyy in Europe/Rome. */
  validFrom: string;
  validTo: string;
  fingerprint256: string;
  state: CertificateState;
};

const EXPIRING_MS = 30 * 86_400_000;

/** What an administrator needs to know of a signing certificate, judged at `now`. */
export function summarizeCertificate(pem: string, now = new Date()): CertificateSummary {
  const cert = new crypto.X509Certificate(pem);
  const validFrom = new Date(cert.validFrom);
  const validTo = new Date(cert.validTo);
  const t = now.getTime();
  const state: CertificateState =
    t < validFrom.getTime() ? "not_yet_valid" : t > validTo.getTime() ? "expired" : validTo.getTime() - t < EXPIRING_MS ? "expiring" : "valid";
  return {
    subject: cert.subject.replace(/\n/g, ", "),
    issuer: cert.issuer.replace(/\n/g, ", "),
    validFrom: validFrom.toISOString(),
    validTo: validTo.toISOString(),
    fingerprint256: cert.fingerprint256,
    state,
  };
}

const OID = {
  commonName: "2.5.4.3",
  surname: "2.5.4.4",
  countryName: "2.5.4.6",
  localityName: "2.5.4.7",
  organizationName: "2.5.4.10",
  name: "2.5.4.41",
  givenName: "2.5.4.42",
  initials: "2.5.4.43",
  pseudonym: "2.5.4.65",
  uri: "2.5.4.83",
  organizationIdentifier: "2.5.4.97",
  keyUsage: "2.5.29.15",
  basicConstraints: "2.5.29.19",
  certificatePolicies: "2.5.29.32",
};
/** AgID's policy for SPID certificates, and the one for public-sector service providers. */
const AGID_CERT_POLICY = "1.3.76.16.6";
const SPID_PUBLIC_SP_POLICY = "1.3.76.16.4.2.1";

/**
 * The ways a public SP's signing certificate departs from AgID's rules for SPID service-provider
 * certificates (Avviso SPID n. 29 v3): subject attributes, key usage, basic constraints,
 * certificate policies, key and digest, validity. Each problem is one Italian sentence naming
 * what is missing; an empty list means the certificate complies.
 */
export function spCertificateProblems(pem: string, expected: { entityId: string; ipaCode?: string; now?: Date }): string[] {
  const problems: string[] = [];
  let cert: x509.X509Certificate;
  try {
    cert = new x509.X509Certificate(pem);
  } catch {
    return ["il file non contiene un certificato X.509 in formato PEM leggibile"];
  }
  const field = (oid: string) => cert.subjectName.getField(oid).map((v) => v.trim());
  const required: [string, string][] = [
    [OID.commonName, "commonName (CN)"],
    [OID.organizationName, "organizationName (O)"],
    [OID.localityName, "localityName (L)"],
    [OID.countryName, "countryName (C)"],
    [OID.organizationIdentifier, "organizationIdentifier (2.5.4.97)"],
    [OID.uri, "uri (2.5.4.83)"],
  ];
  for (const [oid, label] of required) if (!field(oid).some(Boolean)) problems.push(`nel soggetto manca l'attributo ${label}`);
  const country = field(OID.countryName)[0];
  if (country && country !== "IT") problems.push(`countryName deve essere IT per un'amministrazione italiana, non ${country}`);
  const orgId = field(OID.organizationIdentifier)[0];
  if (orgId && !/^PA:IT-\S{1,16}$/.test(orgId)) problems.push(`organizationIdentifier deve avere la forma PA:IT-<codice IPA>, non ${orgId}`);
  else if (orgId && expected.ipaCode && orgId !== `PA:IT-${expected.ipaCode}`)
    problems.push(`organizationIdentifier (${orgId}) non corrisponde a ORGANIZATION_IPA_CODE (PA:IT-${expected.ipaCode})`);
  const uri = field(OID.uri)[0];
  if (uri && uri !== expected.entityId) problems.push(`l'attributo uri (${uri}) deve essere l'entityID del service provider (${expected.entityId})`);
  const forbidden: [string, string][] = [
    [OID.name, "name"],
    [OID.givenName, "givenName"],
    [OID.surname, "surname"],
    [OID.initials, "initials"],
    [OID.pseudonym, "pseudonym"],
  ];
  for (const [oid, label] of forbidden)
    if (field(oid).length > 0) problems.push(`il soggetto non deve contenere l'attributo personale ${label}`);

  const keyUsage = cert.getExtension(x509.KeyUsagesExtension);
  if (!keyUsage) problems.push("manca l'estensione keyUsage");
  else {
    if (!keyUsage.critical) problems.push("l'estensione keyUsage deve essere critica");
    const has = (flag: x509.KeyUsageFlags) => (keyUsage.usages & flag) !== 0;
    if (!has(x509.KeyUsageFlags.digitalSignature)) problems.push("keyUsage deve comprendere digitalSignature");
    if (!has(x509.KeyUsageFlags.nonRepudiation)) problems.push("keyUsage deve comprendere nonRepudiation");
    const notAllowed: [x509.KeyUsageFlags, string][] = [
      [x509.KeyUsageFlags.keyEncipherment, "keyEncipherment"],
      [x509.KeyUsageFlags.dataEncipherment, "dataEncipherment"],
      [x509.KeyUsageFlags.keyAgreement, "keyAgreement"],
      [x509.KeyUsageFlags.keyCertSign, "keyCertSign"],
      [x509.KeyUsageFlags.cRLSign, "cRLSign"],
    ];
    for (const [flag, label] of notAllowed) if (has(flag)) problems.push(`keyUsage non deve comprendere ${label}`);
  }

  const basic = cert.getExtension(x509.BasicConstraintsExtension);
  if (!basic) problems.push("manca l'estensione basicConstraints (CA:FALSE)");
  else {
    if (basic.critical) problems.push("l'estensione basicConstraints non deve essere critica");
    if (basic.ca) problems.push("basicConstraints deve indicare CA:FALSE");
  }

  const policies = cert.getExtension(x509.CertificatePolicyExtension);
  if (!policies) problems.push(`manca l'estensione certificatePolicies (${AGID_CERT_POLICY} e ${SPID_PUBLIC_SP_POLICY})`);
  else {
    if (policies.critical) problems.push("l'estensione certificatePolicies non deve essere critica");
    for (const policy of [AGID_CERT_POLICY, SPID_PUBLIC_SP_POLICY])
      if (!policies.policies.includes(policy)) problems.push(`certificatePolicies deve comprendere la policy ${policy}`);
  }

  const node = new crypto.X509Certificate(pem);
  const bits = node.publicKey.asymmetricKeyType === "rsa" ? node.publicKey.asymmetricKeyDetails?.modulusLength : undefined;
  if (!bits) problems.push("la chiave deve essere RSA");
  else if (![2048, 3072, 4096].includes(bits)) problems.push(`la chiave RSA deve essere di 2048, 3072 o 4096 bit, non ${bits}`);
  const hash = (cert.signatureAlgorithm as { hash?: { name?: string } }).hash?.name;
  if (hash !== "SHA-256" && hash !== "SHA-512") problems.push(`il certificato deve essere firmato con SHA-256 o SHA-512, non ${hash ?? "un algoritmo sconosciuto"}`);

  const now = expected.now ?? new Date();
  if (now.getTime() > cert.notAfter.getTime()) problems.push(`il certificato è scaduto il ${cert.notAfter.toISOString().slice(0, 10)}`);
  if (now.getTime() < cert.notBefore.getTime()) problems.push(`il certificato è valido solo dal ${cert.notBefore.toISOString().slice(0, 10)}`);
  return problems;
}

/**
 * In production, the start-up refusal for an SP certificate that AgID would not accept, naming
 * every problem; null when the certificate complies or outside production.
 */
export function productionSpCertificateRefusal(config: {
  production: boolean;
  baseUrl: string;
  saml: { spCertFile?: string };
  organization: { ipaCode?: string };
}): string | null {
  if (!config.production || !config.saml.spCertFile) return null;
  let pem: string;
  try {
    pem = fs.readFileSync(config.saml.spCertFile, "utf8");
  } catch (e) {
    return `Certificato del service provider non leggibile (SAML_SP_CERT_FILE=${config.saml.spCertFile}): ${(e as Error).message}`;
  }
  const problems = spCertificateProblems(pem, { entityId: spEntityIdFor(config.baseUrl), ipaCode: config.organization.ipaCode });
  if (problems.length === 0) return null;
  return [
    `Il certificato del service provider (SAML_SP_CERT_FILE=${config.saml.spCertFile}) non rispetta le regole AgID per i certificati SPID dei service provider pubblici:`,
    ...problems.map((p) => `  - ${p}`),
    "Generare un certificato conforme (per esempio con lo strumento spid-compliant-certificates di AgID) e riavviare.",
  ].join("\n");
}
