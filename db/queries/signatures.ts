import { asc, inArray } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { documentSignatures, trustedCertificates } from "../schema";

/** The signature checks of documents the caller already may see (docs/decisions/0072). */
export async function signaturesOf(db: DbOrTx, documentIds: string[]) {
  return db.select().from(documentSignatures).where(inArray(documentSignatures.documentId, documentIds));
}

export async function listTrustedCertificates(db: DbOrTx) {
  return db.select().from(trustedCertificates).orderBy(asc(trustedCertificates.subject));
}
