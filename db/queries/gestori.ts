import { and, asc, eq } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { confinedGestoreId, OutOfScopeError, type Viewer } from "../scope";
import { accesses, gestori, measureGestori, measures, users } from "../schema";

export async function listGestori(db: DbOrTx, viewer: Viewer) {
  const confined = confinedGestoreId(viewer);
  return db
    .select()
    .from(gestori)
    .where(confined ? eq(gestori.id, confined) : undefined)
    .orderBy(asc(gestori.name));
}

/** A gestore with its measures and operators; another gestore's user is refused, not served. */
export async function getGestoreDetail(db: DbOrTx, viewer: Viewer, fiscalCode: string) {
  const [gestore] = await db.select().from(gestori).where(eq(gestori.fiscalCode, fiscalCode));
  if (!gestore) return null;
  const confined = confinedGestoreId(viewer);
  if (confined && confined !== gestore.id) throw new OutOfScopeError("gestore");
  const [accredited, operators] = await Promise.all([
    db
      .select({ code: measures.code, name: measures.name, isOpen: measures.isOpen })
      .from(measureGestori)
      .innerJoin(measures, eq(measures.id, measureGestori.measureId))
      .where(eq(measureGestori.gestoreId, gestore.id))
      .orderBy(asc(measures.code)),
    db
      .select({ accessId: accesses.id, name: users.name, surname: users.surname, email: users.email, role: accesses.role, expiresAt: accesses.expiresAt })
      .from(accesses)
      .innerJoin(users, eq(users.id, accesses.userId))
      .where(and(eq(accesses.gestoreId, gestore.id), eq(accesses.status, "active")))
      .orderBy(asc(users.surname), asc(users.name)),
  ]);
  return { gestore, measures: accredited, operators };
}
