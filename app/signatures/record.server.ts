import type { TransactionSql } from "postgres";
import { verifySignedDocument } from "./verify.server";

/** Checks a just-stored document's signature, if it has one, and keeps the report with it (same transaction). */
export async function recordSignature(tx: TransactionSql, documentId: string, fileName: string, bytes: Buffer) {
  const report = await verifySignedDocument(fileName, bytes);
  if (!report) return null;
  await tx`
    insert into document_signatures (document_id, format, intact, problem, signers)
    values (${documentId}, ${report.format}, ${report.intact}, ${report.problem}, ${JSON.stringify(report.signers)}::jsonb)`;
  return report;
}
