import { eq } from "drizzle-orm";
import { outcomeObject, errorsCsvText } from "~/uploads/outcome.server";
import type { DbOrTx } from "~db/client";
import { pendingSftpExports, pendingSftpOutcomes } from "~db/queries/sftp";
import { sftpExports, sftpUploads } from "~db/schema";

/**
 * A file of /out: an upload's outcome or errors (rendered from the stored outcome) or a prepared
 * export. Each stays in the database for the web once read.
 */
export type OutFile = { name: string; id: string; kind: "outcome" | "errors" | "export"; content: Buffer };

/**
 * The outcome files an account has not yet read in full: `<id>.json` once its upload is
 * processed, and `<id>.errors.csv` when it has errors (issue 18).
 */
async function esitiFiles(db: DbOrTx, accountId: string): Promise<OutFile[]> {
  const files: OutFile[] = [];
  for (const row of await pendingSftpOutcomes(db, accountId)) {
    if (!row.link.outcomeReadAt)
      files.push({ name: `${row.upload.id}.json`, id: row.upload.id, kind: "outcome", content: Buffer.from(`${JSON.stringify(outcomeObject(row), null, 2)}\n`) });
    if (row.upload.errorCount > 0 && !row.link.errorsReadAt)
      files.push({ name: `${row.upload.id}.errors.csv`, id: row.upload.id, kind: "errors", content: Buffer.from(errorsCsvText(row.upload)) });
  }
  return files;
}

async function exportFiles(db: DbOrTx, accountId: string): Promise<OutFile[]> {
  return (await pendingSftpExports(db, accountId)).map((e) => ({ name: e.fileName, id: e.id, kind: "export" as const, content: e.content }));
}

/** The files of one /out folder not yet read in full by the account. */
export function outFiles(db: DbOrTx, accountId: string, dir: "/out/esiti" | "/out/export") {
  return dir === "/out/esiti" ? esitiFiles(db, accountId) : exportFiles(db, accountId);
}

/** Read in full (or removed by the client): the file leaves /out; it stays in the database for the web. */
export async function markOutFileRead(db: DbOrTx, file: Pick<OutFile, "id" | "kind">) {
  if (file.kind === "export") {
    await db.update(sftpExports).set({ readAt: new Date() }).where(eq(sftpExports.id, file.id));
    return;
  }
  await db
    .update(sftpUploads)
    .set(file.kind === "outcome" ? { outcomeReadAt: new Date() } : { errorsReadAt: new Date() })
    .where(eq(sftpUploads.uploadId, file.id));
}
