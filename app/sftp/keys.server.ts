import crypto from "node:crypto";
import ssh2 from "ssh2";
import type { SftpPublicKey } from "~db/schema";

const { parseKey } = ssh2.utils;

/**
 * An ed25519 key pair in OpenSSH format. ssh2's generator writes, about once in 150 pairs, a public
 * key of 31 bytes (a leading zero byte dropped) that nothing reads back, ssh2 included: such a
 * pair is thrown away and another made.
 */
export function generateEd25519Pair(comment?: string) {
  for (let attempt = 0; attempt < 20; attempt++) {
    const pair = ssh2.utils.generateKeyPairSync("ed25519", comment ? { comment } : {});
    if (!(parseKey(pair.public) instanceof Error) && !(parseKey(pair.private) instanceof Error)) return pair;
  }
  throw new Error("ed25519 key generation kept failing");
}

/** Smallest RSA modulus accepted for an account's key (issue 18). */
export const MIN_RSA_BITS = 3072;

/** `SHA256:…` as `ssh-keygen -l` prints it, from the key's wire blob. */
export function sshFingerprint(blob: Buffer) {
  return `SHA256:${crypto.createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}

/**
 * Checks one OpenSSH public key line (`ssh-ed25519 AAAA… comment`): only ed25519, or RSA of at
 * least 3072 bits. Returns the stored form or the Italian reason it is refused.
 */
export function parseAccountKey(line: string): { ok: true; key: SftpPublicKey } | { ok: false; error: string } {
  const text = line.trim();
  const parsed = parseKey(text);
  if (parsed instanceof Error || Array.isArray(parsed) || !parsed)
    return { ok: false, error: "Chiave pubblica non leggibile: incollare la riga OpenSSH (es. «ssh-ed25519 AAAA… nome»)" };
  if (parsed.isPrivateKey()) return { ok: false, error: "È stata incollata una chiave privata: incollare solo la chiave pubblica (file .pub)" };
  const blob = parsed.getPublicSSH();
  let bits = 256;
  if (parsed.type === "ssh-rsa") {
    bits = crypto.createPublicKey(parsed.getPublicPEM()).asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < MIN_RSA_BITS) return { ok: false, error: `Chiave RSA troppo corta (${bits} bit): servono almeno ${MIN_RSA_BITS} bit, oppure una chiave ed25519` };
  } else if (parsed.type !== "ssh-ed25519") {
    return { ok: false, error: `Tipo di chiave non ammesso (${parsed.type}): usare ed25519 oppure RSA di almeno ${MIN_RSA_BITS} bit` };
  }
  const [, , ...comment] = text.split(/\s+/);
  const stored = `${parsed.type} ${blob.toString("base64")}${comment.length ? ` ${comment.join(" ").slice(0, 100)}` : ""}`;
  return { ok: true, key: { type: parsed.type, bits, fingerprint: sshFingerprint(blob), line: stored } };
}
