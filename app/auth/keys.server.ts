import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import * as x509 from "@peculiar/x509";

export type KeyPair = { privateKeyPem: string; certPem: string };

const ALG = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256", publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };

/** An RSA-2048 key with a self-signed certificate (10 years), for SAML signing. */
export async function generateKeyPair(name: string): Promise<KeyPair> {
  x509.cryptoProvider.set(crypto.webcrypto as Crypto);
  const keys = await crypto.webcrypto.subtle.generateKey(ALG, true, ["sign", "verify"]);
  const notBefore = new Date(Date.now() - 60_000);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: crypto.randomBytes(8).toString("hex"),
    name: `CN=${name}`,
    notBefore,
    notAfter: new Date(notBefore.getTime() + 10 * 365 * 86_400_000),
    signingAlgorithm: ALG,
    keys,
  });
  const pkcs8 = await crypto.webcrypto.subtle.exportKey("pkcs8", keys.privateKey);
  const privateKeyPem = crypto.createPrivateKey({ key: Buffer.from(pkcs8), format: "der", type: "pkcs8" }).export({ format: "pem", type: "pkcs8" }) as string;
  return { privateKeyPem, certPem: cert.toString("pem") };
}

/** Reads `<dir>/<name>.key|.crt`, creating them on first use (development and demo keys). */
export async function loadOrCreateKeyPair(dir: string, name: string): Promise<KeyPair> {
  const keyFile = path.join(dir, `${name}.key`);
  const certFile = path.join(dir, `${name}.crt`);
  if (fs.existsSync(keyFile) && fs.existsSync(certFile)) {
    return { privateKeyPem: fs.readFileSync(keyFile, "utf8"), certPem: fs.readFileSync(certFile, "utf8") };
  }
  const pair = await generateKeyPair(name);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(keyFile, pair.privateKeyPem, { mode: 0o600 });
  fs.writeFileSync(certFile, pair.certPem);
  return pair;
}

/** The base64 body of a PEM certificate, as SAML metadata and KeyInfo carry it. */
export function certBody(pem: string) {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, "").replace(/\s+/g, "");
}
