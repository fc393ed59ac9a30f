import { eq } from "drizzle-orm";
import { outcomeObject, errorsCsvText } from "~/uploads/outcome.server";
import type { DbOrTx } from "~db/client";
import { pendingSftpOutcomes } from "~db/queries/sftp";
import { sftpUploads } from "~db/schema";

/** A file of /out/esiti: rendered from the upload's stored outcome, which stays in the database for the web. */
export type OutFile = { name: string; uploadId: string; kind: "outcome" | "errors"; content: Buffer };

/**
 * The outcome files an account has not yet read in full: `<id>.json` once its upload is
 * processed, and `<id>.errors.csv` when it has errors (issue 18).
 */
export async function esitiFiles(db: DbOrTx, accountId: string): Promise<OutFile[]> {
  const files: OutFile[] = [];
  for (const row of await pendingSftpOutcomes(db, accountId)) {
    if (!row.link.outcomeReadAt)
      files.push({ name: `${row.upload.id}.json`, uploadId: row.upload.id, kind: "outcome", content: Buffer.from(`${JSON.stringify(outcomeObject(row), null, 2)}\n`) });
    if (row.upload.errorCount > 0 && !row.link.errorsReadAt)
      files.push({ name: `${row.upload.id}.errors.csv`, uploadId: row.upload.id, kind: "errors", content: Buffer.from(errorsCsvText(row)) });
  }
  return files;
}

/** Read in full (or removed by the client): the file leaves /out; the outcome stays for the web. */
export async function markOutFileRead(db: DbOrTx, file: Pick<OutFile, "uploadId" | "kind">) {
  await db
    .update(sftpUploads)
    .set(file.kind === "outcome" ? { outcomeReadAt: new Date() } : { errorsReadAt: new Date() })
    .where(eq(sftpUploads.uploadId, file.uploadId));
}
