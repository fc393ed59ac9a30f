import type { Database, DbOrTx } from "~db/client";
import { getDb } from "~db/client";
import { countFailure, takeClosedFailureCounts, windowStartOf } from "~db/queries/counters";
import { auditLog, AUDIT_OUTCOMES } from "~db/schema";

export type AuditActor = {
  userId?: string | null;
  fiscalCode?: string | null;
  role?: string | null;
};

/** Who makes a change: a person (actor, from ip) or a system job (`system`, e.g. "reminders"). */
export type ChangeAuthor = { actor?: AuditActor | null; ip?: string | null; system?: string };

export type AuditEntry = {
  action: string;
  objectType?: string;
  objectId?: string;
  gestoreId?: string | null;
  outcome?: (typeof AUDIT_OUTCOMES)[number];
  details?: Record<string, unknown>;
};

const auditRow = (who: ChangeAuthor, entry: AuditEntry) => ({
  actorUserId: who.actor?.userId ?? null,
  actorFiscalCode: who.actor?.fiscalCode ?? null,
  actorRole: who.actor?.role ?? (who.system ? `system:${who.system}` : null),
  action: entry.action,
  objectType: entry.objectType ?? null,
  objectId: entry.objectId ?? null,
  gestoreId: entry.gestoreId ?? null,
  outcome: entry.outcome ?? "success",
  ip: who.ip ?? null,
  details: entry.details ?? {},
});

/** The one way to audit. Pass the transaction that makes the change so both commit or neither does. */
export async function audit(
  db: DbOrTx | null,
  who: ChangeAuthor,
  entry: AuditEntry,
) {
  await (db ?? getDb()).insert(auditLog).values(auditRow(who, entry));
}

/** The same rows as `audit`, many in one statement (a batch of changes, e.g. a click day's group commit). */
export async function auditMany(db: DbOrTx, rows: { who: ChangeAuthor; entry: AuditEntry }[]) {
  if (rows.length) await db.insert(auditLog).values(rows.map((r) => auditRow(r.who, r.entry)));
}

export const FAILURE_WINDOW_MS = 3_600_000;

/**
 * A failure nobody can be named for (a bad API token, a garbage SAML response). Written at once
 * the first time in an hour for its address, action and reason; the others are only counted, and
 * `auditClosedFailureCounts` writes their total once the hour is over, so a flood adds one row
 * per hour instead of one per request (docs/decisions/0042).
 */
export async function auditAnonymousFailure(ip: string | null, entry: { action: string; reason: string }) {
  const db = getDb();
  const count = await countFailure(db, { action: entry.action, reason: entry.reason, ip: ip ?? "" }, FAILURE_WINDOW_MS);
  if (count === 1) await audit(db, { ip }, { action: entry.action, outcome: "failure", details: { reason: entry.reason } });
}

/** Writes one row per closed hour with more than one anonymous failure: how many there were. */
export async function auditClosedFailureCounts(db: Database, now = new Date()) {
  const closedBefore = windowStartOf(now, FAILURE_WINDOW_MS);
  let written = 0;
  await db.transaction(async (tx) => {
    for (const row of await takeClosedFailureCounts(tx, closedBefore)) {
      if (row.count < 2) continue;
      await audit(tx, { ip: row.ip || null, system: "maintenance" }, {
        action: row.action,
        outcome: "failure",
        details: {
          reason: row.reason,
          count: row.count,
          from: row.windowStart.toISOString(),
          to: new Date(row.windowStart.getTime() + FAILURE_WINDOW_MS).toISOString(),
        },
      });
      written += 1;
    }
  });
  return written;
}
