import { and, eq, sql } from "drizzle-orm";
import type { TransactionSql } from "postgres";
import { initialTransition, transition, type AnyStateMachine, type EventObject } from "xstate";
import { audit, auditMany, type AuditActor, type ChangeAuthor } from "~/audit/audit.server";
import { drizzleOver, type Database, type Tx } from "~db/client";
import { accesses, applications, enablementRequests, machineHistory, practiceHistory, practices, tickets, workItems } from "~db/schema";
import { APPLICATION_MACHINE_VERSION, applicationMachine } from "~workflows/application.machine";
import { ACCESS_MACHINE_VERSION, accessMachine, type AccessContext } from "~workflows/access.machine";
import {
  ENABLEMENT_REQUEST_MACHINE_VERSION,
  enablementRequestMachine,
  type EnablementRequestContext,
} from "~workflows/enablement-request.machine";
import { decideReport, type PracticePosition } from "~workflows/practice-runner";
import { PRACTICE_MACHINE_VERSION } from "~workflows/practice.machine";
import { TICKET_MACHINE_VERSION, ticketMachine, type TicketContext } from "~workflows/ticket.machine";
import { WORK_ITEM_MACHINE_VERSION, workItemMachine, type WorkItemContext } from "~workflows/work-item.machine";

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
  // The monitoring summary's slot before the practice's lock (the ingestion's order): no deadlock
  // even when every slot is taken (docs/decisions/0034).
  await tx.execute(sql`select monitoring_slot()`);
  const [row] = await tx.select().from(practices).where(eq(practices.id, input.practiceId)).for("update");
  if (!row) throw new Error("practice not found");
  const decision = decideReport({ state: row.state, stateDate: row.stateDate }, input.report);
  if (!decision.ok) throw new TransitionRefused(decision.code, row.state, input.report.state);
  if (decision.kind === "same_state" && row.stateDate === input.report.stateDate) return { changed: false };
  // The monitoring summary (docs/decisions/0027): the practice's contributions out, then back in.
  await tx.execute(sql`select monitoring_apply(array[${row.id}]::bigint[], -1)`);
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
  await tx.execute(sql`select monitoring_apply(array[${row.id}]::bigint[], 1)`);
  await audit(tx, { actor: input.actor, ip: input.ip }, {
    action: "practice.transition",
    objectType: "practice",
    objectId: String(row.id),
    gestoreId: row.gestoreId,
    details: { from: row.state, to: decision.snapshot.value },
  });
  return { changed: true, snapshot: decision.snapshot };
}

// ---------------------------------------------------------------------------------------------
// The generic runner for machines persisted one row at a time (enablement requests, accesses).
// ---------------------------------------------------------------------------------------------

/** What a persisted snapshot holds: enough for `machine.resolveState` to resume it. */
export type PersistedSnapshot = { value: string; context: Record<string, unknown> };

/** How one machine is stored: which row, how its snapshot is read back and written. */
export type MachineBinding<Row> = {
  /** `machine_history.machine` and the audit object type. */
  name: string;
  logic: AnyStateMachine;
  /** Reads the row and locks it until the transaction ends. */
  load(db: Database, id: string): Promise<Row | null>;
  /** The stored snapshot, or one derived from a row written before the machine existed. */
  snapshotOf(row: Row): PersistedSnapshot;
  save(db: Database, row: Row, next: PersistedSnapshot, at: Date): Promise<void>;
  /** `save` for many rows in one statement (runMachineEvents); only bindings used in batches have it. */
  saveMany?(db: Database, saves: { row: Row; next: PersistedSnapshot; at: Date }[]): Promise<void>;
  gestoreIdOf(row: Row): string | null;
};

/** The machine did not accept the event in the row's current state: nothing was written. */
export class EventRefused extends Error {
  constructor(readonly machine: string, readonly from: string, readonly event: string) {
    super(`${machine}: ${event} not accepted in ${from}`);
    this.name = "EventRefused";
  }
}

