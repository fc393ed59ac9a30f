import { webcrypto } from "node:crypto";
import { X509Certificate, X509Crl } from "@peculiar/x509";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";

/**
 * Digitally signed documents (issue 17, docs/decisions/0072): CAdES (`.p7m`, the signed content
 * inside) and PAdES (a PDF with one or more signatures over byte ranges). Parsing and checking is
 * pkijs's (CMS, X.509, from the authors of @peculiar/x509): no hand-written ASN.1. "Integra" means
 * the content's digest matches the signed one and the signature verifies with the signer's
 * certificate; whether that certificate comes from a trusted authority is a separate question
 * (`trustOf`), answered against the CA certificates an administrator loaded.
 */

pkijs.setEngine("node", new pkijs.CryptoEngine({ name: "node", crypto: webcrypto as unknown as Crypto }));

export type SignerReport = {
  name: string;
  fiscalCode: string | null;
  signingTime: string | null;
  notBefore: string;
  notAfter: string;
  intact: boolean;
  /**
   * An RFC 3161 timestamp token on the signature (CAdES-T), when there is one: the time the
   * authority attests, its name, and whether the token is intact and covers this signature.
   */
  timestamp?: { time: string; authority: string; intact: boolean } | null;
  /** The signer's certificate (DER, base64): trust is evaluated when shown, against the current list. */
  certificate: string;
};

export type SignatureReport = {
  format: "cades" | "pades";
  intact: boolean;
  problem: string | null;
  signers: SignerReport[];
};

const SIGNING_TIME = "1.2.840.113549.1.9.5";
/** id-aa-timeStampToken (RFC 3161 appendix A), an unsigned attribute of the signer. */
const TIMESTAMP_TOKEN = "1.2.840.113549.1.9.16.2.14";
const SERIAL_NUMBER = "2.5.4.5";

const ab = (b: Uint8Array): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

/** Italian `.p7m` files come as DER or as base64 text of it. */
function derOf(bytes: Buffer): Buffer {
  if (bytes[0] === 0x30) return bytes;
  const text = bytes.toString("latin1").replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");
  return /^[A-Za-z0-9+/=]+$/.test(text) ? Buffer.from(text, "base64") : bytes;
}

function parseSignedData(der: Buffer): pkijs.SignedData {
  const info = pkijs.ContentInfo.fromBER(ab(der));
  if (info.contentType !== pkijs.ContentInfo.SIGNED_DATA) throw new Error("not signed data");
  return new pkijs.SignedData({ schema: info.content });
}

function octets(value: asn1js.OctetString): Buffer {
  // A constructed OCTET STRING (BER, as some signing tools write) is the concatenation of its parts.
  if (value.idBlock.isConstructed) return Buffer.concat((value.valueBlock.value as asn1js.OctetString[]).map(octets));
  return Buffer.from(value.valueBlock.valueHexView);
}

/** The signed content of a CAdES envelope, or null when the envelope is detached or unreadable. */
export function signedContent(bytes: Buffer): Buffer | null {
  try {
    const e = parseSignedData(derOf(bytes)).encapContentInfo.eContent;
    return e ? octets(e) : null;
  } catch {
    return null;
  }
}

function signerCertificate(sd: pkijs.SignedData, index: number): pkijs.Certificate | null {
  const sid = sd.signerInfos[index]!.sid;
  const certs = (sd.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
  if (sid instanceof pkijs.IssuerAndSerialNumber)
    return certs.find((c) => c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber)) ?? null;
  return certs[0] ?? null;
}

/**
 * The signer's timestamp token, if any: a CMS SignedData over a TSTInfo whose message imprint is
 * the digest of this signer's signature value. Unreadable → reported as not intact, not dropped.
 */
