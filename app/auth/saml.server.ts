import crypto from "node:crypto";
import { SAML, ValidateInResponseTo, type CacheProvider } from "@node-saml/node-saml";
import { DOMParser } from "@xmldom/xmldom";
import { certBody } from "./keys.server";
import { HTTP_POST, HTTP_REDIRECT, NS, signElement, SPID_L2, TRANSIENT, xmlEscape } from "./saml-xml.server";

export type SamlRefusal =
  | "signature"
  | "audience"
  | "expired"
  | "not_yet_valid"
  | "in_response_to"
  | "destination"
  | "issuer"
  | "attribute"
  | "status"
  | "malformed";

const MESSAGES: Record<SamlRefusal, string> = {
  signature: "La firma della risposta di autenticazione non è valida.",
  audience: "La risposta di autenticazione è destinata a un altro servizio.",
  expired: "La risposta di autenticazione è scaduta.",
  not_yet_valid: "La risposta di autenticazione non è ancora valida.",
  in_response_to: "La risposta di autenticazione non corrisponde a una richiesta in corso.",
  destination: "La risposta di autenticazione è indirizzata a un altro indirizzo.",
  issuer: "La risposta di autenticazione proviene da un identity provider non riconosciuto.",
  attribute: "La risposta di autenticazione non contiene un codice fiscale valido.",
  status: "L'autenticazione non è andata a buon fine.",
  malformed: "La risposta di autenticazione non è leggibile.",
};

export class SamlError extends Error {
  constructor(
    readonly reason: SamlRefusal,
    readonly detail?: string,
  ) {
    super(MESSAGES[reason]);
    this.name = "SamlError";
  }
}

export type Organization = { name: string; displayName: string; url: string; contactEmail: string };

export type ServiceProviderOptions = {
  baseUrl: string;
  spKey: string;
  spCert: string;
  idpSsoUrl: string;
  idpEntityId: string;
  idpCerts: string[];
  cacheProvider: CacheProvider;
  clockSkewMs?: number;
  organization?: Organization;
};

export type SamlIdentity = {
  fiscalCode: string;
  nameId: string;
  sessionIndex?: string;
  issuer: string;
  inResponseTo: string;
  attributes: Record<string, string>;
};

function classify(message: string): SamlRefusal {
  if (/signature/i.test(message)) return "signature";
  if (/audience/i.test(message)) return "audience";
  // node-saml reports an expired SubjectConfirmation as "no valid subject confirmation".
  if (/expired|no valid subject confirmation/i.test(message)) return "expired";
  if (/not yet valid/i.test(message)) return "not_yet_valid";
  if (/InResponseTo/i.test(message)) return "in_response_to";
  if (/issuer/i.test(message)) return "issuer";
  if (/status/i.test(message)) return "status";
  return "malformed";
}

function firstChild(parent: Element | null | undefined, ns: string, name: string): Element | null {
  if (!parent) return null;
  return (Array.from(parent.childNodes).find((n) => (n as Element).localName === name && (n as Element).namespaceURI === ns) as Element) ?? null;
}

/**
 * The SPID-style service provider. node-saml checks signatures, audience, time conditions,
 * issuer and InResponseTo; Destination and Recipient, which it leaves alone, are checked here.
 */
