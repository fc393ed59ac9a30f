import { and, asc, count, eq, isNull, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { accesses, localAccounts, localRecoveryCodes, users } from "../schema";

/** A local account with its person and its applicant access (active or not). */
function accountQuery(db: DbOrTx) {
  return db
    .select({ account: localAccounts, user: users, access: accesses })
    .from(localAccounts)
    .innerJoin(users, eq(users.id, localAccounts.userId))
    .leftJoin(accesses, and(eq(accesses.userId, localAccounts.userId), sql`${accesses.role}::text = 'richiedente'`));
}

export type LocalAccountRow = Awaited<ReturnType<typeof accountQuery>>[number];

export async function localAccountByEmail(db: DbOrTx, email: string): Promise<LocalAccountRow | null> {
  const [row] = await accountQuery(db).where(eq(localAccounts.email, email.toLowerCase()));
  return row ?? null;
}

export async function localAccountOf(db: DbOrTx, userId: string): Promise<LocalAccountRow | null> {
  const [row] = await accountQuery(db).where(eq(localAccounts.userId, userId));
  return row ?? null;
}

/** Whether a fiscal code or e-mail already belongs to someone (a local account or anyone else). */
export async function personTaken(db: DbOrTx, fiscalCode: string, email: string) {
  const [byCode] = await db.select({ id: users.id }).from(users).where(eq(users.fiscalCode, fiscalCode));
  const [byMail] = await db.select({ id: localAccounts.userId }).from(localAccounts).where(eq(localAccounts.email, email.toLowerCase()));
  return Boolean(byCode || byMail);
}

export async function unusedRecoveryCodes(db: DbOrTx, userId: string) {
  const [row] = await db
    .select({ n: count() })
    .from(localRecoveryCodes)
    .where(and(eq(localRecoveryCodes.userId, userId), isNull(localRecoveryCodes.usedAt)));
  return row?.n ?? 0;
}

/** Every local account for the administrators' page, locked ones first. */
export async function listLocalAccounts(db: DbOrTx, now = new Date()) {
  const lockedNow = sql<boolean>`coalesce(${localAccounts.lockedUntil} > ${now.toISOString()}::timestamptz, false)`;
  const rows = await db
    .select({
      userId: localAccounts.userId,
      email: localAccounts.email,
      name: users.name,
      surname: users.surname,
      fiscalCode: users.fiscalCode,
      emailVerifiedAt: localAccounts.emailVerifiedAt,
      totpEnrolledAt: localAccounts.totpEnrolledAt,
      failedAttempts: localAccounts.failedAttempts,
      lockedAt: localAccounts.lockedAt,
      lockedUntil: localAccounts.lockedUntil,
      createdAt: localAccounts.createdAt,
      locked: lockedNow,
    })
    .from(localAccounts)
    .innerJoin(users, eq(users.id, localAccounts.userId))
    .orderBy(sql`${lockedNow} desc`, asc(users.surname), asc(users.name));
  return rows;
}

