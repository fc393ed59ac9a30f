import crypto from "node:crypto";
import { SAML, SamlStatusError, ValidateInResponseTo, type CacheProvider, type Profile } from "@node-saml/node-saml";
import { DOMParser, XMLSerializer } from "@xmldom/xmldom";
import { certBody } from "./keys.server";
import { spidUserAnomaly, type SpidUserAnomaly } from "./spid-error-codes";
import {
  children,
  HTTP_POST,
  HTTP_REDIRECT,
  NS,
  quietParser,
  RSA_SHA256,
  signedDocumentElement,
  signElement,
  SPID_L2,
  TRANSIENT,
  xmlEscape,
} from "./saml-xml.server";

export type SamlRefusal =
  | "signature"
  | "audience"
  | "expired"
  | "not_yet_valid"
  | "in_response_to"
  | "destination"
  | "issuer"
  | "attribute"
  | "authn_context"
  | "status"
  | "idp_error"
  | "idp_certificate"
  | "version"
  | "issue_instant"
  | "name_id"
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
  authn_context: "Il livello di autenticazione usato non è sufficiente: serve almeno SPID livello 2.",
  status: "L'autenticazione non è andata a buon fine.",
  idp_error: "L'autenticazione non è andata a buon fine.",
  idp_certificate: "La risposta di autenticazione è firmata con un certificato dell'identity provider scaduto o non ancora valido.",
  version: "La risposta di autenticazione usa una versione SAML diversa dalla 2.0.",
  issue_instant: "La risposta di autenticazione ha una data di emissione non coerente con la richiesta di accesso.",
  name_id: "La risposta di autenticazione non contiene un identificativo dell'utente conforme alle regole SPID.",
  malformed: "La risposta di autenticazione non è leggibile.",
};

export class SamlError extends Error {
  constructor(
    readonly reason: SamlRefusal,
    /** Technical detail for logs; never shown to the user. */
    readonly detail?: string,
    /** For "idp_error": the SPID user anomaly (ErrorCode 19–25) the IdP reported, if any. */
    readonly anomaly?: SpidUserAnomaly,
  ) {
    super(anomaly?.message ?? MESSAGES[reason]);
    this.name = "SamlError";
  }
}

export type Organization = {
  name: string;
  displayName: string;
  url: string;
  contactEmail: string;
  /** IPA code of a public administration: SPID metadata then carries spid:IPACode and spid:Public. */
  ipaCode?: string;
};

export type ServiceProviderOptions = {
  baseUrl: string;
  spKey: string;
  spCert: string;
  idpSsoUrl: string;
  idpEntityId: string;
  idpCerts: string[];
  cacheProvider: CacheProvider;
  clockSkewMs?: number;
  /** Clock for the NotBefore/NotOnOrAfter checks (tests move it; production leaves it alone). */
  now?: () => Date;
  organization?: Organization;
  /** ServiceName of the AttributeConsumingService in the metadata (Italian, shown by IdPs). */
  serviceName?: string;
};

export type SamlIdentity = {
  fiscalCode: string;
  nameId: string;
  sessionIndex?: string;
  issuer: string;
  /** The AuthnRequest id answered; the caller claims it atomically (see saml-requests.server). */
  inResponseTo: string;
  authnContext: string;
  attributes: Record<string, string>;
};

const SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success";
const SAML_VERSION = "2.0";
const BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
const ENTITY_FORMAT = "urn:oasis:names:tc:SAML:2.0:nameid-format:entity";
const SPID_NS = "https://spid.gov.it/saml-extensions";
// "minimum" comparison: L3 satisfies a request for L2.
const ACCEPTED_AUTHN_CONTEXTS = [SPID_L2, "https://www.spid.gov.it/SpidL3"];
const REQUEST_ID_TTL_MS = 10 * 60_000;

/**
 * node-saml 5 builds the Issuer of the AuthnRequest without attributes; SPID wants NameQualifier
 * and Format on it. The hook runs before node-saml deflates and signs the request, so the
 * redirect signature covers the change.
 */
