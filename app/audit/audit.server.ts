import type { DbOrTx } from "~db/client";
import { getDb } from "~db/client";
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

/** The one way to audit. Pass the transaction that makes the change so both commit or neither does. */
export async function audit(
  db: DbOrTx | null,
  who: ChangeAuthor,
  entry: AuditEntry,
) {
  await (db ?? getDb()).insert(auditLog).values({
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
}
