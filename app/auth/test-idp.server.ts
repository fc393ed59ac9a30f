import crypto from "node:crypto";
import zlib from "node:zlib";
import { DOMParser } from "@xmldom/xmldom";
import { certBody } from "./keys.server";
import { HTTP_REDIRECT, NS, RSA_SHA256, signElement, SPID_L2, TRANSIENT, xmlEscape } from "./saml-xml.server";

/**
 * The built-in TEST identity provider. It stands in, in development, demo and tests, for the
 * regional federated IdP: it verifies our signed AuthnRequest and answers with a SAML Response
 * signed like a real one. Configuration refuses it in production.
 */
export type TestIdpOptions = { baseUrl: string; idpKey: string; idpCert: string; spCert: string; now?: () => Date };

export type TestIdentity = { fiscalCode: string; name: string; familyName: string; email: string };

export type ResponseOptions = {
  /** Omitted only to produce an unsolicited response. */
  inResponseTo?: string;
  /** Destination, and Recipient unless `recipient` says otherwise. */
  acsUrl: string;
  audience: string;
  identity: TestIdentity;
  now?: Date;
  notOnOrAfterSeconds?: number;
  // Test-only knobs, to produce deliberately wrong answers.
  issuer?: string;
  /** Issuer of the Assertion alone (default `issuer`). */
  assertionIssuer?: string;
  recipient?: string;
  /** Validity of SubjectConfirmationData alone (default `notOnOrAfterSeconds`). */
  subjectNotOnOrAfterSeconds?: number;
  /** Offset of Conditions NotBefore from `now` (default 0). */
  notBeforeSeconds?: number;
  /** InResponseTo of SubjectConfirmationData; null leaves it out. Defaults to `inResponseTo`. */
  subjectInResponseTo?: string | null;
  authnContextClassRef?: string;
  /** The fiscalNumber attribute verbatim (default `TINIT-<fiscalCode>`); null leaves it out. */
  fiscalNumber?: string | null;
  /** Version of the Response, and of the Assertion unless `assertionVersion` says otherwise (default "2.0"). */
  version?: string;
  assertionVersion?: string;
  /** IssueInstant of the Response and of the Assertion, verbatim (default `now` to the second). */
  issueInstant?: string;
  assertionIssueInstant?: string;
  /** Format of the Response's and of the Assertion's Issuer (default entity); null leaves it out. */
  issuerFormat?: string | null;
  assertionIssuerFormat?: string | null;
  /** The Subject's NameID text (default a random transient id); null leaves the element out. */
  nameId?: string | null;
  /** NameID Format (default transient) and NameQualifier (default the issuer); null leaves them out. */
  nameIdFormat?: string | null;
  nameQualifier?: string | null;
  /** A failed authentication: this status, and no Assertion (as SPID IdPs answer ErrorCode 19–25). */
  failure?: { statusCode?: string; subStatusCode?: string; statusMessage?: string };
  sign?: "both" | "none" | "assertion" | "response";
  signWith?: { key: string; cert: string };
};

export type ParsedAuthnRequest = {
  id: string;
  acsUrl: string;
  issuer: string;
  relayState?: string;
  forceAuthn: boolean;
  xml: string;
};

const SIGNED_PARAMS = ["SAMLRequest", "RelayState", "SigAlg"] as const;
const ALL_PARAMS = [...SIGNED_PARAMS, "Signature"] as const;

const ENTITY_FORMAT = "urn:oasis:names:tc:SAML:2.0:nameid-format:entity";
const RESPONDER = "urn:oasis:names:tc:SAML:2.0:status:Responder";
const AUTHN_FAILED = "urn:oasis:names:tc:SAML:2.0:status:AuthnFailed";

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

