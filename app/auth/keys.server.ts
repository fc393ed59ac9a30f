import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import * as x509 from "@peculiar/x509";

export type KeyPair = { privateKeyPem: string; certPem: string };

const ALG = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256", publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
const TEN_YEARS_MS = 10 * 365 * 86_400_000;

/**
 * An RSA-2048 key with a self-signed certificate (10 years, CN=name), for SAML signing. In memory.
 * `validity` overrides the dates (tests need expired and not-yet-valid certificates).
 */
export async function generateKeyPair(name: string, validity?: { notBefore: Date; notAfter: Date }): Promise<KeyPair> {
  // @peculiar/x509 needs a WebCrypto provider; Node's built-in one avoids any native add-on.
  x509.cryptoProvider.set(crypto.webcrypto as Crypto);
  const keys = await crypto.webcrypto.subtle.generateKey(ALG, true, ["sign", "verify"]);
  // A minute in the past so a peer whose clock runs slightly behind still accepts the certificate.
  const notBefore = validity?.notBefore ?? new Date(Date.now() - 60_000);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    // No serialNumber: the library draws 16 random bytes and encodes them as a positive INTEGER.
    name: `CN=${escapeDnValue(name)}`,
    notBefore,
    notAfter: validity?.notAfter ?? new Date(notBefore.getTime() + TEN_YEARS_MS),
    signingAlgorithm: ALG,
    keys,
  });
  const pkcs8 = await crypto.webcrypto.subtle.exportKey("pkcs8", keys.privateKey);
  const privateKeyPem = crypto
    .createPrivateKey({ key: Buffer.from(pkcs8), format: "der", type: "pkcs8" })
    .export({ format: "pem", type: "pkcs8" }) as string;
  return { privateKeyPem, certPem: cert.toString("pem") };
}

/**
 * Reads `<dir>/<name>.key` and `<dir>/<name>.crt`, creating them on first use (development and
 * demo keys; production mounts its own). A half-present pair is an error rather than silently
 * replaced, because replacing a key changes the SP identity registered with the IdP.
 */
export async function loadOrCreateKeyPair(dir: string, name: string): Promise<KeyPair> {
  const keyFile = path.join(dir, `${name}.key`);
  const certFile = path.join(dir, `${name}.crt`);
  const existing = readPair(keyFile, certFile);
  if (existing) return existing;
  // Key without certificate: another process may be between its two writes.
  if (fs.existsSync(keyFile)) return waitForPair(keyFile, certFile);

  const pair = await generateKeyPair(name);
  // Only the keys' own folder is private: a recursive mkdir would give its parents (the data
  // folder, which the embedded PostgreSQL's user must cross) the same mode.
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    // "wx": when two processes start together, the second must not overwrite the first one's key.
    fs.writeFileSync(keyFile, pair.privateKeyPem, { mode: 0o600, flag: "wx" });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    return waitForPair(keyFile, certFile);
  }
  fs.writeFileSync(certFile, pair.certPem, { flag: "wx" });
  return pair;
}

function readPair(keyFile: string, certFile: string): KeyPair | null {
  const hasKey = fs.existsSync(keyFile);
  const hasCert = fs.existsSync(certFile);
  if (!hasKey && !hasCert) return null;
  if (hasKey !== hasCert) {
    if (hasKey) return null;
    throw new Error(`Certificato ${certFile} presente senza la chiave ${keyFile}: ripristinare la chiave o rimuovere il certificato`);
  }
  const pair = { privateKeyPem: fs.readFileSync(keyFile, "utf8"), certPem: fs.readFileSync(certFile, "utf8") };
  assertMatching(pair, keyFile);
  return pair;
}

async function waitForPair(keyFile: string, certFile: string): Promise<KeyPair> {
  for (let i = 0; i < 50; i++) {
    if (fs.existsSync(certFile)) return readPair(keyFile, certFile)!;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Chiave ${keyFile} presente senza il certificato ${certFile}: rigenerare la coppia o ripristinare il certificato`);
}

function assertMatching(pair: KeyPair, keyFile: string) {
  const cert = new crypto.X509Certificate(pair.certPem);
  if (!cert.checkPrivateKey(crypto.createPrivateKey(pair.privateKeyPem)))
    throw new Error(`La chiave ${keyFile} non corrisponde al suo certificato`);
}

// RFC 4514: a CN with commas or plus signs would otherwise become extra RDNs.
function escapeDnValue(value: string) {
  return value.replace(/([,+"\\<>;=#])/g, "\\$1");
}

/** The base64 body of a PEM certificate, as SAML metadata and KeyInfo carry it. */
export function certBody(pem: string) {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, "").replace(/\s+/g, "");
}