export type Transitioned<Row> = { row: Row; from: string | null; to: string; snapshot: PersistedSnapshot; db: Database };

function persisted(snapshot: { value: unknown; context: unknown }): PersistedSnapshot {
  return { value: String(snapshot.value), context: snapshot.context as Record<string, unknown> };
}

async function record<Row>(
  db: Database,
  binding: MachineBinding<Row>,
  input: { objectId: string; row: Row; event: string; from: string | null; to: string; at: Date; who: ChangeAuthor; details?: Record<string, unknown> },
) {
  await db.insert(machineHistory).values({
    machine: binding.name,
    objectId: input.objectId,
    event: input.event,
    fromState: input.from,
    toState: input.to,
    at: input.at,
    actorUserId: input.who.actor?.userId ?? null,
    actorRole: input.who.actor?.role ?? (input.who.system ? `system:${input.who.system}` : null),
    details: input.details ?? {},
  });
  await audit(db, input.who, {
    action: `${binding.name}.${input.event.toLowerCase()}`,
    objectType: binding.name,
    objectId: input.objectId,
    gestoreId: binding.gestoreIdOf(input.row),
    details: { from: input.from, to: input.to, ...input.details },
  });
}

/**
 * Starts a machine: its initial snapshot (XState's pure `initialTransition`) is handed to
 * `create`, which inserts the row; the history row ("START"), the audit row and whatever
 * `followUp` adds (mails, jobs) are written in the same transaction `tx`.
 */
export async function startMachine<Row extends { id: string }>(
  tx: TransactionSql,
  binding: MachineBinding<Row>,
  input: {
    input: unknown;
    at: Date;
    who: ChangeAuthor;
    create: (db: Database, snapshot: PersistedSnapshot) => Promise<Row>;
    details?: Record<string, unknown>;
    followUp?: (t: Transitioned<Row>) => Promise<void>;
  },
): Promise<Transitioned<Row>> {
  const db = drizzleOver(tx);
  const [initial] = initialTransition(binding.logic, input.input);
  const snapshot = persisted(initial);
  const row = await input.create(db, snapshot);
  await record(db, binding, { objectId: row.id, row, event: "START", from: null, to: snapshot.value, at: input.at, who: input.who, details: input.details });
  const done = { row, from: null, to: snapshot.value, snapshot, db };
  await input.followUp?.(done);
  return done;
}

/**
 * The one per-event path for these machines: loads the row's snapshot (row locked), applies the
 * event with XState's pure `transition()`, and saves snapshot, history row, audit row and the
 * follow-up (mails, jobs, dependent rows) in `tx`. An event the machine does not accept in the
 * current state (a request already decided, an access already revoked) throws EventRefused and
 * writes nothing, so a repeated or concurrent decision is never applied twice.
 */
export async function runMachineEvent<Row>(
  tx: TransactionSql,
  binding: MachineBinding<Row>,
  input: {
    id: string;
    event: EventObject & { at: string; [key: string]: unknown };
    who: ChangeAuthor;
    details?: Record<string, unknown>;
    followUp?: (t: Transitioned<Row>) => Promise<void>;
  },
): Promise<Transitioned<Row>> {
  const db = drizzleOver(tx);
  const row = await binding.load(db, input.id);
  if (!row) throw new Error(`${binding.name} ${input.id} not found`);
  const stored = binding.snapshotOf(row);
  const current = binding.logic.resolveState(stored as never);
  if (!current.can(input.event as never)) throw new EventRefused(binding.name, stored.value, input.event.type);
  const [next] = transition(binding.logic, current, input.event as never);
  const snapshot = persisted(next as { value: unknown; context: unknown });
  const at = new Date(input.event.at);
  await binding.save(db, row, snapshot, at);
  await record(db, binding, { objectId: input.id, row, event: input.event.type, from: stored.value, to: snapshot.value, at, who: input.who, details: input.details });
  const done = { row, from: stored.value, to: snapshot.value, snapshot, db };
  await input.followUp?.(done);
  return done;
}

