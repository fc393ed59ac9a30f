import { isUuid } from "../uuid";
import { and, asc, desc, eq, gt, isNull, like, ne, or, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { accesses, auditLog, gestori, sftpAccounts, sftpExports, sftpUploads, uploads, users } from "../schema";

/** The SFTP accounts of a gestore with their person, newest first (issue 18). */
export async function listSftpAccounts(db: DbOrTx, gestoreId: string) {
  return db
    .select({
      id: sftpAccounts.id,
      username: sftpAccounts.username,
      publicKeys: sftpAccounts.publicKeys,
      hasPassword: sql<boolean>`${sftpAccounts.passwordHash} is not null`,
      allowedCidrs: sftpAccounts.allowedCidrs,
      receiptMail: sftpAccounts.receiptMail,
      createdAt: sftpAccounts.createdAt,
      revokedAt: sftpAccounts.revokedAt,
      name: users.name,
      surname: users.surname,
    })
    .from(sftpAccounts)
    .innerJoin(users, eq(users.id, sftpAccounts.userId))
    .where(eq(sftpAccounts.gestoreId, gestoreId))
    .orderBy(desc(sftpAccounts.createdAt));
}

/** An account by its user name with its person and gestore, for the SFTP server's sign-in. */
export async function sftpAccountByUsername(db: DbOrTx, username: string) {
  const [row] = await db
    .select({ account: sftpAccounts, user: users, gestoreActive: gestori.active })
    .from(sftpAccounts)
    .innerJoin(users, eq(users.id, sftpAccounts.userId))
    // A territorial body's account has no gestore (ADR 109).
    .leftJoin(gestori, eq(gestori.id, sftpAccounts.gestoreId))
    .where(eq(sftpAccounts.username, username));
  return row ?? null;
}

/** The allow-lists of every account still usable: a connection from outside all of them is closed at once. */
export async function activeSftpRanges(db: DbOrTx) {
  const rows = await db.select({ cidrs: sftpAccounts.allowedCidrs }).from(sftpAccounts).where(isNull(sftpAccounts.revokedAt));
  return [...new Set(rows.flatMap((r) => r.cidrs))];
}

/** Uploads received through an account whose outcome (or errors) file has not been read in full yet. */
export async function pendingSftpOutcomes(db: DbOrTx, accountId: string) {
  return db
    .select({ upload: uploads, link: sftpUploads, gestoreFiscalCode: gestori.fiscalCode, gestoreName: gestori.name })
    .from(sftpUploads)
    .innerJoin(uploads, eq(uploads.id, sftpUploads.uploadId))
    .innerJoin(gestori, eq(gestori.id, uploads.gestoreId))
    .where(and(eq(sftpUploads.accountId, accountId), ne(uploads.status, "processing")))
    .orderBy(uploads.receivedAt);
}

/** The gestore's latest SFTP events from the audit log, for its page. */
export async function recentSftpEvents(db: DbOrTx, gestoreId: string, limit = 50) {
  return db
    .select({ id: auditLog.id, at: auditLog.at, action: auditLog.action, outcome: auditLog.outcome, ip: auditLog.ip, details: auditLog.details })
    .from(auditLog)
    .where(and(eq(auditLog.gestoreId, gestoreId), like(auditLog.action, "sftp.%")))
    .orderBy(desc(auditLog.id))
    .limit(limit);
}

/** The people of a gestore who may hold an account: those with an active, unexpired gestore access. */
export async function sftpCandidates(db: DbOrTx, gestoreId: string, now = new Date()) {
  return db
    .selectDistinct({ id: users.id, name: users.name, surname: users.surname })
    .from(users)
    .innerJoin(accesses, eq(accesses.userId, users.id))
    .where(and(eq(accesses.gestoreId, gestoreId), eq(accesses.status, "active"), or(isNull(accesses.expiresAt), gt(accesses.expiresAt, now))))
    .orderBy(asc(users.surname), asc(users.name));
}

/** Files prepared for an account's /out/export that it has not read in full yet (docs/decisions/0104). */
export async function pendingSftpExports(db: DbOrTx, accountId: string) {
  return db
    .select({ id: sftpExports.id, fileName: sftpExports.fileName, content: sftpExports.content })
    .from(sftpExports)
    .where(and(eq(sftpExports.accountId, accountId), isNull(sftpExports.readAt)))
    .orderBy(sftpExports.createdAt);
}

/** A gestore's prepared exports, read or not, for its SFTP page (without their content). */
export async function listSftpExports(db: DbOrTx, gestoreId: string, limit = 50) {
  return db
    .select({ id: sftpExports.id, fileName: sftpExports.fileName, rows: sftpExports.rows, createdAt: sftpExports.createdAt, readAt: sftpExports.readAt, username: sftpAccounts.username })
    .from(sftpExports)
    .innerJoin(sftpAccounts, eq(sftpAccounts.id, sftpExports.accountId))
    .where(eq(sftpAccounts.gestoreId, gestoreId))
    .orderBy(desc(sftpExports.createdAt))
    .limit(limit);
}

/** One prepared export of the gestore, with its content, for the web. */
export async function sftpExportOfGestore(db: DbOrTx, gestoreId: string, id: string) {
  if (!isUuid(id)) return null;
  const [row] = await db
    .select({ fileName: sftpExports.fileName, content: sftpExports.content })
    .from(sftpExports)
    .innerJoin(sftpAccounts, eq(sftpAccounts.id, sftpExports.accountId))
    .where(and(eq(sftpExports.id, id), eq(sftpAccounts.gestoreId, gestoreId)));
  return row ?? null;
}
