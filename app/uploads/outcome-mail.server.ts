import type { TransactionSql } from "postgres";
import { getConfig } from "~/config.server";
import { queueMail } from "~/mail/outbox.server";

const CHANNEL_LABELS: Record<string, string> = { web: "il sito", api: "l'API", sftp: "SFTP" };

const whenInRome = (d: Date) => d.toLocaleString("it-IT", { timeZone: "Europe/Rome", dateStyle: "short", timeStyle: "short" });

/**
 * The outcome mail of a processed upload (issue 18), queued in the transaction that stores the
 * outcome: to the person who sent it, unless they opted out; for a file received through an SFTP
 * account that asked for it, as a receipt confirmation whatever the opt-out. Counts and a link
 * that needs sign-in only: no practice, no beneficiary, no file content. A file that failed (an
 * internal error) is told too, with its support reference.
 */
export async function queueOutcomeMail(tx: TransactionSql, uploadId: string) {
  const [row] = await tx<
    { status: string; channel: string; received_at: Date; records: number; created: number; transitioned: number; updated: number; unchanged: number; error_count: number; failure_ref: string | null; email: string | null; outcome_mail: boolean | null; receipt_mail: boolean | null; username: string | null }[]
  >`
    select u.status, u.channel, u.received_at, u.records, u.created, u.transitioned, u.updated, u.unchanged, u.error_count, u.failure_ref,
      p.email, p.outcome_mail, a.receipt_mail, a.username
    from uploads u
    left join users p on p.id = u.uploaded_by
    left join sftp_uploads s on s.upload_id = u.id
    left join sftp_accounts a on a.id = s.account_id
    where u.id = ${uploadId}`;
  if (!row?.email || row.status === "processing") return;
  const receipt = row.receipt_mail === true;
  if (!receipt && !row.outcome_mail) return;
  const accepted = row.status === "accepted";
  // "failed": an internal error, nothing applied; the reference is what support asks for (ADR 46).
  const failed = row.status === "failed";
  await queueMail(tx, {
    to: row.email,
    template: "esito-caricamento",
    dedupeKey: `upload-outcome:${uploadId}`,
    data: {
      receipt,
      account: row.username ?? "",
      outcomeLabel: accepted ? "accettato" : failed ? "non elaborato per un errore interno" : `rifiutato (${row.error_count} errori)`,
      failed,
      supportReference: row.failure_ref ?? "",
      receivedAt: whenInRome(row.received_at),
      channelLabel: CHANNEL_LABELS[row.channel] ?? row.channel,
      accepted,
      records: String(row.records),
      created: String(row.created),
      transitioned: String(row.transitioned),
      updated: String(row.updated),
      unchanged: String(row.unchanged),
      errorCount: String(row.error_count),
      link: `${getConfig().baseUrl}/caricamenti/${uploadId}`,
    },
  });
}
