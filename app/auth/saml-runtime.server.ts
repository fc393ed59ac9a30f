import fs from "node:fs";
import path from "node:path";
import { DOMParser } from "@xmldom/xmldom";
import { getConfig } from "~/config.server";
import { loadOrCreateKeyPair } from "./keys.server";
import { createServiceProvider } from "./saml.server";
import { samlRequestCache } from "./saml-requests.server";
import { createTestIdp } from "./test-idp.server";

/** `logoutUrl`: where the IdP takes a LogoutResponse (HTTP-Redirect), when its metadata says. */
type IdpSettings = { entityId: string; ssoUrl: string; certs: string[]; logoutUrl?: string };

/** Where the IdP settings in use came from, for the administrators' page. */
export type IdpSource =
  | { kind: "builtin" }
  | { kind: "metadata_file"; location: string }
  | { kind: "metadata_url"; location: string }
  | { kind: "explicit"; location: string };

export type IdpInUse = IdpSettings & { source: IdpSource; metadataXml?: string };

const MD = "urn:oasis:names:tc:SAML:2.0:metadata";
const DS = "http://www.w3.org/2000/09/xmldsig#";
const REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";

/** Reads entity id, SSO (HTTP-Redirect) location and signing certificates from IdP metadata. */
export function parseIdpMetadata(xml: string): IdpSettings {
  const doc = new DOMParser().parseFromString(xml, "text/xml");
  const entity = doc.getElementsByTagNameNS(MD, "EntityDescriptor")[0];
  const entityId = entity?.getAttribute("entityID");
  const sso = Array.from(doc.getElementsByTagNameNS(MD, "SingleSignOnService")).find(
    (e) => e.getAttribute("Binding") === REDIRECT,
  );
  const slo = Array.from(doc.getElementsByTagNameNS(MD, "SingleLogoutService")).find((e) => e.getAttribute("Binding") === REDIRECT);
  const logoutUrl = slo?.getAttribute("ResponseLocation") || slo?.getAttribute("Location") || undefined;
  const certs = Array.from(doc.getElementsByTagNameNS(MD, "KeyDescriptor"))
    .filter((k) => !k.getAttribute("use") || k.getAttribute("use") === "signing")
    .flatMap((k) => Array.from(k.getElementsByTagNameNS(DS, "X509Certificate")))
    .map((c) => (c.textContent ?? "").replace(/\s+/g, ""))
    .filter(Boolean);
  if (!entityId || !sso?.getAttribute("Location") || certs.length === 0)
    throw new Error("Metadati dell'identity provider incompleti: servono entityID, SingleSignOnService HTTP-Redirect e un certificato di firma");
  return { entityId, ssoUrl: sso.getAttribute("Location")!, certs: certs.map(toPem), ...(logoutUrl ? { logoutUrl } : {}) };
}

function toPem(base64: string) {
  if (base64.includes("BEGIN CERTIFICATE")) return base64;
  return `-----BEGIN CERTIFICATE-----\n${base64.match(/.{1,64}/g)!.join("\n")}\n-----END CERTIFICATE-----\n`;
}

async function externalIdp(): Promise<IdpInUse> {
  const { saml } = getConfig();
  if (saml.idpMetadataFile) {
    const metadataXml = fs.readFileSync(saml.idpMetadataFile, "utf8");
    return { ...parseIdpMetadata(metadataXml), metadataXml, source: { kind: "metadata_file", location: saml.idpMetadataFile } };
  }
  if (saml.idpMetadataUrl) {
    const res = await fetch(saml.idpMetadataUrl);
    if (!res.ok) throw new Error(`Metadati dell'identity provider non scaricabili (${res.status})`);
    const metadataXml = await res.text();
    return { ...parseIdpMetadata(metadataXml), metadataXml, source: { kind: "metadata_url", location: saml.idpMetadataUrl } };
  }
  return {
    entityId: saml.idpEntityId!,
    ssoUrl: saml.idpSsoUrl!,
    certs: [toPem(fs.readFileSync(saml.idpCertFile!, "utf8"))],
    source: { kind: "explicit", location: saml.idpCertFile! },
  };
}

async function build() {
  const config = getConfig();
  const keyDir = path.join(config.dataDir, "keys");
  const sp =
    config.saml.spKeyFile && config.saml.spCertFile
      ? { privateKeyPem: fs.readFileSync(config.saml.spKeyFile, "utf8"), certPem: fs.readFileSync(config.saml.spCertFile, "utf8") }
      : await loadOrCreateKeyPair(keyDir, "sp");
  let testIdp: ReturnType<typeof createTestIdp> | null = null;
  let idp: IdpInUse;
  if (config.saml.idp === "builtin") {
    const keys = await loadOrCreateKeyPair(keyDir, "test-idp");
    testIdp = createTestIdp({ baseUrl: config.baseUrl, idpKey: keys.privateKeyPem, idpCert: keys.certPem, spCert: sp.certPem });
    idp = { entityId: testIdp.entityId, ssoUrl: testIdp.ssoUrl, logoutUrl: testIdp.logoutUrl, certs: [keys.certPem], source: { kind: "builtin" }, metadataXml: testIdp.metadataXml() };
  } else {
    idp = await externalIdp();
  }
  const serviceProvider = createServiceProvider({
    baseUrl: config.baseUrl,
    spKey: sp.privateKeyPem,
    spCert: sp.certPem,
    idpSsoUrl: idp.ssoUrl,
    idpEntityId: idp.entityId,
    idpCerts: idp.certs,
    cacheProvider: samlRequestCache(),
    clockSkewMs: config.saml.clockSkewMs,
    organization: {
      name: config.organization.name,
      displayName: config.organization.name,
      url: config.organization.url,
      contactEmail: config.organization.contactEmail,
      ipaCode: config.organization.ipaCode,
    },
  });
  return { serviceProvider, testIdp, idp, spCertPem: sp.certPem, spKeyPem: sp.privateKeyPem };
}

let runtime: ReturnType<typeof build> | undefined;

/** The SAML service provider (and, outside production, the built-in test IdP), built once. */
export function getSaml() {
  runtime ??= build();
  return runtime;
}
