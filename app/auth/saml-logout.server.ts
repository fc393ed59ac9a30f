import crypto from "node:crypto";
import zlib from "node:zlib";
import { children, NS, quietParser, RSA_SHA256, signedDocumentElement, xmlEscape } from "./saml-xml.server";

/** Our side of a logout: the IdP we trust and our own SingleLogoutService (the Destination). */
export type LogoutIdp = { entityId: string; certs: string[]; sloUrl: string; clockSkewMs: number };

/** A LogoutRequest whose signature and contents held: what the answer must name. */
export type VerifiedLogoutRequest = { id: string; relayState: string | undefined };

const ENTITY = "urn:oasis:names:tc:SAML:2.0:nameid-format:entity";
const SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success";

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

/** Issuer, Destination and IssueInstant of a LogoutRequest already known to be signed; its ID. */
function acceptedRequestId(root: Element | null | undefined, idp: LogoutIdp, now: Date): string | null {
  if (!root || root.namespaceURI !== NS.samlp || root.localName !== "LogoutRequest") return null;
  const [issuer] = children(root, NS.saml, "Issuer");
  if (issuer?.textContent?.trim() !== idp.entityId) return null;
  const destination = root.getAttribute("Destination");
  if (destination && destination !== idp.sloUrl) return null;
  const issued = Date.parse(root.getAttribute("IssueInstant") ?? "");
  const window = idp.clockSkewMs + 5 * 60_000;
  if (!Number.isFinite(issued) || Math.abs(now.getTime() - issued) > window) return null;
  return root.getAttribute("ID") || null;
}

/**
 * A LogoutRequest sent by the IdP with the HTTP-Redirect binding: the detached RSA-SHA256
 * signature over `SAMLRequest=…&RelayState=…&SigAlg=…` (as received) by one of the IdP's
 * certificates, then on the request itself its Issuer, Destination and IssueInstant.
 */
export function verifyLogoutRequest(rawQuery: string, idp: LogoutIdp, now = new Date()): VerifiedLogoutRequest | null {
  try {
    const params = rawParams(rawQuery);
    const request = params.get("SAMLRequest");
    const sigAlg = params.get("SigAlg");
    const signature = params.get("Signature");
    if (!request || !sigAlg || !signature || decode(sigAlg) !== RSA_SHA256) return null;
    const relay = params.get("RelayState");
    const signed = `SAMLRequest=${request}${relay !== undefined ? `&RelayState=${relay}` : ""}&SigAlg=${sigAlg}`;
    const sig = Buffer.from(decode(signature), "base64");
    if (!idp.certs.some((cert) => crypto.verify("sha256", Buffer.from(signed), cert, sig))) return null;
    const xml = zlib.inflateRawSync(Buffer.from(decode(request), "base64")).toString("utf8");
    const id = acceptedRequestId(quietParser().parseFromString(xml, "text/xml").documentElement, idp, now);
    return id ? { id, relayState: relay === undefined ? undefined : decode(relay) } : null;
  } catch {
    return null;
  }
}

/**
 * A LogoutRequest posted by the IdP (HTTP-POST binding): base64 XML with an enveloped signature
 * by one of the IdP's certificates; only the signed element is read.
 */
export function verifyPostedLogoutRequest(samlRequest: string, relayState: string | undefined, idp: LogoutIdp, now = new Date()): VerifiedLogoutRequest | null {
  try {
    const xml = Buffer.from(samlRequest, "base64").toString("utf8");
    const id = acceptedRequestId(signedDocumentElement(xml, idp.certs), idp, now);
    return id ? { id, relayState } : null;
  } catch {
    return null;
  }
}

/**
 * The signed LogoutResponse (HTTP-Redirect) that tells the IdP this session is over: SPID wants
 * the Issuer with Format entity and NameQualifier, and the status Success.
 */
export function logoutResponseUrl(opts: {
  idpLogoutUrl: string;
  inResponseTo: string;
  spEntityId: string;
  spKey: string;
  relayState?: string;
  now?: Date;
}) {
  const issued = (opts.now ?? new Date()).toISOString();
  const xml =
    `<samlp:LogoutResponse xmlns:samlp="${NS.samlp}" xmlns:saml="${NS.saml}" ID="_${crypto.randomBytes(20).toString("hex")}" Version="2.0"` +
    ` IssueInstant="${issued}" Destination="${xmlEscape(opts.idpLogoutUrl)}" InResponseTo="${xmlEscape(opts.inResponseTo)}">` +
    `<saml:Issuer Format="${ENTITY}" NameQualifier="${xmlEscape(opts.spEntityId)}">${xmlEscape(opts.spEntityId)}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="${SUCCESS}"/></samlp:Status></samlp:LogoutResponse>`;
  const enc = encodeURIComponent;
  let query = `SAMLResponse=${enc(zlib.deflateRawSync(xml).toString("base64"))}`;
  if (opts.relayState !== undefined) query += `&RelayState=${enc(opts.relayState)}`;
  query += `&SigAlg=${enc(RSA_SHA256)}`;
  const signature = crypto.sign("sha256", Buffer.from(query), opts.spKey).toString("base64");
  return `${opts.idpLogoutUrl}${opts.idpLogoutUrl.includes("?") ? "&" : "?"}${query}&Signature=${enc(signature)}`;
}

/**
 * The IdP's side of the check (the test IdP, and the tests): a LogoutResponse with a valid
 * signature by the SP, answering `inResponseTo` when given, with status Success.
 */
export function verifyLogoutResponse(rawQuery: string, opts: { spCert: string; spEntityId: string; inResponseTo?: string }) {
  try {
    const params = rawParams(rawQuery);
    const response = params.get("SAMLResponse");
    const sigAlg = params.get("SigAlg");
    const signature = params.get("Signature");
    if (!response || !sigAlg || !signature || decode(sigAlg) !== RSA_SHA256) return null;
    const relay = params.get("RelayState");
    const signed = `SAMLResponse=${response}${relay !== undefined ? `&RelayState=${relay}` : ""}&SigAlg=${sigAlg}`;
    if (!crypto.verify("sha256", Buffer.from(signed), opts.spCert, Buffer.from(decode(signature), "base64"))) return null;
    const xml = zlib.inflateRawSync(Buffer.from(decode(response), "base64")).toString("utf8");
    const root = quietParser().parseFromString(xml, "text/xml").documentElement;
    if (!root || root.namespaceURI !== NS.samlp || root.localName !== "LogoutResponse") return null;
    const [issuer] = children(root, NS.saml, "Issuer");
    if (issuer?.textContent?.trim() !== opts.spEntityId || issuer.getAttribute("Format") !== ENTITY) return null;
    if (opts.inResponseTo && root.getAttribute("InResponseTo") !== opts.inResponseTo) return null;
    const [status] = children(root, NS.samlp, "Status");
    const [code] = children(status, NS.samlp, "StatusCode");
    if (code?.getAttribute("Value") !== SUCCESS) return null;
    return { inResponseTo: root.getAttribute("InResponseTo") ?? "" };
  } catch {
    return null;
  }
}
