import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";

/**
 * Certificates and signatures made during the test run (issue 17): a CA, a signer with an Italian
 * qualified-certificate subject (serialNumber "TINIT-<codice fiscale>"), CAdES `.p7m` envelopes
 * and a PAdES-style PDF, all with pkijs and @peculiar/x509. Nothing is read from disk.
 */
const crypto = webcrypto as unknown as Crypto;
x509.cryptoProvider.set(crypto);
pkijs.setEngine("node", new pkijs.CryptoEngine({ name: "node", crypto }));

const ALG = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256", publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };

export type TestSigner = { ca: x509.X509Certificate; caKey: CryptoKey; cert: x509.X509Certificate; key: CryptoKey };

export async function makeSigner(opts: { fiscalCode?: string; name?: string; caName?: string } = {}): Promise<TestSigner> {
  const caKeys = (await crypto.subtle.generateKey(ALG, true, ["sign", "verify"])) as CryptoKeyPair;
  const caName = `CN=${opts.caName ?? "CA di prova qualificata"}, O=Prova, C=IT`;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: "01",
    name: caName,
    notBefore: new Date(Date.now() - 86_400_000),
    notAfter: new Date(Date.now() + 365 * 86_400_000),
    keys: caKeys,
    signingAlgorithm: ALG,
    extensions: [new x509.BasicConstraintsExtension(true, 0, true)],
  });
  const keys = (await crypto.subtle.generateKey(ALG, true, ["sign", "verify"])) as CryptoKeyPair;
  const name = opts.name ?? "Mario Rossi";
  const [given, surname] = name.split(" ");
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: "2a",
    subject: `CN=${name}, 2.5.4.42=${given}, 2.5.4.4=${surname}, 2.5.4.5=TINIT-${opts.fiscalCode ?? "RSSMRA80A01H501U"}, C=IT`,
    issuer: ca.subject,
    notBefore: new Date(Date.now() - 86_400_000),
    notAfter: new Date(Date.now() + 2 * 365 * 86_400_000),
    publicKey: keys.publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: ALG,
  });
  return { ca, caKey: caKeys.privateKey, cert, key: keys.privateKey };
}

const ab = (b: Uint8Array): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

/** A SignedData by `signer` over content of `contentType` with `digest`: content type, optional signing time, message digest. */
function signedDataShell(signer: TestSigner, contentType: string, digest: ArrayBuffer, eContent: ArrayBuffer | null, at: Date | null) {
  const cert = pkijs.Certificate.fromBER(ab(new Uint8Array(signer.cert.rawData)));
  return new pkijs.SignedData({
    version: contentType === pkijs.ContentInfo.DATA ? 1 : 3,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: contentType, ...(eContent ? { eContent: new asn1js.OctetString({ valueHex: eContent }) } : {}) }),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
        signedAttrs: new pkijs.SignedAndUnsignedAttributes({
          type: 0,
          attributes: [
            new pkijs.Attribute({ type: "1.2.840.113549.1.9.3", values: [new asn1js.ObjectIdentifier({ value: contentType })] }),
            ...(at ? [new pkijs.Attribute({ type: "1.2.840.113549.1.9.5", values: [new asn1js.UTCTime({ valueDate: at })] })] : []),
            new pkijs.Attribute({ type: "1.2.840.113549.1.9.4", values: [new asn1js.OctetString({ valueHex: digest })] }),
          ],
        }),
      }),
    ],
    certificates: [cert],
  });
}

async function signedData(signer: TestSigner, content: Buffer, opts: { attached: boolean; at?: Date; tsa?: { signer: TestSigner; at: Date; imprintOf?: Buffer } }) {
  const digest = await crypto.subtle.digest("SHA-256", ab(content));
  const sd = signedDataShell(signer, pkijs.ContentInfo.DATA, digest, opts.attached ? ab(content) : null, opts.at ?? new Date());
  await sd.sign(signer.key, 0, "SHA-256", opts.attached ? undefined : ab(content));
  if (opts.tsa) {
    const signature = Buffer.from(sd.signerInfos[0]!.signature.valueBlock.valueHexView);
    const token = await timestampToken(opts.tsa.signer, opts.tsa.imprintOf ?? signature, opts.tsa.at);
    sd.signerInfos[0]!.unsignedAttrs = new pkijs.SignedAndUnsignedAttributes({
      type: 1,
      attributes: [new pkijs.Attribute({ type: "1.2.840.113549.1.9.16.2.14", values: [token] })],
    });
  }
  return Buffer.from(new pkijs.ContentInfo({ contentType: pkijs.ContentInfo.SIGNED_DATA, content: sd.toSchema(true) }).toSchema().toBER());
}