export function createTestIdp(opts: TestIdpOptions) {
  const entityId = `${opts.baseUrl}/test-idp`;
  const ssoUrl = `${opts.baseUrl}/test-idp/sso`;
  const logoutUrl = `${opts.baseUrl}/test-idp/slo`;

  /**
   * Inflates and checks an HTTP-Redirect AuthnRequest, including its detached signature.
   * Prefer the raw query string: the signature covers the parameters exactly as encoded on the
   * wire. A URLSearchParams has lost that encoding, so it is re-encoded as strict RFC 3986 (what
   * our SP sends); an SP using another encoder would then fail verification.
   */
  async function parseAuthnRequest(query: string | URLSearchParams): Promise<ParsedAuthnRequest> {
    const { values, signedOctets } = typeof query === "string" ? fromWire(query) : fromParams(query);
    const samlRequest = values.get("SAMLRequest");
    const sigAlg = values.get("SigAlg");
    const signature = values.get("Signature");
    if (!samlRequest) throw new Error("SAMLRequest mancante");
    if (!sigAlg || !signature) throw new Error("richiesta non firmata");
    if (sigAlg !== RSA_SHA256) throw new Error("algoritmo di firma non ammesso");
    const ok = crypto.createVerify("RSA-SHA256").update(signedOctets).verify(opts.spCert, Buffer.from(signature, "base64"));
    if (!ok) throw new Error("firma della richiesta non valida");

    let xml: string;
    try {
      xml = zlib.inflateRawSync(Buffer.from(samlRequest, "base64")).toString("utf8");
    } catch {
      throw new Error("SAMLRequest non decodificabile");
    }
    const doc = new DOMParser({ errorHandler: { warning: () => {}, error: () => {}, fatalError: () => {} } }).parseFromString(xml, "text/xml");
    const root = doc?.documentElement;
    if (!root || root.localName !== "AuthnRequest" || root.namespaceURI !== NS.samlp) throw new Error("non è una AuthnRequest");
    const id = root.getAttribute("ID");
    const issuer = Array.from(root.childNodes)
      .find((n) => (n as Element).localName === "Issuer" && (n as Element).namespaceURI === NS.saml)
      ?.textContent?.trim();
    if (!id || !issuer) throw new Error("AuthnRequest senza ID o Issuer");
    if (root.getAttribute("Destination") !== ssoUrl) throw new Error("AuthnRequest destinata a un altro identity provider");
    return {
      id,
      issuer,
      acsUrl: root.getAttribute("AssertionConsumerServiceURL") ?? "",
      forceAuthn: root.getAttribute("ForceAuthn") === "true",
      relayState: values.get("RelayState"),
      xml,
    };
  }

  function buildSignedResponse(o: ResponseOptions): string {
    const now = o.now ?? opts.now?.() ?? new Date();
    const at = (seconds: number) => iso(new Date(now.getTime() + seconds * 1000));
    const notOnOrAfter = at(o.notOnOrAfterSeconds ?? 300);
    const subjectNotOnOrAfter = at(o.subjectNotOnOrAfterSeconds ?? o.notOnOrAfterSeconds ?? 300);
    const notBefore = at(o.notBeforeSeconds ?? 0);
    const issuer = xmlEscape(o.issuer ?? entityId);
    const assertionIssuer = xmlEscape(o.assertionIssuer ?? o.issuer ?? entityId);
    const responseId = `_${crypto.randomBytes(16).toString("hex")}`;
    const assertionId = `_${crypto.randomBytes(16).toString("hex")}`;
    const irt = o.inResponseTo ? ` InResponseTo="${xmlEscape(o.inResponseTo)}"` : "";
    const subjectIrtValue = o.subjectInResponseTo === undefined ? o.inResponseTo : o.subjectInResponseTo;
    const subjectIrt = subjectIrtValue ? ` InResponseTo="${xmlEscape(subjectIrtValue)}"` : "";
    const fiscalNumber = o.fiscalNumber === undefined ? `TINIT-${o.identity.fiscalCode}` : o.fiscalNumber;
    const optional = (name: string, value: string | null | undefined) => (value === null || value === undefined ? "" : ` ${name}="${xmlEscape(value)}"`);
    const issuerFormat = o.issuerFormat === undefined ? ENTITY_FORMAT : o.issuerFormat;
    const assertionIssuerFormat = o.assertionIssuerFormat === undefined ? ENTITY_FORMAT : o.assertionIssuerFormat;
    const nameIdText = o.nameId === undefined ? `_${crypto.randomBytes(12).toString("hex")}` : o.nameId;
    const nameIdAttrs =
      optional("Format", o.nameIdFormat === undefined ? TRANSIENT : o.nameIdFormat) +
      optional("NameQualifier", o.nameQualifier === undefined ? (o.assertionIssuer ?? o.issuer ?? entityId) : o.nameQualifier);
    const nameId = nameIdText === null ? "" : `<saml:NameID${nameIdAttrs}>${xmlEscape(nameIdText)}</saml:NameID>`;
    const issueInstant = o.issueInstant ?? iso(now);
    const assertionIssueInstant = o.assertionIssueInstant ?? o.issueInstant ?? iso(now);
    const attr = (name: string, value: string) =>
      `<saml:Attribute Name="${name}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic"><saml:AttributeValue xsi:type="xs:string">${xmlEscape(value)}</saml:AttributeValue></saml:Attribute>`;
    const attributes =
      (fiscalNumber === null ? "" : attr("fiscalNumber", fiscalNumber)) +
      attr("name", o.identity.name) +
      attr("familyName", o.identity.familyName) +
      attr("email", o.identity.email);
    const assertion =
      `<saml:Assertion xmlns:saml="${NS.saml}" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ID="${assertionId}"${optional("Version", o.assertionVersion ?? o.version ?? "2.0")} IssueInstant="${xmlEscape(assertionIssueInstant)}">` +
      `<saml:Issuer${optional("Format", assertionIssuerFormat)}>${assertionIssuer}</saml:Issuer>` +
      `<saml:Subject>${nameId}` +
      `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData Recipient="${xmlEscape(o.recipient ?? o.acsUrl)}" NotOnOrAfter="${subjectNotOnOrAfter}"${subjectIrt}/></saml:SubjectConfirmation></saml:Subject>` +
      `<saml:Conditions NotBefore="${notBefore}" NotOnOrAfter="${notOnOrAfter}"><saml:AudienceRestriction><saml:Audience>${xmlEscape(o.audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
      `<saml:AuthnStatement AuthnInstant="${iso(now)}" SessionIndex="${assertionId}"><saml:AuthnContext><saml:AuthnContextClassRef>${xmlEscape(o.authnContextClassRef ?? SPID_L2)}</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
      `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>` +
      `</saml:Assertion>`;
    const status = o.failure
      ? `<samlp:Status><samlp:StatusCode Value="${xmlEscape(o.failure.statusCode ?? RESPONDER)}">` +
        (o.failure.subStatusCode === undefined ? `<samlp:StatusCode Value="${AUTHN_FAILED}"/>` : `<samlp:StatusCode Value="${xmlEscape(o.failure.subStatusCode)}"/>`) +
        `</samlp:StatusCode>${o.failure.statusMessage === undefined ? "" : `<samlp:StatusMessage>${xmlEscape(o.failure.statusMessage)}</samlp:StatusMessage>`}</samlp:Status>`
      : `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>`;
    let xml =
      `<samlp:Response xmlns:samlp="${NS.samlp}" xmlns:saml="${NS.saml}" ID="${responseId}"${optional("Version", o.version ?? "2.0")} IssueInstant="${xmlEscape(issueInstant)}" Destination="${xmlEscape(o.acsUrl)}"${irt}>` +
      `<saml:Issuer${optional("Format", issuerFormat)}>${issuer}</saml:Issuer>` +
      status +
      (o.failure ? "" : assertion) +
      `</samlp:Response>`;
    const sign = o.failure && o.sign === undefined ? "response" : (o.sign ?? "both");
    const key = o.signWith?.key ?? opts.idpKey;
    const cert = o.signWith?.cert ?? opts.idpCert;
    // Assertion first: the Response signature must cover the assertion's signature too.
    if ((sign === "both" || sign === "assertion") && !o.failure) xml = signElement(xml, { localName: "Assertion", key, cert, afterIssuer: true });
    if (sign === "both" || sign === "response") xml = signElement(xml, { localName: "Response", key, cert, afterIssuer: true });
    return Buffer.from(xml, "utf8").toString("base64");
  }

  function metadataXml() {
    return `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="${NS.md}" xmlns:ds="${NS.ds}" entityID="${xmlEscape(entityId)}">
<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" WantAuthnRequestsSigned="true">
<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${certBody(opts.idpCert)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
<md:NameIDFormat>${TRANSIENT}</md:NameIDFormat>
<md:SingleLogoutService Binding="${HTTP_REDIRECT}" Location="${xmlEscape(logoutUrl)}"/>
<md:SingleSignOnService Binding="${HTTP_REDIRECT}" Location="${xmlEscape(ssoUrl)}"/>
</md:IDPSSODescriptor>
</md:EntityDescriptor>`;
  }

  return { entityId, ssoUrl, logoutUrl, parseAuthnRequest, buildSignedResponse, metadataXml };
}