async function timestampOf(sd: pkijs.SignedData, index: number): Promise<SignerReport["timestamp"]> {
  const attr = sd.signerInfos[index]!.unsignedAttrs?.attributes.find((a) => a.type === TIMESTAMP_TOKEN);
  if (!attr) return null;
  try {
    const token = new pkijs.SignedData({ schema: new pkijs.ContentInfo({ schema: attr.values[0] }).content });
    const content = octets(token.encapContentInfo.eContent!);
    // pkijs reads the TSTInfo from a primitive OCTET STRING only; a BER (constructed) one is joined first.
    token.encapContentInfo.eContent = new asn1js.OctetString({ valueHex: ab(content) });
    const tst = pkijs.TSTInfo.fromBER(ab(content));
    const tsa = signerCertificate(token, 0);
    const authority = tsa ? (new X509Certificate(new Uint8Array(tsa.toSchema().toBER())).subjectName.getField("CN")[0] ?? "autorità di marcatura temporale") : "autorità di marcatura temporale";
    // pkijs checks the token's signature and that its message imprint is the digest of `data`.
    let verified = false;
    try {
      const signature = sd.signerInfos[index]!.signature.valueBlock.valueHexView;
      verified = Boolean((await token.verify({ signer: 0, data: ab(signature), checkChain: false, extendedMode: true })).signatureVerified);
    } catch {
      verified = false;
    }
    return { time: tst.genTime.toISOString(), authority, intact: verified };
  } catch {
    return { time: "", authority: "", intact: false };
  }
}

function describe(cert: pkijs.Certificate, sd: pkijs.SignedData, index: number, intact: boolean, timestamp: SignerReport["timestamp"]): SignerReport {
  const x = new X509Certificate(new Uint8Array(cert.toSchema().toBER()));
  const serial = x.subjectName.getField(SERIAL_NUMBER)[0] ?? null;
  const cn = x.subjectName.getField("CN")[0];
  const given = x.subjectName.getField("2.5.4.42")[0];
  const surname = x.subjectName.getField("2.5.4.4")[0];
  const attr = sd.signerInfos[index]!.signedAttrs?.attributes.find((a) => a.type === SIGNING_TIME);
  const time = attr?.values[0] as asn1js.UTCTime | asn1js.GeneralizedTime | undefined;
  return {
    name: cn ?? [given, surname].filter(Boolean).join(" ") ?? x.subject,
    // Italian qualified certificates carry the fiscal code as serialNumber "TINIT-<codice fiscale>".
    fiscalCode: serial && /^TINIT-/i.test(serial) ? serial.slice(6).toUpperCase() : null,
    signingTime: time ? time.toDate().toISOString() : null,
    notBefore: x.notBefore.toISOString(),
    notAfter: x.notAfter.toISOString(),
    intact,
    timestamp,
    certificate: Buffer.from(x.rawData).toString("base64"),
  };
}

async function verifySigners(sd: pkijs.SignedData, data?: Buffer): Promise<SignerReport[]> {
  const out: SignerReport[] = [];
  for (let i = 0; i < sd.signerInfos.length; i++) {
    const cert = signerCertificate(sd, i);
    if (!cert) throw new Error("no signer certificate");
    let intact = false;
    try {
      const r = await sd.verify({ signer: i, checkChain: false, extendedMode: true, ...(data ? { data: ab(data) } : {}) });
      intact = Boolean(r.signatureVerified);
    } catch {
      intact = false;
    }
    out.push(describe(cert, sd, i, intact, await timestampOf(sd, i)));
  }
  return out;
}

/** A `.p7m` (CAdES) file: every signer checked over the enclosed content. */
export async function verifyCades(bytes: Buffer): Promise<SignatureReport> {
  let sd: pkijs.SignedData;
  try {
    sd = parseSignedData(derOf(bytes));
  } catch {
    return { format: "cades", intact: false, problem: "Il file .p7m non contiene una busta di firma leggibile.", signers: [] };
  }
  if (!sd.encapContentInfo.eContent)
    return { format: "cades", intact: false, problem: "La busta .p7m non contiene il documento firmato (firma separata).", signers: [] };
  try {
    const signers = await verifySigners(sd);
    const intact = signers.length > 0 && signers.every((s) => s.intact);
    return { format: "cades", intact, problem: intact ? null : "Firma non valida: il documento o la firma sono stati alterati.", signers };
  } catch {
    return { format: "cades", intact: false, problem: "Firma senza il certificato del firmatario.", signers: [] };
  }
}

/**
 * The signatures of a PDF (PAdES): each `/ByteRange [a b c d]` with its `/Contents <hex>` is a
 * detached CMS over bytes a..a+b and c..c+d. Null when the PDF carries no signature.
 */
