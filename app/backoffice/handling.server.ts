import { eq } from "drizzle-orm";
import { audit } from "~/audit/audit.server";
import type { Actor } from "~/auth/guards.server";
import { InputError } from "~/lib/errors";
import { drizzleOver, getDb, getSql } from "~db/client";
import { officialsOf, practicesWithHandling, workItemOf } from "~db/queries/backoffice";
import { OFFICIAL_ROLES } from "~db/scope";
import { practices, workItems } from "~db/schema";
import { EventRefused, runMachineEvent, startMachine, WORK_ITEM_BINDING } from "~/machines/runner.server";
import type { WorkItemEvent } from "~workflows/work-item.machine";

export type Who = { actor: Actor; ip?: string | null };

export const WORK_ACTIONS = ["take", "assign", "release", "complete", "reopen"] as const;
export type WorkAction = (typeof WORK_ACTIONS)[number];

export type WorkRequest = {
  practiceId: number;
  action: WorkAction;
  assigneeUserId?: string;
  priority?: "normale" | "alta";
  dueOn?: string | null;
  /** Taking a practice a colleague holds: only once the person has confirmed it. */
  takeOver?: boolean;
};

/** Taking in charge a practice a colleague holds needs a confirmation naming who holds it. */
export class TakeOverNeedsConfirmation extends Error {
  constructor(
    readonly practiceId: number,
    readonly code: string,
    readonly holder: string,
  ) {
    super(`La pratica ${code} è in carico a ${holder}. Confermare per prenderla in carico al suo posto.`);
    this.name = "TakeOverNeedsConfirmation";
  }
}

const REFUSED: Record<WorkAction, string> = {
  take: "La pratica è già in carico a te.",
  assign: "La pratica è già assegnata a questa persona.",
  release: "La pratica non è in carico a nessuno.",
  complete: "La lavorazione della pratica è già conclusa.",
  reopen: "La lavorazione della pratica non è conclusa.",
};

/** Only officials and administrators handle practices: checked here, not only in the routes. */
export function assertBackOffice(actor: Actor) {
  if (actor.role !== "amministratore" && !(OFFICIAL_ROLES as readonly string[]).includes(actor.role)) {
    throw new InputError("Solo i funzionari e i dirigenti possono lavorare le pratiche.");
  }
}

/**
 * Takes a practice in charge, assigns it to a colleague of the same org unit, releases it,
 * completes or reopens its handling: one event of the work-item machine through the runner
 * (snapshot, machine_history and audit row in one transaction). The first action creates the item.
 */
export async function handleWork(who: Who, req: WorkRequest, now = new Date()) {
  assertBackOffice(who.actor);
  const at = now.toISOString();
  const event: WorkItemEvent = (() => {
    switch (req.action) {
      case "take":
        return { type: "TAKE", at, userId: who.actor.userId, priority: req.priority, dueOn: req.dueOn };
      case "assign":
        if (!req.assigneeUserId) throw new InputError("Indicare a chi assegnare la pratica.", "assignee");
        return { type: "ASSIGN", at, userId: req.assigneeUserId, priority: req.priority, dueOn: req.dueOn };
      case "release":
        return { type: "RELEASE", at };
      case "complete":
        return { type: "COMPLETE", at };
      case "reopen":
        return { type: "REOPEN", at };
    }
  })();
  return getSql().begin(async (tx) => {
    const db = drizzleOver(tx);
    const [practice] = await db.select({ id: practices.id, code: practices.code, gestoreId: practices.gestoreId }).from(practices).where(eq(practices.id, req.practiceId));
    if (!practice) throw new InputError("Pratica non trovata.");
    if (event.type === "ASSIGN") {
      // A colleague of the same org unit; administrators (no unit) may pick any official.
      const colleagues = await officialsOf(db, who.actor.orgUnitId);
      if (!colleagues.some((c) => c.userId === event.userId)) {
        throw new InputError("Si può assegnare la pratica solo a un funzionario o dirigente della propria struttura.", "assignee");
      }
    }
    await tx`select pg_advisory_xact_lock(hashtext('work_item'), (${practice.id}::bigint % 2147483647)::int)`;
    let [item] = await db.select().from(workItems).where(eq(workItems.practiceId, practice.id));
    // Checked under the lock, so the holder named is the one who still holds it.
    if (event.type === "TAKE" && !req.takeOver && item?.state === "in_charge" && item.assigneeUserId && item.assigneeUserId !== who.actor.userId) {
      const holder = await workItemOf(db, practice.id);
      throw new TakeOverNeedsConfirmation(practice.id, practice.code, `${holder!.assigneeName} ${holder!.assigneeSurname}`);
    }
    if (!item) {
      const started = await startMachine(tx, WORK_ITEM_BINDING, {
        input: {},
        at: now,
        who,
        details: { practiceId: practice.id },
        create: async (d, snapshot) => {
          const [row] = await d
            .insert(workItems)
            .values({ practiceId: practice.id, gestoreId: practice.gestoreId, state: "open", snapshot: { ...snapshot, version: 1 } })
            .returning();
          return row!;
        },
      });
      item = started.row;
    }
    try {
      const done = await runMachineEvent(tx, WORK_ITEM_BINDING, {
        id: item.id,
        event,
        who,
        details: { practiceId: practice.id, ...(event.type === "ASSIGN" ? { assignee: event.userId } : {}) },
      });
      return { state: done.to, assigneeUserId: (done.snapshot.context as { assigneeUserId: string | null }).assigneeUserId };
    } catch (e) {
      if (e instanceof EventRefused) throw new InputError(REFUSED[req.action]);
      throw e;
    }
  });
}

/** Preview of a bulk assignment: what would happen to each practice, without writing anything. */
export async function previewBulkAssign(actor: Actor, practiceIds: number[], assigneeUserId: string) {
  assertBackOffice(actor);
  const db = getDb();
  const colleagues = await officialsOf(db, actor.orgUnitId);
  const colleague = colleagues.find((c) => c.userId === assigneeUserId);
  const rows = await practicesWithHandling(db, practiceIds);
  const found = new Map(rows.map((r) => [Number(r.id), r]));
  return practiceIds.map((id) => {
    const r = found.get(id);
    if (!r) return { practiceId: id, code: null, ok: false, outcome: "Pratica non trovata." };
    if (!colleague) return { practiceId: id, code: r.code, ok: false, outcome: "La persona indicata non è un funzionario della tua struttura." };
    if (r.state === "in_charge" && r.assignee === assigneeUserId) return { practiceId: id, code: r.code, ok: false, outcome: REFUSED.assign };
    return { practiceId: id, code: r.code, ok: true, outcome: `Sarà assegnata a ${colleague.name} ${colleague.surname}.` };
  });
}

/** A bulk assignment: each practice in its own transaction, with its own result. */
export async function bulkAssign(who: Who, practiceIds: number[], assigneeUserId: string, now = new Date()) {
  const results: { practiceId: number; ok: boolean; outcome: string }[] = [];
  for (const practiceId of practiceIds) {
    try {
      await handleWork(who, { practiceId, action: "assign", assigneeUserId }, now);
      results.push({ practiceId, ok: true, outcome: "Assegnata." });
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      results.push({ practiceId, ok: false, outcome: e.message });
    }
  }
  await audit(null, who, { action: "work_item.bulk_assign", objectType: "work_item", details: { assignee: assigneeUserId, requested: practiceIds.length, done: results.filter((r) => r.ok).length } });
  return results;
}
