import { DOMParser } from "@xmldom/xmldom";
import { SignedXml } from "xml-crypto";

export const NS = {
  samlp: "urn:oasis:names:tc:SAML:2.0:protocol",
  saml: "urn:oasis:names:tc:SAML:2.0:assertion",
  md: "urn:oasis:names:tc:SAML:2.0:metadata",
  ds: "http://www.w3.org/2000/09/xmldsig#",
};
export const RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
const SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256";
const EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#";
const ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
export const TRANSIENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient";
export const SPID_L2 = "https://www.spid.gov.it/SpidL2";
export const HTTP_POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";
export const HTTP_REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";

export function xmlEscape(s: string) {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);
}

/**
 * Enveloped RSA-SHA256 signature of the element with the given local name, placed where the
 * SAML schema wants it (right after that element's Issuer, or first when it has none).
 */
export function signElement(xml: string, opts: { localName: string; key: string; cert: string; afterIssuer: boolean }) {
  const target = `//*[local-name(.)='${opts.localName}']`;
  const sig = new SignedXml({
    privateKey: opts.key,
    publicCert: opts.cert,
    signatureAlgorithm: RSA_SHA256,
    canonicalizationAlgorithm: EXC_C14N,
  });
  sig.addReference({ xpath: target, digestAlgorithm: SHA256, transforms: [ENVELOPED, EXC_C14N] });
  sig.computeSignature(xml, {
    prefix: "ds",
    location: opts.afterIssuer
      ? { reference: `${target}/*[local-name(.)='Issuer']`, action: "after" }
      : { reference: target, action: "prepend" },
  });
  return sig.getSignedXml();
}

/** Verifies the enveloped signature on the document element with the given certificate. */
export function verifyDocumentSignature(xml: string, cert: string): boolean {
  const doc = new DOMParser().parseFromString(xml, "text/xml");
  const signature = Array.from(doc.documentElement!.childNodes).find(
    (n) => (n as Element).localName === "Signature" && (n as Element).namespaceURI === NS.ds,
  ) as Element | undefined;
  if (!signature) return false;
  const sig = new SignedXml({ publicCert: cert });
  sig.loadSignature(signature);
  try {
    return sig.checkSignature(xml) && sig.getSignedReferences().length === 1;
  } catch {
    return false;
  }
}
