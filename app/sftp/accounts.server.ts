import crypto from "node:crypto";
import { promisify } from "node:util";
import { and, eq, isNull, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { audit, type ChangeAuthor } from "~/audit/audit.server";
import type { Actor } from "~/auth/guards.server";
import { randomToken } from "~/auth/session.server";
import { parseCidr } from "~/lib/cidr";
import { FieldErrors, InputError } from "~/lib/errors";
import type { DbOrTx } from "~db/client";
import { activeAccessesOf } from "~db/queries/users";
import { confinedGestoreId, isGestoreRole, isTerritorialRole } from "~db/scope";
import { gestori, sftpAccounts, users, type SftpPublicKey, type TerritoryLevel } from "~db/schema";
import { parseAccountKey } from "./keys.server";

const scrypt = promisify(crypto.scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

/** `scrypt$<salt>$<hash>`, both base64: the clear password is shown once and never stored. */
export async function hashPassword(password: string) {
  const salt = crypto.randomBytes(16);
  return `scrypt$${salt.toString("base64")}$${(await scrypt(password, salt, 32)).toString("base64")}`;
}

export async function passwordMatches(password: string, stored: string | null) {
  const [scheme, salt, hash] = (stored ?? "").split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64");
  const actual = await scrypt(password, Buffer.from(salt, "base64"), expected.length);
  return crypto.timingSafeEqual(actual, expected);
}

/** The coded user name: `g` + the gestore's fiscal code + a two-digit sequence (issue 18). */
export function sftpUsername(gestoreFiscalCode: string, sequence: number) {
  return `g${gestoreFiscalCode}-${String(sequence).padStart(2, "0")}`;
}

const lines = (v: string) => v.split(/[\r\n,]+/).map((l) => l.trim()).filter(Boolean);

export const createAccountInput = z.object({
  intent: z.literal("create"),
  userId: z.uuid("Scegliere la persona titolare dell'utenza"),
  publicKeys: z.string().max(20_000, "Chiavi pubbliche: testo troppo lungo").default(""),
  allowedCidrs: z.string().max(2_000, "Indirizzi: testo troppo lungo").default(""),
  withPassword: z.enum(["on"]).optional(),
  receiptMail: z.enum(["on"]).optional(),
});

/** Checks the form's keys and addresses; every wrong one named, next to its field. */
function checkedAccountFields(input: Pick<z.infer<typeof createAccountInput>, "publicKeys" | "allowedCidrs">) {
  const errors: Record<string, string> = {};
  const keys: SftpPublicKey[] = [];
  const keyLines = input.publicKeys.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  if (!keyLines.length) errors.publicKeys = "Indicare almeno una chiave pubblica (ed25519 oppure RSA di almeno 3072 bit)";
  keyLines.forEach((line, i) => {
    const parsed = parseAccountKey(line);
    if (!parsed.ok) errors.publicKeys ??= `Riga ${i + 1}: ${parsed.error}`;
    else if (!keys.some((k) => k.fingerprint === parsed.key.fingerprint)) keys.push(parsed.key);
  });
  const cidrs = lines(input.allowedCidrs);
  if (!cidrs.length) errors.allowedCidrs = "Indicare almeno un indirizzo IP pubblico statico o una rete (es. 203.0.113.10 o 203.0.113.0/28)";
  const bad = cidrs.find((c) => !parseCidr(c));
  if (bad) errors.allowedCidrs = `Indirizzo non valido: «${bad.slice(0, 60)}» (es. 203.0.113.10 o 203.0.113.0/28)`;
  if (cidrs.length > 20) errors.allowedCidrs = "Al massimo 20 indirizzi o reti";
  if (Object.keys(errors).length) throw new FieldErrors(errors);
  return { keys, cidrs: [...new Set(cidrs)] };
}

/**
 * Creates an account for one person of the referente's gestore. Returns the generated password
 * when asked for one: it is shown once.
 */
export async function createSftpAccount(db: DbOrTx, who: ChangeAuthor & { actor: Actor }, input: z.infer<typeof createAccountInput>) {
  const gestoreId = confinedGestoreId(who.actor);
  if (!gestoreId) throw new InputError("Le utenze SFTP si creano dal referente dell'ente gestore");
  const { keys, cidrs } = checkedAccountFields(input);
  const person = (await activeAccessesOf(db, input.userId)).find((a) => isGestoreRole(a.access.role) && a.access.gestoreId === gestoreId);
  if (!person) throw new FieldErrors({ userId: "La persona non è abilitata per questo ente gestore" });
  const password = input.withPassword ? randomToken(18) : null;
  const passwordHash = password ? await hashPassword(password) : null;
  return db.transaction(async (tx) => {
    // Serialises account creation per gestore, so two referenti cannot take the same number.
    const [g] = await tx.select({ fiscalCode: gestori.fiscalCode }).from(gestori).where(eq(gestori.id, gestoreId)).for("update");
    const [{ n } = { n: 0 }] = await tx.select({ n: sql<number>`count(*)::int` }).from(sftpAccounts).where(eq(sftpAccounts.gestoreId, gestoreId));
    if (n >= 99) throw new InputError("Raggiunto il numero massimo di utenze SFTP per l'ente (99)");
    const username = sftpUsername(g!.fiscalCode, n + 1);
    const [row] = await tx
      .insert(sftpAccounts)
      .values({ username, gestoreId, userId: input.userId, publicKeys: keys, passwordHash, allowedCidrs: cidrs, receiptMail: input.receiptMail === "on", createdBy: who.actor.userId })
      .returning({ id: sftpAccounts.id });
    await audit(tx, who, {
      action: "sftp_account.create",
      objectType: "sftp_account",
      objectId: row!.id,
      gestoreId,
      details: { username, userId: input.userId, keys: keys.map((k) => k.fingerprint), allowedCidrs: cidrs, password: Boolean(password) },
    });
    return { id: row!.id, username, password };
  });
}

/** `t` + level + the territory's code (lower case, as every user name) + a two-digit sequence, e.g. `tats-demo-ats-042-01` (ADR 109). */
export function territorialSftpUsername(level: TerritoryLevel, code: string, sequence: number) {
  return `t${level}-${code.toLowerCase().replace(/[^a-z0-9-]/g, "-")}-${String(sequence).padStart(2, "0")}`;
}

export const territorialAccountInput = z.object({
  holderCf: z.string().trim().toUpperCase().regex(/^[A-Z0-9]{16}$/, "--cf: codice fiscale del titolare"),
  territory: z.string().regex(/^(regione|ats|comune):[A-Za-z0-9-]{1,20}$/, "--territory: regione:<codice ISTAT>, ats:<codice ATS> o comune:<codice ISTAT>"),
  publicKeys: z.string().max(20_000, "Chiavi pubbliche: testo troppo lungo").default(""),
  allowedCidrs: z.string().max(2_000, "Indirizzi: testo troppo lungo").default(""),
  withPassword: z.enum(["on"]).optional(),
});

/**
 * An account for a territorial body (ADR 109), made by an administrator: its holder must hold an
 * active territorial access to that very territory; the account only reads /out/export, where the
 * body's anonymous practice rows are.
 */
export async function createTerritorialSftpAccount(db: DbOrTx, who: ChangeAuthor, raw: z.input<typeof territorialAccountInput>) {
  const parsed = territorialAccountInput.safeParse(raw);
  if (!parsed.success) throw new InputError(parsed.error.issues[0]!.message);
  const input = parsed.data;
  const [level, code] = input.territory.split(":") as [TerritoryLevel, string];
  const { keys, cidrs } = checkedAccountFields(input);
  const [holder] = await db.select({ id: users.id }).from(users).where(eq(users.fiscalCode, input.holderCf));
  const person = holder && (await activeAccessesOf(db, holder.id)).find((a) => isTerritorialRole(a.access.role) && a.access.territoryLevel === level && a.access.territoryCode === code);
  if (!person) throw new InputError(`La persona non ha un'abilitazione attiva per il territorio ${level}:${code}`);
  const password = input.withPassword ? randomToken(18) : null;
  const passwordHash = password ? await hashPassword(password) : null;
  return db.transaction(async (tx) => {
    // Serialises creation per territory, so two administrators cannot take the same number.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`sftp:${level}:${code}`}))`);
    const [{ n } = { n: 0 }] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(sftpAccounts)
      .where(and(eq(sftpAccounts.territoryLevel, level), eq(sftpAccounts.territoryCode, code)));
    if (n >= 99) throw new InputError("Raggiunto il numero massimo di utenze SFTP per il territorio (99)");
    const username = territorialSftpUsername(level, code, n + 1);
    const [row] = await tx
      .insert(sftpAccounts)
      .values({ username, gestoreId: null, territoryLevel: level, territoryCode: code, userId: holder!.id, publicKeys: keys, passwordHash, allowedCidrs: cidrs, createdBy: null })
      .returning({ id: sftpAccounts.id });
    await audit(tx, who, {
      action: "sftp_account.create",
      objectType: "sftp_account",
      objectId: row!.id,
      details: { username, territory: `${level}:${code}`, userId: holder!.id, keys: keys.map((k) => k.fingerprint), allowedCidrs: cidrs, password: Boolean(password) },
    });
    return { id: row!.id, username, password };
  });
}

export async function revokeSftpAccount(db: DbOrTx, who: ChangeAuthor & { actor: Actor }, accountId: string) {
  const gestoreId = confinedGestoreId(who.actor);
  return revokeWhere(db, who, and(eq(sftpAccounts.id, accountId), gestoreId ? eq(sftpAccounts.gestoreId, gestoreId) : undefined)!);
}

/** The administrators' command line: any account, gestore's or territorial body's, by its user name. */
export async function revokeSftpAccountByUsername(db: DbOrTx, who: ChangeAuthor, username: string) {
  return revokeWhere(db, who, eq(sftpAccounts.username, username.trim().toLowerCase()));
}

async function revokeWhere(db: DbOrTx, who: ChangeAuthor, match: SQL) {
  return db.transaction(async (tx) => {
    const [row] = await tx.update(sftpAccounts).set({ revokedAt: new Date() }).where(and(match, isNull(sftpAccounts.revokedAt))).returning();
    if (!row) throw new InputError("Utenza non trovata o già revocata");
    await audit(tx, who, { action: "sftp_account.revoke", objectType: "sftp_account", objectId: row.id, gestoreId: row.gestoreId, details: { username: row.username } });
    return row;
  });
}

/** The receipt mail of an account, switched on or off by the referente (issue 18: on request per account). */
export async function setReceiptMail(db: DbOrTx, who: ChangeAuthor & { actor: Actor }, accountId: string, on: boolean) {
  const gestoreId = confinedGestoreId(who.actor);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(sftpAccounts)
      .set({ receiptMail: on })
      .where(and(eq(sftpAccounts.id, accountId), isNull(sftpAccounts.revokedAt), gestoreId ? eq(sftpAccounts.gestoreId, gestoreId) : undefined))
      .returning();
    if (!row) throw new InputError("Utenza non trovata o revocata");
    await audit(tx, who, { action: "sftp_account.receipt_mail", objectType: "sftp_account", objectId: row.id, gestoreId: row.gestoreId, details: { username: row.username, on } });
    return row;
  });
}