/**
 * `runMachineEvent` for a batch (a click day's group commit, docs/decisions/0096): the rows are
 * already locked by the caller; every event is decided first (one refused throws EventRefused and
 * nothing is written), then the snapshots, the history rows and the audit rows are written in one
 * statement each.
 */
export async function runMachineEvents<Row>(
  tx: TransactionSql,
  binding: MachineBinding<Row>,
  items: { id: string; row: Row; event: EventObject & { at: string; [key: string]: unknown }; who: ChangeAuthor; details?: Record<string, unknown> }[],
) {
  if (!items.length) return [];
  if (!binding.saveMany) throw new Error(`${binding.name}: no saveMany`);
  const db = drizzleOver(tx);
  const decided = items.map((item) => {
    const stored = binding.snapshotOf(item.row);
    const current = binding.logic.resolveState(stored as never);
    if (!current.can(item.event as never)) throw new EventRefused(binding.name, stored.value, item.event.type);
    const [next] = transition(binding.logic, current, item.event as never);
    return { ...item, from: stored.value, next: persisted(next as { value: unknown; context: unknown }), at: new Date(item.event.at) };
  });
  await binding.saveMany(db, decided.map((d) => ({ row: d.row, next: d.next, at: d.at })));
  await db.insert(machineHistory).values(
    decided.map((d) => ({
      machine: binding.name,
      objectId: d.id,
      event: d.event.type,
      fromState: d.from,
      toState: d.next.value,
      at: d.at,
      actorUserId: d.who.actor?.userId ?? null,
      actorRole: d.who.actor?.role ?? (d.who.system ? `system:${d.who.system}` : null),
      details: d.details ?? {},
    })),
  );
  await auditMany(db, decided.map((d) => ({
    who: d.who,
    entry: { action: `${binding.name}.${d.event.type.toLowerCase()}`, objectType: binding.name, objectId: d.id, gestoreId: binding.gestoreIdOf(d.row), details: { from: d.from, to: d.next.value, ...d.details } },
  })));
  return decided.map((d) => ({ row: d.row, from: d.from, to: d.next.value, snapshot: d.next }));
}

type AccessRow = typeof accesses.$inferSelect;
type EnablementRequestRow = typeof enablementRequests.$inferSelect;

/** Accesses: `status`, `expires_at` and `revoked_at` mirror the snapshot for queries and sessions. */
export const ACCESS_BINDING: MachineBinding<AccessRow> = {
  name: "access",
  logic: accessMachine,
  async load(db, id) {
    const [row] = await db.select().from(accesses).where(eq(accesses.id, id)).for("update");
    return row ?? null;
  },
  snapshotOf(row) {
    if (row.snapshot) return row.snapshot as PersistedSnapshot;
    const context: AccessContext = {
      expiresAt: row.expiresAt?.toISOString() ?? null,
      endedAt: row.revokedAt?.toISOString() ?? null,
      reason: null,
    };
    return { value: row.status, context };
  },
  async save(db, row, next) {
    const context = next.context as AccessContext;
    await db
      .update(accesses)
      .set({
        status: next.value as AccessRow["status"],
        expiresAt: context.expiresAt ? new Date(context.expiresAt) : null,
        revokedAt: next.value === "revoked" && context.endedAt ? new Date(context.endedAt) : row.revokedAt,
        snapshot: { ...next, version: ACCESS_MACHINE_VERSION },
      })
      .where(eq(accesses.id, row.id));
  },
  gestoreIdOf: (row) => row.gestoreId,
};

