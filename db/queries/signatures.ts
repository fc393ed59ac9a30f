import { isUuid } from "../uuid";
import { and, asc, desc, eq, inArray, isNull } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { documentSignatures, trustedCertificates, trustedCrls } from "../schema";

/** The signature checks of documents the caller already may see (docs/decisions/0072). */
export async function signaturesOf(db: DbOrTx, documentIds: string[]) {
  return db.select().from(documentSignatures).where(inArray(documentSignatures.documentId, documentIds));
}

/** The CA certificates signatures are verified against: those not removed (ADR 0101). */
export async function listTrustedCertificates(db: DbOrTx) {
  return db.select().from(trustedCertificates).where(isNull(trustedCertificates.removedAt)).orderBy(asc(trustedCertificates.subject));
}

/** One certificate by its fingerprint, removed or not (a removed one may be loaded again). */
export async function trustedCertificateBySha(db: DbOrTx, sha256: string) {
  const [row] = await db.select().from(trustedCertificates).where(eq(trustedCertificates.sha256, sha256));
  return row ?? null;
}

export async function activeTrustedCertificate(db: DbOrTx, id: string) {
  if (!isUuid(id)) return null;
  const [row] = await db.select().from(trustedCertificates).where(and(eq(trustedCertificates.id, id), isNull(trustedCertificates.removedAt)));
  return row ?? null;
}

export async function listTrustedCrls(db: DbOrTx) {
  return db.select().from(trustedCrls).orderBy(asc(trustedCrls.issuer), desc(trustedCrls.thisUpdate));
}