class SpidSaml extends SAML {
  protected async generateAuthorizeRequestAsync(isPassive: boolean, isHttpPostBinding: boolean): Promise<string> {
    const xml = await super.generateAuthorizeRequestAsync(isPassive, isHttpPostBinding);
    // POST-binding requests come back already signed; touching them would break the signature.
    if (isHttpPostBinding) return xml;
    const doc = new DOMParser().parseFromString(xml, "text/xml");
    const issuer = doc.getElementsByTagNameNS(NS.saml, "Issuer")[0];
    if (!issuer) return xml;
    issuer.setAttribute("NameQualifier", this.options.issuer);
    issuer.setAttribute("Format", ENTITY_FORMAT);
    // node-saml always writes AllowCreate; the SPID rules want NameIDPolicy without it.
    for (const policy of Array.from(doc.getElementsByTagNameNS(NS.samlp, "NameIDPolicy"))) policy.removeAttribute("AllowCreate");
    return new XMLSerializer().serializeToString(doc);
  }

  /**
   * node-saml signs `querystring.stringify` of the parameters but writes the URL with
   * URLSearchParams, and browsers re-encode `'` in queries: an IdP verifying the octets it
   * receives (as the binding spec says) rejects RelayStates with spaces or `!'()*~`. Signing
   * the strict RFC 3986 form, which `loginRedirectUrl` then writes verbatim, makes them agree.
   */
  protected signRequest(samlMessage: Record<string, unknown>): void {
    samlMessage.SigAlg = RSA_SHA256;
    const octets = SIGNED_QUERY_PARAMS.filter((k) => typeof samlMessage[k] === "string" && samlMessage[k] !== "")
      .map((k) => `${k}=${rfc3986(samlMessage[k] as string)}`)
      .join("&");
    const key = this.options.privateKey;
    if (!key) throw new Error("Chiave privata del service provider mancante: impossibile firmare la richiesta");
    samlMessage.Signature = crypto.createSign("RSA-SHA256").update(octets).sign(key, "base64");
  }
}

/** The SP's entity ID: the address of its metadata. */
export const spEntityIdFor = (baseUrl: string) => `${baseUrl}/auth/saml/metadata`;

/**
 * The SPID-style service provider.
 *
 * node-saml checks: both signatures (Response and Assertion, against the configured IdP
 * certificates valid today only), the Audience, and that InResponseTo names a request we issued and still
 * hold in the cache (it removes the id on every answer, successful or not).
 * Checked here, on the signed bytes, because node-saml leaves them alone for POST responses:
 * Version 2.0, Destination and Recipient, Issuer (and its Format) of Response and Assertion,
 * status, the NameID (SPID: transient, with NameQualifier), that the SubjectConfirmation repeats
 * InResponseTo (without it node-saml skips removing the id), IssueInstant within the life of the
 * request answered, the time window (node-saml's own uses the system clock and one message for
 * every subject-confirmation failure, so it is switched off), the SPID level and the fiscal
 * number (ADRs 3 and 48). An IdP's failure answer is read before all this (ADR 48).
 *
 * Logout is local: node-saml's LogoutRequest lacks what SPID asks of it (Issuer attributes,
 * NameQualifier) and nothing here receives a LogoutResponse yet.
 */