export const ENABLEMENT_REQUEST_BINDING: MachineBinding<EnablementRequestRow> = {
  name: "enablement_request",
  logic: enablementRequestMachine,
  async load(db, id) {
    const [row] = await db.select().from(enablementRequests).where(eq(enablementRequests.id, id)).for("update");
    return row ?? null;
  },
  snapshotOf: (row) => row.snapshot as PersistedSnapshot,
  async save(db, row, next, at) {
    const context = next.context as EnablementRequestContext;
    await db
      .update(enablementRequests)
      .set({
        state: next.value as EnablementRequestRow["state"],
        decidedAt: context.decidedAt ? new Date(context.decidedAt) : null,
        decidedBy: next.value === "withdrawn" ? null : context.decidedBy,
        reason: context.reason,
        snapshot: { ...next, version: ENABLEMENT_REQUEST_MACHINE_VERSION },
        updatedAt: at,
      })
      .where(eq(enablementRequests.id, row.id));
  },
  gestoreIdOf: (row) => row.gestoreId,
};

type WorkItemRow = typeof workItems.$inferSelect;

/** Worklist handling (issue 8): `state`, `assignee_user_id`, `priority`, `due_on` mirror the snapshot. */
export const WORK_ITEM_BINDING: MachineBinding<WorkItemRow> = {
  name: "work_item",
  logic: workItemMachine,
  async load(db, id) {
    const [row] = await db.select().from(workItems).where(eq(workItems.id, id)).for("update");
    return row ?? null;
  },
  snapshotOf: (row) => row.snapshot as PersistedSnapshot,
  async save(db, row, next, at) {
    const context = next.context as WorkItemContext;
    await db
      .update(workItems)
      .set({
        state: next.value as WorkItemRow["state"],
        assigneeUserId: context.assigneeUserId,
        priority: context.priority,
        dueOn: context.dueOn,
        snapshot: { ...next, version: WORK_ITEM_MACHINE_VERSION },
        updatedAt: at,
      })
      .where(eq(workItems.id, row.id));
  },
  gestoreIdOf: (row) => row.gestoreId,
};

type ApplicationRow = typeof applications.$inferSelect;

/** Online applications (issue 15): `state` mirrors the snapshot; no gestore. */
export const APPLICATION_BINDING: MachineBinding<ApplicationRow> = {
  name: "application",
  logic: applicationMachine,
  async load(db, id) {
    const [row] = await db.select().from(applications).where(eq(applications.id, id)).for("update");
    return row ?? null;
  },
  snapshotOf: (row) => row.snapshot as PersistedSnapshot,
  async save(db, row, next, at) {
    await db
      .update(applications)
      .set({ state: next.value as ApplicationRow["state"], snapshot: { ...next, version: APPLICATION_MACHINE_VERSION }, updatedAt: at })
      .where(eq(applications.id, row.id));
  },
  async saveMany(db, saves) {
    const rows = saves.map((s) => ({ id: s.row.id, state: s.next.value, snapshot: { ...s.next, version: APPLICATION_MACHINE_VERSION }, at: s.at.toISOString() }));
    await db.execute(sql`
      update applications a set state = v.state, snapshot = v.snapshot, updated_at = v.at
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(id uuid, state text, snapshot jsonb, at timestamptz)
      where a.id = v.id`);
  },
  gestoreIdOf: () => null,
};

type TicketRow = typeof tickets.$inferSelect;

/** Help-desk tickets (issue 17): `state`, `assignee_user_id`, first answer and closing mirror the snapshot. */
export const TICKET_BINDING: MachineBinding<TicketRow> = {
  name: "ticket",
  logic: ticketMachine,
  async load(db, id) {
    const [row] = await db.select().from(tickets).where(eq(tickets.id, id)).for("update");
    return row ?? null;
  },
  snapshotOf: (row) => row.snapshot as PersistedSnapshot,
  async save(db, row, next, at) {
    const context = next.context as TicketContext;
    await db
      .update(tickets)
      .set({
        state: next.value as TicketRow["state"],
        assigneeUserId: context.assigneeUserId,
        firstAnsweredAt: context.firstAnsweredAt ? new Date(context.firstAnsweredAt) : null,
        closedAt: context.closedAt ? new Date(context.closedAt) : null,
        snapshot: { ...next, version: TICKET_MACHINE_VERSION },
        updatedAt: at,
      })
      .where(eq(tickets.id, row.id));
  },
  gestoreIdOf: () => null,
};
