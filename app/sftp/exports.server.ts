import { and, eq, isNull } from "drizzle-orm";
import { audit, type ChangeAuthor } from "~/audit/audit.server";
import { SFTP_EXPORT_QUEUE } from "~/jobs/queues";
import { enqueue } from "~/jobs/queue.server";
import { CSV_BOM, csvLine } from "~/lib/csv";
import { italianDate, todayInRome } from "~/lib/dates";
import { italianDecimal } from "~/lib/decimal";
import { InputError } from "~/lib/errors";
import { getDb } from "~db/client";
import { practicesExportBatch } from "~db/queries/practices";
import { sftpAccounts, sftpExports } from "~db/schema";

const BATCH = 20_000;
const amount = (v: string | null) => (v === null ? "" : italianDecimal(v, false));
const romeDateTime = (d: Date) => d.toLocaleString("it-IT", { timeZone: "Europe/Rome", dateStyle: "short", timeStyle: "short" });

/** Asks the worker to prepare the gestore's practices list for an account's /out/export (audited). */
export async function requestPracticesExport(who: ChangeAuthor & { actor: { userId: string; gestoreId: string | null } }, accountId: string) {
  const db = getDb();
  const [account] = await db
    .select({ id: sftpAccounts.id, gestoreId: sftpAccounts.gestoreId, username: sftpAccounts.username })
    .from(sftpAccounts)
    .where(and(eq(sftpAccounts.id, accountId), isNull(sftpAccounts.revokedAt)));
  if (!account || !account.gestoreId || account.gestoreId !== who.actor.gestoreId) throw new InputError("Utenza non trovata o revocata");
  await enqueue(SFTP_EXPORT_QUEUE, { accountId: account.id, requestedBy: who.actor.userId });
  await audit(db, who, { action: "sftp_export.request", objectType: "sftp_account", objectId: account.id, gestoreId: account.gestoreId, details: { username: account.username, kind: "pratiche" } });
  return account.username;
}

/**
 * The job: the gestore's practices as the platform holds them, as CSV for Excel (`;`, BOM,
 * dd/mm/yyyy, comma decimals), read in batches, stored for the account's /out/export.
 */
export async function preparePracticesExport(accountId: string, requestedBy: string | null) {
  const db = getDb();
  const [account] = await db.select().from(sftpAccounts).where(eq(sftpAccounts.id, accountId));
  // A territorial body's account has no practices list: its /out/export holds its anonymous rows (outbox.server.ts).
  if (!account || account.revokedAt || !account.gestoreId) return null;
  const gestoreId = account.gestoreId;
  const parts: Buffer[] = [
    Buffer.from(
      CSV_BOM +
        csvLine(["codice_pratica", "codice_misura", "comune_istat", "data_presentazione", "stato", "data_stato", "importo_richiesto", "importo_deliberato", "importo_erogato", "aggiornata_il"]),
    ),
  ];
  let rows = 0;
  for (let after = 0; ; ) {
    const batch = await practicesExportBatch(db, gestoreId, after, BATCH);
    if (!batch.length) break;
    parts.push(
      Buffer.from(
        batch
          .map((p) =>
            csvLine([p.code, p.measure, p.comune, italianDate(p.submittedOn), p.state, italianDate(p.stateDate), amount(p.requested), amount(p.approved), amount(p.disbursed), romeDateTime(p.updatedAt)]),
          )
          .join(""),
      ),
    );
    rows += batch.length;
    after = batch[batch.length - 1]!.id;
  }
  const now = new Date();
  const stamp = `${todayInRome()}-${now.getTime().toString(36)}`;
  const [row] = await db
    .insert(sftpExports)
    .values({ accountId, kind: "pratiche", fileName: `pratiche-${stamp}.csv`, content: Buffer.concat(parts), rows, requestedBy })
    .returning({ id: sftpExports.id, fileName: sftpExports.fileName });
  await audit(db, { actor: null }, { action: "sftp_export.prepare", objectType: "sftp_account", objectId: accountId, gestoreId: account.gestoreId, details: { username: account.username, file: row!.fileName, rows } });
  return { ...row!, rows };
}