export function createServiceProvider(opts: ServiceProviderOptions) {
  const entityId = `${opts.baseUrl}/auth/saml/metadata`;
  const acsUrl = `${opts.baseUrl}/auth/saml/acs`;
  const sloUrl = `${opts.baseUrl}/auth/logout/saml`;
  const org = opts.organization ?? { name: "Regione", displayName: "Regione", url: opts.baseUrl, contactEmail: "assistenza@example.it" };
  const saml = new SAML({
    entryPoint: opts.idpSsoUrl,
    issuer: entityId,
    callbackUrl: acsUrl,
    audience: entityId,
    idpIssuer: opts.idpEntityId,
    idpCert: opts.idpCerts,
    privateKey: opts.spKey,
    publicCert: opts.spCert,
    signatureAlgorithm: "sha256",
    digestAlgorithm: "sha256",
    identifierFormat: TRANSIENT,
    allowCreate: false,
    authnContext: [SPID_L2],
    racComparison: "minimum",
    forceAuthn: true,
    attributeConsumingServiceIndex: "0",
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: true,
    acceptedClockSkewMs: opts.clockSkewMs ?? 30_000,
    validateInResponseTo: ValidateInResponseTo.always,
    requestIdExpirationPeriodMs: 10 * 60_000,
    cacheProvider: opts.cacheProvider,
    generateUniqueId: () => `_${crypto.randomBytes(20).toString("hex")}`,
  });

  async function loginRedirectUrl(relayState = "/") {
    return saml.getAuthorizeUrlAsync(relayState, undefined, {});
  }

  function precheck(samlResponse: string) {
    let xml: string;
    try {
      xml = Buffer.from(samlResponse, "base64").toString("utf8");
    } catch {
      throw new SamlError("malformed");
    }
    const doc = new DOMParser({ errorHandler: { warning: () => {}, error: () => {}, fatalError: () => {} } }).parseFromString(xml, "text/xml");
    const root = doc?.documentElement;
    if (!root || root.localName !== "Response" || root.namespaceURI !== NS.samlp) throw new SamlError("malformed");
    if (root.getAttribute("Destination") !== acsUrl) throw new SamlError("destination", root.getAttribute("Destination") ?? "none");
    const issuer = firstChild(root, NS.saml, "Issuer")?.textContent?.trim();
    if (issuer !== opts.idpEntityId) throw new SamlError("issuer");
    const inResponseTo = root.getAttribute("InResponseTo");
    if (!inResponseTo) throw new SamlError("in_response_to", "missing");
    const recipients = Array.from(doc.getElementsByTagNameNS(NS.saml, "SubjectConfirmationData")).map((e) => e.getAttribute("Recipient"));
    if (recipients.length === 0 || recipients.some((r) => r !== acsUrl)) throw new SamlError("destination", "recipient");
    return inResponseTo;
  }

  async function validatePostResponse(body: { SAMLResponse: string; RelayState?: string }): Promise<SamlIdentity> {
    const inResponseTo = precheck(body.SAMLResponse);
    let profile;
    try {
      ({ profile } = await saml.validatePostResponseAsync({ SAMLResponse: body.SAMLResponse }));
    } catch (e) {
      throw new SamlError(classify((e as Error).message), (e as Error).message);
    }
    if (!profile) throw new SamlError("malformed");
    const raw = profile.attributes ?? (profile as Record<string, unknown>);
    const fiscalNumber = String((raw as Record<string, unknown>).fiscalNumber ?? profile.fiscalNumber ?? "");
    const fiscalCode = fiscalNumber.replace(/^TINIT-/i, "").toUpperCase();
    if (!/^([A-Z0-9]{16}|\d{11})$/.test(fiscalCode)) throw new SamlError("attribute");
    const attributes: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) if (typeof v === "string") attributes[k] = v;
    return {
      fiscalCode,
      nameId: profile.nameID,
      sessionIndex: profile.sessionIndex,
      issuer: profile.issuer,
      inResponseTo,
      attributes,
    };
  }

  /** SP metadata as the SPID rules ask, signed with the SP key. */
  function metadataXml() {
    const cert = certBody(opts.spCert);
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="${NS.md}" xmlns:ds="${NS.ds}" entityID="${xmlEscape(entityId)}" ID="_${crypto.createHash("sha1").update(entityId).digest("hex")}">
<md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" AuthnRequestsSigned="true" WantAssertionsSigned="true">
<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
<md:SingleLogoutService Binding="${HTTP_REDIRECT}" Location="${xmlEscape(sloUrl)}"/>
<md:SingleLogoutService Binding="${HTTP_POST}" Location="${xmlEscape(sloUrl)}"/>
<md:NameIDFormat>${TRANSIENT}</md:NameIDFormat>
<md:AssertionConsumerService index="0" isDefault="true" Binding="${HTTP_POST}" Location="${xmlEscape(acsUrl)}"/>
<md:AttributeConsumingService index="0">
<md:ServiceName xml:lang="it">Monitoraggio pratiche</md:ServiceName>
<md:RequestedAttribute Name="fiscalNumber"/>
<md:RequestedAttribute Name="name"/>
<md:RequestedAttribute Name="familyName"/>
<md:RequestedAttribute Name="email"/>
</md:AttributeConsumingService>
</md:SPSSODescriptor>
<md:Organization>
<md:OrganizationName xml:lang="it">${xmlEscape(org.name)}</md:OrganizationName>
<md:OrganizationDisplayName xml:lang="it">${xmlEscape(org.displayName)}</md:OrganizationDisplayName>
<md:OrganizationURL xml:lang="it">${xmlEscape(org.url)}</md:OrganizationURL>
</md:Organization>
<md:ContactPerson contactType="other">
<md:Company>${xmlEscape(org.name)}</md:Company>
<md:EmailAddress>${xmlEscape(org.contactEmail)}</md:EmailAddress>
</md:ContactPerson>
</md:EntityDescriptor>`;
    return signElement(xml, { localName: "EntityDescriptor", key: opts.spKey, cert: opts.spCert, afterIssuer: false });
  }

  return { entityId, acsUrl, loginRedirectUrl, validatePostResponse, metadataXml };
}

export type ServiceProvider = ReturnType<typeof createServiceProvider>;
