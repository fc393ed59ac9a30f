import { and, desc, eq, gte, ilike, lt, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { auditLog, AUDIT_OUTCOMES } from "../schema";

export type AuditFilter = {
  from?: string;
  to?: string;
  actor?: string;
  action?: string;
  outcome?: (typeof AUDIT_OUTCOMES)[number];
  objectId?: string;
};

function where(f: AuditFilter): SQL | undefined {
  const conditions: (SQL | undefined)[] = [
    f.from ? gte(auditLog.at, new Date(`${f.from}T00:00:00`)) : undefined,
    f.to ? lt(auditLog.at, new Date(new Date(`${f.to}T00:00:00`).getTime() + 86_400_000)) : undefined,
    f.actor ? eq(auditLog.actorFiscalCode, f.actor.toUpperCase()) : undefined,
    f.action ? ilike(auditLog.action, `${f.action.replace(/[%_\\]/g, "\\$&")}%`) : undefined,
    f.outcome ? eq(auditLog.outcome, f.outcome) : undefined,
    f.objectId ? eq(auditLog.objectId, f.objectId) : undefined,
  ];
  return and(...conditions);
}

/** Newest first, keyset-paginated on id so deep pages stay fast on a large log. */
export async function listAuditEntries(db: DbOrTx, filter: AuditFilter, opts: { beforeId?: number; limit?: number } = {}) {
  const limit = opts.limit ?? 50;
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(where(filter), opts.beforeId ? lt(auditLog.id, opts.beforeId) : undefined))
    .orderBy(desc(auditLog.id))
    .limit(limit + 1);
  return { rows: rows.slice(0, limit), nextBeforeId: rows.length > limit ? rows[limit - 1]!.id : null };
}

/** Yields matching entries in batches, for exports of any size without holding them in memory. */
export async function* auditEntriesForExport(db: DbOrTx, filter: AuditFilter, batch = 2000) {
  let beforeId: number | undefined;
  for (;;) {
    const rows = await db
      .select()
      .from(auditLog)
      .where(and(where(filter), beforeId ? lt(auditLog.id, beforeId) : undefined))
      .orderBy(desc(auditLog.id))
      .limit(batch);
    if (rows.length === 0) return;
    yield rows;
    beforeId = rows[rows.length - 1]!.id;
  }
}