export type TestIdp = ReturnType<typeof createTestIdp>;

/** The parameters as received, and the octets the SP signed, from the raw query string. */
function fromWire(wire: string) {
  const raw = new Map<string, string>();
  const values = new Map<string, string>();
  for (const part of wire.replace(/^\?/, "").split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const rawKey = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? "" : part.slice(eq + 1);
    const key = formDecode(rawKey);
    if (!(ALL_PARAMS as readonly string[]).includes(key)) continue;
    // A repeated parameter could make the verified value and the used value differ.
    if (raw.has(key)) throw new Error(`parametro ${key} ripetuto`);
    raw.set(key, rawValue);
    values.set(key, formDecode(rawValue));
  }
  const signedOctets = SIGNED_PARAMS.filter((k) => raw.has(k))
    .map((k) => `${k}=${raw.get(k)}`)
    .join("&");
  return { values, signedOctets };
}

function fromParams(params: URLSearchParams) {
  const values = new Map<string, string>();
  for (const key of ALL_PARAMS) {
    const all = params.getAll(key);
    if (all.length > 1) throw new Error(`parametro ${key} ripetuto`);
    if (all.length === 1) values.set(key, all[0]!);
  }
  const signedOctets = SIGNED_PARAMS.filter((k) => values.has(k))
    .map((k) => `${k}=${rfc3986(values.get(k)!)}`)
    .join("&");
  return { values, signedOctets };
}

// Strict RFC 3986, as our SP signs (see saml.server); kept local so the test IdP stays standalone.
function rfc3986(value: string) {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function formDecode(s: string) {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    throw new Error("parametro non codificato correttamente");
  }
}
