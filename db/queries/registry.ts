import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "../client";
import { accesses, gestori, measureGestori, measures, orgUnits, positions, procedures, users } from "../schema";

/** Reads of the registry for the administration pages (guarded by config.manage in app/admin). */

/** Every gestore, unscoped: for the administration pages (permission config.manage). */
export async function allGestori(db: DbOrTx) {
  return db.select().from(gestori).orderBy(asc(gestori.name));
}

export async function gestoreForEdit(db: DbOrTx, id: string) {
  if (!z.uuid().safeParse(id).success) return null;
  const [g] = await db.select().from(gestori).where(eq(gestori.id, id));
  if (!g) return null;
  const accredited = await db.select({ id: measureGestori.measureId }).from(measureGestori).where(eq(measureGestori.gestoreId, id));
  return { ...g, measureIds: accredited.map((a) => a.id) };
}

export async function listMeasures(db: DbOrTx) {
  return db
    .select({ measure: measures, procedureTitle: procedures.title })
    .from(measures)
    .leftJoin(procedures, eq(procedures.id, measures.procedureId))
    .orderBy(asc(measures.code));
}

export async function measureForEdit(db: DbOrTx, id: string) {
  if (!z.uuid().safeParse(id).success) return null;
  const [m] = await db.select().from(measures).where(eq(measures.id, id));
  if (!m) return null;
  const accredited = await db.select({ id: measureGestori.gestoreId }).from(measureGestori).where(eq(measureGestori.measureId, id));
  return { ...m, gestoreIds: accredited.map((a) => a.id) };
}

export async function listOrgUnits(db: DbOrTx) {
  return db
    .select({ unit: orgUnits, headName: users.name, headSurname: users.surname })
    .from(orgUnits)
    .leftJoin(users, eq(users.id, orgUnits.headUserId))
    .orderBy(asc(orgUnits.name));
}

export async function listPositions(db: DbOrTx) {
  return db
    .select({ position: positions, orgUnitName: orgUnits.name })
    .from(positions)
    .innerJoin(orgUnits, eq(orgUnits.id, positions.orgUnitId))
    .orderBy(asc(orgUnits.name), asc(positions.title));
}

/** People with an active dirigente access: who may head an org unit. */
export async function listDirigenti(db: DbOrTx) {
  return db
    .selectDistinct({ id: users.id, name: users.name, surname: users.surname })
    .from(users)
    .innerJoin(accesses, and(eq(accesses.userId, users.id), eq(accesses.role, "dirigente"), eq(accesses.status, "active")))
    .orderBy(asc(users.surname), asc(users.name));
}