export async function verifyPades(pdf: Buffer): Promise<SignatureReport | null> {
  const text = pdf.toString("latin1");
  const found = [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)];
  if (!found.length) return null;
  const signers: SignerReport[] = [];
  let problem: string | null = null;
  for (const m of found) {
    const [a, b, c, d] = m.slice(1, 5).map(Number) as [number, number, number, number];
    // The signature sits in the gap between the two ranges, as the hex string of /Contents.
    const gap = text.slice(a + b, c);
    const hex = /<([0-9A-Fa-f\s]+)>/.exec(gap)?.[1]?.replace(/\s+/g, "");
    if (!hex || c + d > pdf.length) {
      problem = "Firma del PDF non leggibile.";
      continue;
    }
    const der = Buffer.from(hex.replace(/(00)+$/, ""), "hex");
    try {
      const sd = parseSignedData(der);
      signers.push(...(await verifySigners(sd, Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]))));
    } catch {
      problem = "Firma del PDF non leggibile.";
    }
  }
  const intact = problem === null && signers.length > 0 && signers.every((s) => s.intact);
  return { format: "pades", intact, problem: intact ? null : (problem ?? "Firma non valida: il documento o la firma sono stati alterati."), signers };
}

/** The report for a stored document, by its extension: null for files that are not signed. */
export async function verifySignedDocument(fileName: string, bytes: Buffer): Promise<SignatureReport | null> {
  const ext = fileName.toLowerCase().split(".").pop();
  if (ext === "p7m") return verifyCades(bytes);
  if (ext === "pdf") return verifyPades(bytes);
  return null;
}

/** Is the signer's certificate issued (and signed) by one of the trusted CA certificates (DER)? */
export async function trustOf(signer: Pick<SignerReport, "certificate">, trusted: Buffer[]): Promise<boolean> {
  const cert = new X509Certificate(new Uint8Array(Buffer.from(signer.certificate, "base64")));
  for (const der of trusted) {
    const ca = new X509Certificate(new Uint8Array(der));
    if (cert.issuer !== ca.subject) continue;
    if (await cert.verify({ publicKey: ca.publicKey, signatureOnly: true }, webcrypto as unknown as Crypto)) return true;
  }
  return false;
}

export type Revocation = { status: "good" | "revoked" | "unknown"; revokedAt: string | null; listDate: string | null };

/**
 * Is the signer's certificate revoked, by the revocation lists an administrator loaded (ADR
 * 0101)? A list counts only if a trusted CA of the certificate's issuer signed it and it is
 * current (`nextUpdate` not past); otherwise the answer is "unknown", never "good".
 */
export async function revocationOf(signer: Pick<SignerReport, "certificate">, crls: Buffer[], trusted: Buffer[], now: Date): Promise<Revocation> {
  const cert = new X509Certificate(new Uint8Array(Buffer.from(signer.certificate, "base64")));
  const cas = trusted.map((der) => new X509Certificate(new Uint8Array(der))).filter((ca) => ca.subject === cert.issuer);
  let best: { crl: X509Crl; revokedAt: Date | null } | null = null;
  for (const der of crls) {
    const crl = new X509Crl(new Uint8Array(der));
    if (crl.issuer !== cert.issuer || (crl.nextUpdate && crl.nextUpdate < now)) continue;
    let signed = false;
    for (const ca of cas) if (await crl.verify({ publicKey: ca.publicKey }, webcrypto as unknown as Crypto)) signed = true;
    if (!signed) continue;
    const entry = crl.findRevoked(cert);
    if (!best || crl.thisUpdate > best.crl.thisUpdate) best = { crl, revokedAt: entry ? entry.revocationDate : null };
  }
  if (!best) return { status: "unknown", revokedAt: null, listDate: null };
  return { status: best.revokedAt ? "revoked" : "good", revokedAt: best.revokedAt?.toISOString() ?? null, listDate: best.crl.thisUpdate.toISOString() };
}

/** Reads a revocation list pasted as PEM (`X509 CRL` or `CRL`) or base64 DER; null when it is none. */
export function parseCrl(text: string): X509Crl | null {
  const body = text.replace(/-----(BEGIN|END) (X509 )?CRL-----/g, "").replace(/\s+/g, "");
  if (!body || !/^[A-Za-z0-9+/=]+$/.test(body)) return null;
  try {
    return new X509Crl(new Uint8Array(Buffer.from(body, "base64")));
  } catch {
    return null;
  }
}

/** The original name of a signed file's content: "contratto.pdf.p7m" → "contratto.pdf". */
export const contentFileName = (fileName: string) => fileName.replace(/\.p7m$/i, "") || "documento";
