import crypto from "node:crypto";
import { promisify } from "node:util";
import { COMMON_PASSWORDS } from "./common-passwords";

const scrypt = promisify(crypto.scrypt) as (password: string, salt: Buffer, keylen: number, options: crypto.ScryptOptions) => Promise<Buffer>;

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

// N = 2^15, r = 8, p = 1: 32 MiB per hash, a quarter of OWASP's N = 2^17, so that a burst of
// sign-ins cannot take the memory of a small server (ADR 0067). Parameters are stored with each
// hash so they can be raised later without invalidating anyone.
const PARAMS = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LENGTH = 32;
const maxmem = (N: number, r: number) => 128 * N * r * 2;

/** `scrypt$N$r$p$salt$hash`, salt and hash base64url: never reversible. */
export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const key = await scrypt(password.normalize("NFC"), salt, KEY_LENGTH, { ...PARAMS, maxmem: maxmem(PARAMS.N, PARAMS.r) });
  return ["scrypt", PARAMS.N, PARAMS.r, PARAMS.p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split("$");
  if (kind !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const key = await scrypt(password.normalize("NFC"), Buffer.from(salt, "base64url"), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: maxmem(Number(n), Number(r)),
  });
  return crypto.timingSafeEqual(key, expected);
}

// Compared against when the e-mail is unknown, so an unknown address costs the same time as a wrong password.
let decoy: Promise<string> | undefined;
export async function spendPasswordTime(password: string) {
  decoy ??= hashPassword(crypto.randomBytes(16).toString("hex"));
  await verifyPassword(password, await decoy);
}

const core = (s: string) => s.replace(/^[^\p{L}]+/u, "").replace(/[^\p{L}]+$/u, "");

/** What is wrong with a new password, in Italian, or null when it may be used. */
export function passwordProblem(password: string, person: { email: string; fiscalCode: string; name: string; surname: string }): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `La password deve avere almeno ${PASSWORD_MIN_LENGTH} caratteri`;
  if (password.length > PASSWORD_MAX_LENGTH) return `La password può avere al massimo ${PASSWORD_MAX_LENGTH} caratteri`;
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower) || COMMON_PASSWORDS.has(core(lower)) || /^(.)\1+$/u.test(lower))
    return "Questa password è tra le più comuni e si indovina facilmente: sceglierne un'altra";
  const own = [person.email.split("@")[0] ?? "", person.fiscalCode, person.name, person.surname]
    .map((s) => s.toLowerCase().trim())
    .filter((s) => s.length >= 4);
  if (own.some((s) => lower.includes(s)))
    return "La password non deve contenere il nome, il cognome, il codice fiscale o l'indirizzo e-mail";
  return null;
}