/** A `.p7m` (CAdES, attached) of `content`, DER. */
export const cades = (signer: TestSigner, content: Buffer, at?: Date) => signedData(signer, content, { attached: true, at });

/** The same envelope with one byte of the enclosed content changed: its signature no longer matches. */
export function tamper(p7m: Buffer, original: Buffer): Buffer {
  const i = p7m.indexOf(original);
  if (i < 0) throw new Error("content not found in envelope");
  const out = Buffer.from(p7m);
  out[i + Math.floor(original.length / 2)] ^= 0x01;
  return out;
}

/** A small PDF with one signature over its byte ranges, as PAdES places it. */
export async function signedPdf(signer: TestSigner, body = "Determina di concessione n. 42"): Promise<Buffer> {
  const SIG_HEX = 16_384;
  const head = `%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n% ${body}\n2 0 obj << /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [0000000000 0000000000 0000000000 0000000000] /Contents <`;
  const tail = `> >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`;
  const gapStart = head.length - 1; // the "<"
  const gapEnd = head.length + SIG_HEX + 1; // after ">"
  const total = head.length + SIG_HEX + tail.length;
  const pad = (n: number) => String(n).padStart(10, "0");
  const withRange = head.replace("[0000000000 0000000000 0000000000 0000000000]", `[${pad(0)} ${pad(gapStart)} ${pad(gapEnd)} ${pad(total - gapEnd)}]`);
  const placeholder = Buffer.from(withRange + "0".repeat(SIG_HEX) + tail, "latin1");
  const signedBytes = Buffer.concat([placeholder.subarray(0, gapStart), placeholder.subarray(gapEnd)]);
  const cms = await signedData(signer, signedBytes, { attached: false });
  const hex = cms.toString("hex").toUpperCase().padEnd(SIG_HEX, "0");
  return Buffer.from(withRange + hex + tail, "latin1");
}

/** An RFC 3161 timestamp token (CMS SignedData over a TSTInfo) by `tsa` over the digest of `data`, at `at`. */
async function timestampToken(tsa: TestSigner, data: Buffer, at: Date) {
  const imprint = await crypto.subtle.digest("SHA-256", ab(data));
  const tst = new pkijs.TSTInfo({
    version: 1,
    policy: "1.2.3.4.1",
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: "2.16.840.1.101.3.4.2.1" }),
      hashedMessage: new asn1js.OctetString({ valueHex: imprint }),
    }),
    serialNumber: new asn1js.Integer({ value: 7 }),
    genTime: at,
  });
  const tstDer = tst.toSchema().toBER();
  const TST_INFO = "1.2.840.113549.1.9.16.1.4";
  const sd = signedDataShell(tsa, TST_INFO, await crypto.subtle.digest("SHA-256", tstDer), tstDer, null);
  await sd.sign(tsa.key, 0, "SHA-256");
  return new pkijs.ContentInfo({ contentType: pkijs.ContentInfo.SIGNED_DATA, content: sd.toSchema(true) }).toSchema();
}

/** A `.p7m` with an RFC 3161 timestamp token on its signature; `imprintOf` makes a token that covers something else. */
export const timestampedCades = (signer: TestSigner, tsa: TestSigner, content: Buffer, at: Date, imprintOf?: Buffer) =>
  signedData(signer, content, { attached: true, tsa: { signer: tsa, at, imprintOf } });

/** The CA's revocation list: `revoked` certificates with their dates; `nextUpdate` in the past makes it stale. */
export async function makeCrl(ca: TestSigner, revoked: { cert: x509.X509Certificate; at: Date }[], opts: { thisUpdate?: Date; nextUpdate?: Date } = {}) {
  const crl = await x509.X509CrlGenerator.create({
    issuer: ca.ca.subject,
    thisUpdate: opts.thisUpdate ?? new Date(Date.now() - 3_600_000),
    nextUpdate: opts.nextUpdate ?? new Date(Date.now() + 7 * 86_400_000),
    entries: revoked.map((r) => ({ serialNumber: r.cert.serialNumber, revocationDate: r.at })),
    signingKey: ca.caKey,
    signingAlgorithm: ALG,
  });
  return crl.toString("pem");
}
