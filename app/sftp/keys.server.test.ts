import ssh2 from "ssh2";
import { describe, expect, it } from "vitest";
import { generateEd25519Pair, parseAccountKey } from "./keys.server";

const { generateKeyPairSync } = ssh2.utils;

describe("SFTP account keys", () => {
  it("generates ed25519 pairs that can be read back (ssh2's own generator writes a malformed one about once in 150)", () => {
    for (let i = 0; i < 2000; i++) {
      const pair = generateEd25519Pair();
      expect(ssh2.utils.parseKey(pair.public)).not.toBeInstanceOf(Error);
      expect(ssh2.utils.parseKey(pair.private)).not.toBeInstanceOf(Error);
    }
  });
  it("accept ed25519 and RSA 3072 with the fingerprint ssh-keygen prints", () => {
    const ed = parseAccountKey(generateEd25519Pair("gestionale").public);
    expect(ed).toMatchObject({ ok: true, key: { type: "ssh-ed25519", bits: 256, fingerprint: expect.stringMatching(/^SHA256:[A-Za-z0-9+/]{43}$/) } });
    expect(ed.ok && ed.key.line).toMatch(/ gestionale$/);
    expect(parseAccountKey(generateKeyPairSync("rsa", { bits: 3072 }).public)).toMatchObject({ ok: true, key: { type: "ssh-rsa", bits: 3072 } });
  });

  it("refuse short RSA, ECDSA, private keys and garbage with the Italian reason", () => {
    expect(parseAccountKey(generateKeyPairSync("rsa", { bits: 2048 }).public)).toEqual({ ok: false, error: expect.stringContaining("almeno 3072 bit") });
    expect(parseAccountKey(generateKeyPairSync("ecdsa", { bits: 256 }).public)).toEqual({ ok: false, error: expect.stringContaining("Tipo di chiave non ammesso") });
    expect(parseAccountKey(generateEd25519Pair().private)).toEqual({ ok: false, error: expect.stringContaining("chiave privata") });
    expect(parseAccountKey("ssh-ed25519 not-base64")).toEqual({ ok: false, error: expect.stringContaining("non leggibile") });
  });
});
