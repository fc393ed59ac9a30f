import { and, eq } from "drizzle-orm";
import { audit, type AuditActor } from "~/audit/audit.server";
import type { Tx } from "~db/client";
import { practiceHistory, practices } from "~db/schema";
import { decideReport, type PracticePosition } from "./practice-runner";
import { PRACTICE_MACHINE_VERSION } from "./practice.machine";

export class TransitionRefused extends Error {
  constructor(readonly code: "TRANSITION_NOT_ALLOWED" | "DATE_ORDER", readonly from: string, readonly to: string) {
    super(`${code}: ${from} → ${to}`);
  }
}

/**
 * The per-event path: loads one practice's snapshot (row locked), lets the machine decide, and
 * saves snapshot, history row and audit row in the caller's transaction. Files use the set-wise
 * path in app/uploads/ingest.server.ts, whose decisions come from the same machine graph; a test
 * proves the two agree on every pair of states.
 */
export async function applyPracticeReport(
  tx: Tx,
  input: { practiceId: number; report: PracticePosition; uploadId?: string | null; actor: AuditActor; ip?: string | null },
) {
  const [row] = await tx.select().from(practices).where(eq(practices.id, input.practiceId)).for("update");
  if (!row) throw new Error("practice not found");
  const decision = decideReport({ state: row.state, stateDate: row.stateDate }, input.report);
  if (!decision.ok) throw new TransitionRefused(decision.code, row.state, input.report.state);
  if (decision.kind === "same_state" && row.stateDate === input.report.stateDate) return { changed: false };
  await tx
    .update(practices)
    .set({
      state: decision.snapshot.value,
      stateDate: decision.snapshot.context.stateDate,
      snapshot: decision.snapshot,
      machineVersion: PRACTICE_MACHINE_VERSION,
      lastUploadId: input.uploadId ?? row.lastUploadId,
      updatedAt: new Date(),
    })
    .where(and(eq(practices.id, row.id)));
  await tx.insert(practiceHistory).values({
    practiceId: row.id,
    kind: decision.kind === "transition" ? "transition" : "update",
    fromState: row.state,
    toState: decision.snapshot.value,
    stateDate: input.report.stateDate,
    uploadId: input.uploadId ?? null,
    userId: input.actor.userId ?? null,
    changes: decision.kind === "same_state" ? { data_stato: [row.stateDate, input.report.stateDate] } : null,
  });
  await audit(tx, { actor: input.actor, ip: input.ip }, {
    action: "practice.transition",
    objectType: "practice",
    objectId: String(row.id),
    gestoreId: row.gestoreId,
    details: { from: row.state, to: decision.snapshot.value },
  });
  return { changed: true, snapshot: decision.snapshot };
}
