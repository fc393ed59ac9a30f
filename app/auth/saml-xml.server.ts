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

export const quietParser = () =>
  new DOMParser({ errorHandler: { warning: () => {}, error: () => {}, fatalError: () => {} } });

export function children(parent: Element | null | undefined, ns: string, name: string): Element[] {
  if (!parent) return [];
  return Array.from(parent.childNodes).filter(
    (n): n is Element => n.nodeType === 1 && (n as Element).localName === name && (n as Element).namespaceURI === ns,
  );
}

/**
 * The document element as its one enveloped signature covers it (the canonical bytes xml-crypto
 * verified against one of `certs`), or null. Callers read only this, never the bytes around it.
 */
export function signedDocumentElement(xml: string, certs: string[]): Element | null {
  // Same normalisation node-saml applies before verifying.
  const normalized = xml.replace(/\r\n?/g, "\n");
  const root = quietParser().parseFromString(normalized, "text/xml")?.documentElement;
  const signatures = children(root, NS.ds, "Signature");
  if (!root || signatures.length !== 1) return null;
  for (const cert of certs) {
    const sig = new SignedXml({ publicCert: cert });
    sig.loadSignature(signatures[0]!);
    const refs = sig.getReferences();
    if (refs.length !== 1 || refs[0]!.uri !== `#${root.getAttribute("ID")}`) return null;
    try {
      if (!sig.checkSignature(normalized)) continue;
    } catch {
      continue;
    }
    const [signedXml] = sig.getSignedReferences();
    if (signedXml) return quietParser().parseFromString(signedXml, "text/xml").documentElement ?? null;
  }
  return null;
}

/** Verifies the enveloped signature on the document element with the given certificate. */
export function verifyDocumentSignature(xml: string, cert: string): boolean {
  return signedDocumentElement(xml, [cert]) !== null;
}
