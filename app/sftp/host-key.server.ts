import fs from "node:fs";
import path from "node:path";
import ssh2 from "ssh2";
import type { Config } from "~/config.server";
import { generateEd25519Pair, sshFingerprint } from "./keys.server";

const { parseKey } = ssh2.utils;

/**
 * The server's host key: the operator's file (SFTP_HOST_KEY_FILE), or an ed25519 key generated
 * in DATA_DIR on first start and kept (mode 0600), so clients see the same key after a restart.
 */
export function loadHostKey(sftp: Config["sftp"]): { privateKey: Buffer; fingerprint: string; generated: boolean } {
  let generated = false;
  if (!fs.existsSync(sftp.hostKeyFile)) {
    if (!sftp.hostKeyGenerated) throw new Error(`SFTP_HOST_KEY_FILE: file non trovato (${sftp.hostKeyFile})`);
    fs.mkdirSync(path.dirname(sftp.hostKeyFile), { recursive: true, mode: 0o700 });
    const pair = generateEd25519Pair("gestpratiche-sftp");
    fs.writeFileSync(sftp.hostKeyFile, pair.private, { mode: 0o600, flag: "wx" });
    fs.writeFileSync(`${sftp.hostKeyFile}.pub`, `${pair.public}\n`, { mode: 0o644 });
    generated = true;
  }
  const privateKey = fs.readFileSync(sftp.hostKeyFile);
  const parsed = parseKey(privateKey);
  if (parsed instanceof Error || Array.isArray(parsed)) throw new Error(`Chiave del server SFTP non leggibile (${sftp.hostKeyFile}): ${parsed instanceof Error ? parsed.message : "più chiavi"}`);
  return { privateKey, fingerprint: sshFingerprint(parsed.getPublicSSH()), generated };
}

/** The fingerprint clients should see, for the gestore's page; null while no key exists yet. */
export function hostKeyFingerprint(sftp: Config["sftp"]): string | null {
  if (sftp.port === 0 || !fs.existsSync(sftp.hostKeyFile)) return null;
  try {
    return loadHostKey(sftp).fingerprint;
  } catch {
    return null;
  }
}
