import crypto from "node:crypto";
import zlib from "node:zlib";
import { DOMParser } from "@xmldom/xmldom";
import { NS, RSA_SHA256 } from "./saml-xml.server";

export type LogoutIdp = { entityId: string; certs: string[]; sloUrl: string; clockSkewMs: number };

/** The raw (still percent-encoded) value of each query parameter, as the signature covers them. */
function rawParams(rawQuery: string) {
  const out = new Map<string, string>();
  for (const pair of rawQuery.split("&")) {
    const eq = pair.indexOf("=");
    if (eq > 0 && !out.has(pair.slice(0, eq))) out.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  return out;
}

const decode = (raw: string) => decodeURIComponent(raw.replace(/\+/g, " "));

/**
 * Checks a LogoutRequest sent by the IdP with the HTTP-Redirect binding: the detached RSA-SHA256
 * signature over `SAMLRequest=…&RelayState=…&SigAlg=…` (as received) by one of the IdP's
 * certificates, then on the request itself its Issuer, Destination and IssueInstant. True only
 * when all hold.
 */
export function verifyLogoutRequest(rawQuery: string, idp: LogoutIdp, now = new Date()): boolean {
  try {
    const params = rawParams(rawQuery);
    const request = params.get("SAMLRequest");
    const sigAlg = params.get("SigAlg");
    const signature = params.get("Signature");
    if (!request || !sigAlg || !signature || decode(sigAlg) !== RSA_SHA256) return false;
    const relay = params.get("RelayState");
    const signed = `SAMLRequest=${request}${relay !== undefined ? `&RelayState=${relay}` : ""}&SigAlg=${sigAlg}`;
    const sig = Buffer.from(decode(signature), "base64");
    if (!idp.certs.some((cert) => crypto.verify("sha256", Buffer.from(signed), cert, sig))) return false;
    const xml = zlib.inflateRawSync(Buffer.from(decode(request), "base64")).toString("utf8");
    const root = new DOMParser().parseFromString(xml, "text/xml").documentElement;
    if (!root || root.namespaceURI !== NS.samlp || root.localName !== "LogoutRequest") return false;
    const issuer = Array.from(root.childNodes).find((n) => n.nodeType === 1 && (n as Element).localName === "Issuer");
    if (issuer?.textContent?.trim() !== idp.entityId) return false;
    const destination = root.getAttribute("Destination");
    if (destination && destination !== idp.sloUrl) return false;
    const issued = Date.parse(root.getAttribute("IssueInstant") ?? "");
    const window = idp.clockSkewMs + 5 * 60_000;
    return Number.isFinite(issued) && Math.abs(now.getTime() - issued) <= window;
  } catch {
    return false;
  }
}
