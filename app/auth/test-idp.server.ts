import crypto from "node:crypto";
import zlib from "node:zlib";
import { DOMParser } from "@xmldom/xmldom";
import { certBody } from "./keys.server";
import { HTTP_REDIRECT, NS, RSA_SHA256, signElement, SPID_L2, TRANSIENT, xmlEscape } from "./saml-xml.server";

/**
 * The built-in TEST identity provider. It stands in, in development, demo and tests, for the
 * regional federated IdP: it verifies our signed AuthnRequest and answers with a SAML Response
 * signed like a real one. It is refused in production by configuration.
 */
export type TestIdpOptions = { baseUrl: string; idpKey: string; idpCert: string; spCert: string; now?: () => Date };

export type ResponseOptions = {
  inResponseTo?: string;
  acsUrl: string;
  audience: string;
  identity: { fiscalCode: string; name: string; familyName: string; email: string };
  now?: Date;
  notOnOrAfterSeconds?: number;
  /** Test-only knobs to produce deliberately wrong answers. */
  issuer?: string;
  sign?: "both" | "none" | "assertion";
  signWith?: { key: string; cert: string };
};

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

export function createTestIdp(opts: TestIdpOptions) {
  const entityId = `${opts.baseUrl}/test-idp`;
  const ssoUrl = `${opts.baseUrl}/test-idp/sso`;

  /** Inflates and checks an HTTP-Redirect AuthnRequest, including its detached signature. */
  async function parseAuthnRequest(wire: string) {
    const query = new URLSearchParams(wire);
    const samlRequest = query.get("SAMLRequest");
    const sigAlg = query.get("SigAlg");
    const signature = query.get("Signature");
    if (!samlRequest) throw new Error("SAMLRequest mancante");
    if (!sigAlg || !signature) throw new Error("richiesta non firmata");
    if (sigAlg !== RSA_SHA256) throw new Error("algoritmo di firma non ammesso");
    // The signed octets are the query parameters exactly as they were encoded on the wire.
    const raw = new Map<string, string>();
    for (const part of wire.split("&")) {
      const [k, v = ""] = part.split("=");
      raw.set(k!, v);
    }
    const signed = ["SAMLRequest", "RelayState", "SigAlg"]
      .filter((k) => raw.has(k))
      .map((k) => `${k}=${raw.get(k)}`)
      .join("&");
    const ok = crypto.createVerify("RSA-SHA256").update(signed).verify(opts.spCert, Buffer.from(signature, "base64"));
    if (!ok) throw new Error("firma della richiesta non valida");
    const xml = zlib.inflateRawSync(Buffer.from(samlRequest, "base64")).toString("utf8");
    const doc = new DOMParser().parseFromString(xml, "text/xml");
    const root = doc.documentElement;
    if (!root || root.localName !== "AuthnRequest" || root.namespaceURI !== NS.samlp) throw new Error("non è una AuthnRequest");
    const id = root.getAttribute("ID");
    const issuer = doc.getElementsByTagNameNS(NS.saml, "Issuer")[0]?.textContent?.trim();
    if (!id || !issuer) throw new Error("AuthnRequest senza ID o Issuer");
    return {
      id,
      issuer,
      acsUrl: root.getAttribute("AssertionConsumerServiceURL") ?? "",
      forceAuthn: root.getAttribute("ForceAuthn") === "true",
      relayState: query.get("RelayState") ?? undefined,
      xml,
    };
  }

  function buildSignedResponse(o: ResponseOptions): string {
    const now = o.now ?? opts.now?.() ?? new Date();
    const notOnOrAfter = new Date(now.getTime() + (o.notOnOrAfterSeconds ?? 300) * 1000);
    const issuer = xmlEscape(o.issuer ?? entityId);
    const responseId = `_${crypto.randomBytes(16).toString("hex")}`;
    const assertionId = `_${crypto.randomBytes(16).toString("hex")}`;
    const irt = o.inResponseTo ? ` InResponseTo="${xmlEscape(o.inResponseTo)}"` : "";
    const attr = (name: string, value: string) =>
      `<saml:Attribute Name="${name}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic"><saml:AttributeValue xsi:type="xs:string">${xmlEscape(value)}</saml:AttributeValue></saml:Attribute>`;
    const assertion = `<saml:Assertion xmlns:saml="${NS.saml}" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ID="${assertionId}" Version="2.0" IssueInstant="${iso(now)}">` +
      `<saml:Issuer Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">${issuer}</saml:Issuer>` +
      `<saml:Subject><saml:NameID Format="${TRANSIENT}" NameQualifier="${issuer}">_${crypto.randomBytes(12).toString("hex")}</saml:NameID>` +
      `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData Recipient="${xmlEscape(o.acsUrl)}" NotOnOrAfter="${iso(notOnOrAfter)}"${irt}/></saml:SubjectConfirmation></saml:Subject>` +
      `<saml:Conditions NotBefore="${iso(now)}" NotOnOrAfter="${iso(notOnOrAfter)}"><saml:AudienceRestriction><saml:Audience>${xmlEscape(o.audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
      `<saml:AuthnStatement AuthnInstant="${iso(now)}" SessionIndex="${assertionId}"><saml:AuthnContext><saml:AuthnContextClassRef>${SPID_L2}</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
      `<saml:AttributeStatement>${attr("fiscalNumber", `TINIT-${o.identity.fiscalCode}`)}${attr("name", o.identity.name)}${attr("familyName", o.identity.familyName)}${attr("email", o.identity.email)}</saml:AttributeStatement>` +
      `</saml:Assertion>`;
    let xml = `<samlp:Response xmlns:samlp="${NS.samlp}" xmlns:saml="${NS.saml}" ID="${responseId}" Version="2.0" IssueInstant="${iso(now)}" Destination="${xmlEscape(o.acsUrl)}"${irt}>` +
      `<saml:Issuer Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">${issuer}</saml:Issuer>` +
      `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
      assertion +
      `</samlp:Response>`;
    const sign = o.sign ?? "both";
    const key = o.signWith?.key ?? opts.idpKey;
    const cert = o.signWith?.cert ?? opts.idpCert;
    if (sign !== "none") xml = signElement(xml, { localName: "Assertion", key, cert, afterIssuer: true });
    if (sign === "both") xml = signElement(xml, { localName: "Response", key, cert, afterIssuer: true });
    return Buffer.from(xml, "utf8").toString("base64");
  }

  function metadataXml() {
    return `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="${NS.md}" xmlns:ds="${NS.ds}" entityID="${xmlEscape(entityId)}">
<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" WantAuthnRequestsSigned="true">
<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${certBody(opts.idpCert)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
<md:NameIDFormat>${TRANSIENT}</md:NameIDFormat>
<md:SingleSignOnService Binding="${HTTP_REDIRECT}" Location="${xmlEscape(ssoUrl)}"/>
</md:IDPSSODescriptor>
</md:EntityDescriptor>`;
  }

  return { entityId, ssoUrl, parseAuthnRequest, buildSignedResponse, metadataXml };
}

export type TestIdp = ReturnType<typeof createTestIdp>;
