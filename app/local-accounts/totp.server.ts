import crypto from "node:crypto";
import { generateSecret, generateURI, verify } from "otplib";
import QRCode from "qrcode";

export const newTotpSecret = () => generateSecret();

/**
 * The otpauth:// address an authenticator app reads, drawn as a QR code in SVG on the server and
 * handed to the page as a data URL: enrolment works without JavaScript.
 */
export async function enrolmentQr(input: { issuer: string; email: string; secret: string }) {
  const uri = generateURI({ issuer: input.issuer, label: input.email, secret: input.secret });
  const svg = await QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return { uri, dataUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}` };
}

/**
 * Checks a six-digit code against the secret, one step either side for a clock a little off.
 * A code at or before `lastStep` was already used (or is older than one already used): refused,
 * so a code seen over a shoulder cannot be replayed. Returns the accepted step, or null.
 */
export async function acceptedTotpStep(secret: string, code: string, lastStep: number | null): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  const result = await verify({ secret, token: code, epochTolerance: 30, ...(lastStep !== null ? { afterTimeStep: lastStep } : {}) });
  return result.valid && "timeStep" in result ? result.timeStep : null;
}

const RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
export const RECOVERY_CODE_COUNT = 10;

/** Ten codes of 12 characters (about 60 bits each), shown once as XXXX-XXXX-XXXX. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from(crypto.randomBytes(12), (b) => RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length]).join("");
    return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
  });
}

/** What is stored of a recovery code: a SHA-256 of its letters, whatever the case or dashes typed. */
export function recoveryCodeHash(code: string) {
  return crypto.createHash("sha256").update(code.toUpperCase().replace(/[^A-Z0-9]/g, "")).digest("hex");
}

export const looksLikeRecoveryCode = (code: string) => code.toUpperCase().replace(/[^A-Z0-9]/g, "").length === 12;
