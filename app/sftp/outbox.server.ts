import { eq } from "drizzle-orm";
import { anonymousRowsTable, tableCsv } from "~/monitoring/monitoring.server";
import { todayInRome } from "~/lib/dates";
import { outcomeObject, errorsCsvText } from "~/uploads/outcome.server";
import type { DbOrTx } from "~db/client";
import { anonymousRows } from "~db/queries/anonymous-rows";
import { OutOfScopeError, type Viewer } from "~db/scope";
import { pendingSftpExports, pendingSftpOutcomes } from "~db/queries/sftp";
import { sftpExports, sftpUploads } from "~db/schema";

/**
 * A file of /out: an upload's outcome or errors (rendered from the stored outcome) or a prepared
 * export. Each stays in the database for the web once read.
 */
export type OutFile = {
  name: string;
  id: string;
  kind: "outcome" | "errors" | "export" | "anonymous";
  content: Buffer;
  /** The anonymous rows' counts, traced when the file is opened. */
  summary?: { body: string; rows: number; generalised: number; leftOut: number };
};

/** The account as /out needs it: a gestore's, or a territorial body's (gestoreId null, ADR 109), with its holder's role. */
export type OutAccount = {
  id: string;
  userId: string;
  gestoreId: string | null;
  territoryLevel: "regione" | "ats" | "comune" | null;
  territoryCode: string | null;
  role: string;
};

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

/**
 * A territorial body's /out/export: its anonymous practice rows of today, built when asked by the
 * very builder of the web download (same pseudonyms for the body, same generalisation, the sheet
 * enforced: a body the sheet gives no anonymous rows finds the folder empty). Never marked read.
 */
async function anonymousFiles(db: DbOrTx, account: OutAccount): Promise<OutFile[]> {
  const viewer: Viewer = { userId: account.userId, role: account.role as Viewer["role"], gestoreId: null, orgUnitId: null, territory: { level: account.territoryLevel!, code: account.territoryCode! } };
  try {
    const data = await anonymousRows(db, viewer, {});
    const name = `dati-anonimi-${todayInRome()}.csv`;
    return [{ name, id: data.body, kind: "anonymous", content: Buffer.from(tableCsv(anonymousRowsTable(data))), summary: { body: data.body, rows: data.rows.length, generalised: data.generalised, leftOut: data.leftOut } }];
  } catch (e) {
    if (e instanceof OutOfScopeError) return [];
    throw e;
  }
}

/** The files of one /out folder not yet read in full by the account. */
export function outFiles(db: DbOrTx, account: OutAccount, dir: "/out/esiti" | "/out/export") {
  if (account.gestoreId === null) return dir === "/out/export" ? anonymousFiles(db, account) : Promise.resolve([]);
  return dir === "/out/esiti" ? esitiFiles(db, account.id) : exportFiles(db, account.id);
}

/** Read in full (or removed by the client): the file leaves /out; it stays in the database for the web. */
export async function markOutFileRead(db: DbOrTx, file: Pick<OutFile, "id" | "kind">) {
  // Built anew at each listing: nothing to mark (the opening was traced).
  if (file.kind === "anonymous") return;
  if (file.kind === "export") {
    await db.update(sftpExports).set({ readAt: new Date() }).where(eq(sftpExports.id, file.id));
    return;
  }
  await db
    .update(sftpUploads)
    .set(file.kind === "outcome" ? { outcomeReadAt: new Date() } : { errorsReadAt: new Date() })
    .where(eq(sftpUploads.uploadId, file.id));
}
