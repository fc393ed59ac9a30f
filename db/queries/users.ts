import { and, asc, eq, gt, isNull, or } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { accesses, gestori, orgUnits, users, type Role } from "../schema";

export async function findUserByFiscalCode(db: DbOrTx, fiscalCode: string) {
  const [user] = await db.select().from(users).where(eq(users.fiscalCode, fiscalCode));
  return user ?? null;
}

export async function findUserById(db: DbOrTx, id: string) {
  const [user] = await db.select().from(users).where(eq(users.id, id));
  return user ?? null;
}

/** Active, unexpired accesses of a person, most powerful first (the default profile at sign-in). */
export async function activeAccessesOf(db: DbOrTx, userId: string, now = new Date()) {
  const rows = await db
    .select({ access: accesses, gestoreName: gestori.name, orgUnitName: orgUnits.name })
    .from(accesses)
    .leftJoin(gestori, eq(gestori.id, accesses.gestoreId))
    .leftJoin(orgUnits, eq(orgUnits.id, accesses.orgUnitId))
    .where(
      and(
        eq(accesses.userId, userId),
        eq(accesses.status, "active"),
        or(isNull(accesses.expiresAt), gt(accesses.expiresAt, now)),
      ),
    )
    .orderBy(asc(accesses.createdAt));
  const rank: Record<Role, number> = {
    amministratore: 0,
    dirigente: 1,
    funzionario: 2,
    gestore_referente: 3,
    gestore_operatore: 4,
    osservatore: 5,
    referente_regionale: 6,
    amministratore_ats: 7,
    operatore_territoriale: 8,
    richiedente: 9,
    operatore_helpdesk: 10,
  };
  return rows.sort((a, b) => rank[a.access.role] - rank[b.access.role]);
}