export function createServiceProvider(opts: ServiceProviderOptions) {
  const entityId = spEntityIdFor(opts.baseUrl);
  const acsUrl = `${opts.baseUrl}/auth/saml/acs`;
  const sloUrl = `${opts.baseUrl}/auth/logout/saml`;
  const skewMs = opts.clockSkewMs ?? 30_000;
  const now = opts.now ?? (() => new Date());
  const org: Organization = opts.organization ?? {
    name: "Regione",
    displayName: "Regione",
    url: opts.baseUrl,
    contactEmail: "assistenza@example.it",
  };
  if (opts.idpCerts.length === 0) throw new Error("Nessun certificato dell'identity provider configurato");
  const idpCerts = opts.idpCerts.map((pem) => ({ pem, ...certificateValidity(pem) }));
  /** The configured IdP certificates valid now: a signature by an expired one proves nothing. */
  const currentIdpCerts = () => {
    const t = now().getTime();
    return idpCerts.filter((c) => c.validFrom.getTime() <= t && t <= c.validTo.getTime()).map((c) => c.pem);
  };
  const outOfValidityIdpCerts = () => {
    const current = currentIdpCerts();
    return idpCerts.map((c) => c.pem).filter((pem) => !current.includes(pem));
  };

  const saml = new SpidSaml({
    entryPoint: opts.idpSsoUrl,
    issuer: entityId,
    callbackUrl: acsUrl,
    audience: entityId,
    idpCert: (callback) => callback(null, currentIdpCerts()),
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
    // -1 disables node-saml's time checks (documented); ours below use `now` and report which bound failed.
    acceptedClockSkewMs: -1,
    validateInResponseTo: ValidateInResponseTo.always,
    requestIdExpirationPeriodMs: REQUEST_ID_TTL_MS,
    cacheProvider: opts.cacheProvider,
    generateUniqueId: () => `_${crypto.randomBytes(20).toString("hex")}`,
  });

  /** A signed AuthnRequest (HTTP-Redirect binding); the request id goes to the cache provider. */
  async function loginRedirectUrl(relayState?: string): Promise<string> {
    const url = new URL(await saml.getAuthorizeUrlAsync(relayState ?? "", undefined, {}));
    return reencodeSignedQuery(url);
  }

  async function validatePostResponse(body: { SAMLResponse: string; RelayState?: string }): Promise<SamlIdentity> {
    const { xml, root } = decodeResponse(body.SAMLResponse);
    // Read before node-saml, which removes the id from the cache once it has answered.
    const requestInstant = await issueInstantOfRequest(root.getAttribute("InResponseTo"));
    await refuseIdpFailure(root, requestInstant);
    let profile: Profile | null;
    try {
      ({ profile } = await saml.validatePostResponseAsync({ SAMLResponse: body.SAMLResponse }));
    } catch (e) {
      const reason = classify(e);
      // Say so when the signature is good but its certificate is out of validity: that is for an administrator to fix.
      if (reason === "signature" && signedDocumentElement(xml, outOfValidityIdpCerts()))
        throw new SamlError("idp_certificate", (e as Error).message);
      throw new SamlError(reason, (e as Error).message);
    }
    if (!profile) throw new SamlError("malformed", "no profile (logout response?)");

    const signed = signedRoot(xml, currentIdpCerts());
    // node-saml just verified this signature; failing here means our reading of the document differs from its.
    if (!signed) throw new SamlError("signature", "response signature not re-verifiable");
    const inResponseTo = checkSignedResponse(signed, requestInstant);

    // Only the AttributeStatement: node-saml also copies attributes onto the profile, mixed with its own fields.
    const raw = (profile.attributes ?? {}) as Record<string, unknown>;
    const fiscalCode = fiscalCodeOf(raw.fiscalNumber);
    const attributes: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw)) if (typeof v === "string") attributes[k] = v;
    // node-saml already removed it; repeated so single use does not hinge on its internal paths.
    await opts.cacheProvider.removeAsync(inResponseTo);
    return {
      fiscalCode,
      nameId: profile.nameID,
      sessionIndex: profile.sessionIndex,
      issuer: opts.idpEntityId,
      inResponseTo,
      authnContext: signed.authnContext,
      attributes,
    };
  }

  /** The IssueInstant of the AuthnRequest we issued with this id (node-saml stores it as the cache value). */
  async function issueInstantOfRequest(id: string | null): Promise<number | null> {
    if (!id) return null;
    const value = await opts.cacheProvider.getAsync(id);
    const ms = value ? Date.parse(value) : NaN;
    return Number.isNaN(ms) ? null : ms;
  }

  /**
   * An IdP that could not authenticate the user answers with a failure status and no assertion;
   * SPID IdPs need not sign it. Its status is shown only when it answers a request this SP has
   * pending, so a stray post cannot put words in our mouth; nothing is signed in either way.
   */
  async function refuseIdpFailure(root: Element, requestInstant: number | null) {
    if (children(root, NS.saml, "Assertion").length > 0) return;
    const status = child(root, NS.samlp, "Status");
    const code = child(status, NS.samlp, "StatusCode")?.getAttribute("Value");
    if (!status || code === SUCCESS) return;
    if (requestInstant === null) throw new SamlError("in_response_to", "failure status for no pending request");
    const message = textOf(child(status, NS.samlp, "StatusMessage"));
    const anomaly = spidUserAnomaly(message);
    throw new SamlError(anomaly ? "idp_error" : "status", `${code ?? "no StatusCode"} ${message}`.trim(), anomaly ?? undefined);
  }

  /** Checks on the signed Response what node-saml does not; returns the answered request id. */
  function checkSignedResponse(signed: SignedResponse, requestInstant: number | null): string {
    const { root, assertion } = signed;
    for (const [el, what] of [[root, "Response"], [assertion, "Assertion"]] as const)
      if (el.getAttribute("Version") !== SAML_VERSION) throw new SamlError("version", `${what} Version ${el.getAttribute("Version")}`);
    if (root.getAttribute("Destination") !== acsUrl) throw new SamlError("destination", `Destination ${root.getAttribute("Destination")}`);
    const responseIssuer = child(root, NS.saml, "Issuer");
    if (textOf(responseIssuer) !== opts.idpEntityId) throw new SamlError("issuer", "response issuer");
    // SPID: on the Response the Format may be left out, but if present it must say "entity".
    if (responseIssuer?.hasAttribute("Format") && responseIssuer.getAttribute("Format") !== ENTITY_FORMAT)
      throw new SamlError("issuer", "response issuer Format");
    const assertionIssuer = child(assertion, NS.saml, "Issuer");
    if (textOf(assertionIssuer) !== opts.idpEntityId) throw new SamlError("issuer", "assertion issuer");
    if (assertionIssuer?.getAttribute("Format") !== ENTITY_FORMAT) throw new SamlError("issuer", "assertion issuer Format");
    const status = child(child(root, NS.samlp, "Status"), NS.samlp, "StatusCode")?.getAttribute("Value");
    if (status !== SUCCESS) throw new SamlError("status", status ?? "no status");

    const inResponseTo = root.getAttribute("InResponseTo");
    if (!inResponseTo) throw new SamlError("in_response_to", "missing");
    if (requestInstant === null) throw new SamlError("in_response_to", "request issue time unknown");
    checkNameId(child(assertion, NS.saml, "Subject"));
    const confirmations = children(child(assertion, NS.saml, "Subject"), NS.saml, "SubjectConfirmation");
    if (confirmations.length === 0) throw new SamlError("malformed", "no SubjectConfirmation");
    const nowMs = now().getTime();
    for (const c of confirmations) {
      if (c.getAttribute("Method") !== BEARER) throw new SamlError("malformed", "SubjectConfirmation not bearer");
      const data = child(c, NS.saml, "SubjectConfirmationData");
      if (!data) throw new SamlError("malformed", "no SubjectConfirmationData");
      if (data.getAttribute("Recipient") !== acsUrl) throw new SamlError("destination", `Recipient ${data.getAttribute("Recipient")}`);
      if (data.getAttribute("InResponseTo") !== inResponseTo) throw new SamlError("in_response_to", "SubjectConfirmationData");
      if (nowMs - skewMs >= instant(data, "NotOnOrAfter")) throw new SamlError("expired", "SubjectConfirmationData");
      if (data.hasAttribute("NotBefore") && nowMs + skewMs < instant(data, "NotBefore"))
        throw new SamlError("not_yet_valid", "SubjectConfirmationData");
    }

    const conditions = child(assertion, NS.saml, "Conditions");
    if (!conditions) throw new SamlError("malformed", "no Conditions");
    for (const [el, what] of [[root, "Response"], [assertion, "Assertion"]] as const) {
      const issued = instant(el, "IssueInstant");
      if (nowMs + skewMs < issued) throw new SamlError("not_yet_valid", `${what} IssueInstant`);
      // Issued while the request was pending: not before it, not after its lifetime.
      if (issued < requestInstant - skewMs) throw new SamlError("issue_instant", `${what} IssueInstant before the request's`);
      if (issued > requestInstant + REQUEST_ID_TTL_MS + skewMs) throw new SamlError("issue_instant", `${what} IssueInstant after the request's lifetime`);
    }
    if (nowMs + skewMs < instant(conditions, "NotBefore")) throw new SamlError("not_yet_valid", "Conditions");
    if (nowMs - skewMs >= instant(conditions, "NotOnOrAfter")) throw new SamlError("expired", "Conditions");

    if (!ACCEPTED_AUTHN_CONTEXTS.includes(signed.authnContext)) throw new SamlError("authn_context", signed.authnContext || "none");
    return inResponseTo;
  }

  /** SP metadata as the SPID rules ask, signed (enveloped, RSA-SHA256) with the SP key. */
  function metadataXml(): string {
    const cert = certBody(opts.spCert);
    const spidExtensions = org.ipaCode
      ? `<md:Extensions><spid:IPACode>${xmlEscape(org.ipaCode)}</spid:IPACode><spid:Public/></md:Extensions>\n`
      : "";
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="${NS.md}" xmlns:ds="${NS.ds}" xmlns:spid="${SPID_NS}" entityID="${xmlEscape(entityId)}" ID="_${crypto.createHash("sha1").update(entityId).digest("hex")}">
<md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" AuthnRequestsSigned="true" WantAssertionsSigned="true">
<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
<md:SingleLogoutService Binding="${HTTP_REDIRECT}" Location="${xmlEscape(sloUrl)}"/>
<md:SingleLogoutService Binding="${HTTP_POST}" Location="${xmlEscape(sloUrl)}"/>
<md:NameIDFormat>${TRANSIENT}</md:NameIDFormat>
<md:AssertionConsumerService index="0" isDefault="true" Binding="${HTTP_POST}" Location="${xmlEscape(acsUrl)}"/>
<md:AttributeConsumingService index="0">
<md:ServiceName xml:lang="it">${xmlEscape(opts.serviceName ?? "Monitoraggio pratiche")}</md:ServiceName>
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
${spidExtensions}<md:Company>${xmlEscape(org.name)}</md:Company>
<md:EmailAddress>${xmlEscape(org.contactEmail)}</md:EmailAddress>
</md:ContactPerson>
</md:EntityDescriptor>`;
    return signElement(xml, { localName: "EntityDescriptor", key: opts.spKey, cert: opts.spCert, afterIssuer: false });
  }

  return { entityId, acsUrl, sloUrl, loginRedirectUrl, validatePostResponse, metadataXml };
}

export type ServiceProvider = ReturnType<typeof createServiceProvider>;

const SIGNED_QUERY_PARAMS = ["SAMLRequest", "RelayState", "SigAlg"] as const;

/** Percent-encodes all but RFC 3986 unreserved characters: no URL parser rewrites the result. */
export function rfc3986(value: string) {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Writes our parameters in exactly the encoding `signRequest` signed, keeping any the IdP URL had. */
function reencodeSignedQuery(url: URL): string {
  const ours = [...SIGNED_QUERY_PARAMS, "Signature"];
  const parts: string[] = [];
  for (const k of ours) {
    const v = url.searchParams.get(k);
    if (v !== null) parts.push(`${k}=${rfc3986(v)}`);
    url.searchParams.delete(k);
  }
  const rest = url.searchParams.toString();
  return `${url.origin}${url.pathname}?${rest ? `${rest}&` : ""}${parts.join("&")}${url.hash}`;
}

function classify(e: unknown): SamlRefusal {
  if (e instanceof SamlStatusError) return "status";
  const message = (e as Error)?.message ?? "";
  // InResponseTo first: "SubjectInResponseTo is not valid" must not fall into another bucket.
  if (/InResponseTo/i.test(message)) return "in_response_to";
  if (/signature/i.test(message)) return "signature";
  if (/audience/i.test(message)) return "audience";
  return "malformed";
}

/** SPID: exactly one NameID, not empty, transient, with a NameQualifier. */
function checkNameId(subject: Element | null) {
  const nameIds = children(subject, NS.saml, "NameID");
  if (nameIds.length !== 1) throw new SamlError("name_id", `${nameIds.length} NameID`);
  const nameId = nameIds[0]!;
  if (!textOf(nameId)) throw new SamlError("name_id", "NameID empty");
  if (nameId.getAttribute("Format") !== TRANSIENT) throw new SamlError("name_id", `NameID Format ${nameId.getAttribute("Format")}`);
  if (!nameId.getAttribute("NameQualifier")?.trim()) throw new SamlError("name_id", "NameID NameQualifier missing or empty");
}

function certificateValidity(pem: string) {
  const cert = new crypto.X509Certificate(pem);
  return { validFrom: new Date(cert.validFrom), validTo: new Date(cert.validTo) };
}

function decodeResponse(samlResponse: string): { xml: string; root: Element } {
  if (!samlResponse || !/^[A-Za-z0-9+/=\r\n]+$/.test(samlResponse)) throw new SamlError("malformed", "not base64");
  const xml = Buffer.from(samlResponse, "base64").toString("utf8");
  let root: Element | null | undefined;
  try {
    root = quietParser().parseFromString(xml, "text/xml")?.documentElement;
  } catch {
    throw new SamlError("malformed", "not XML");
  }
  if (!root || root.localName !== "Response" || root.namespaceURI !== NS.samlp) throw new SamlError("malformed", "not a samlp:Response");
  return { xml, root };
}

type SignedResponse = { root: Element; assertion: Element; authnContext: string };

/**
 * The Response as its enveloped signature covers it (the canonical bytes xml-crypto verified),
 * so the checks after node-saml read nothing an attacker could have added around it.
 */
function signedRoot(xml: string, certs: string[]): SignedResponse | null {
  const signedRoot = signedDocumentElement(xml, certs);
  if (!signedRoot || signedRoot.localName !== "Response" || signedRoot.namespaceURI !== NS.samlp) return null;
  const assertions = children(signedRoot, NS.saml, "Assertion");
  if (assertions.length !== 1) throw new SamlError("malformed", "not exactly one Assertion");
  const assertion = assertions[0]!;
  const authnContext = textOf(
    child(child(child(assertion, NS.saml, "AuthnStatement"), NS.saml, "AuthnContext"), NS.saml, "AuthnContextClassRef"),
  );
  return { root: signedRoot, assertion, authnContext };
}

function fiscalCodeOf(raw: unknown): string {
  if (typeof raw !== "string") throw new SamlError("attribute", "fiscalNumber missing or repeated");
  const fiscalCode = raw.trim().replace(/^TINIT-/i, "").toUpperCase();
  // Persons carry a 16-character code, legal entities (SPID for businesses) an 11-digit one.
  if (!/^([A-Z0-9]{16}|\d{11})$/.test(fiscalCode)) throw new SamlError("attribute", "fiscalNumber malformed");
  return fiscalCode;
}

function instant(el: Element, attr: string): number {
  const value = el.getAttribute(attr);
  // SAML times are UTC xs:dateTime with Z, fractions of a second allowed; anything else is refused rather than guessed.
  const ms = value && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) throw new SamlError("malformed", `${el.localName}@${attr} missing or invalid`);
  return ms;
}

function child(parent: Element | null | undefined, ns: string, name: string): Element | null {
  return children(parent, ns, name)[0] ?? null;
}

function textOf(el: Element | null): string {
  return el?.textContent?.trim() ?? "";
}
