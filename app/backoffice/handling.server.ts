import { eq, type SQL } from "drizzle-orm";
import { audit } from "~/audit/audit.server";
import type { Actor } from "~/auth/guards.server";
import { InputError } from "~/lib/errors";
import { drizzleOver, getDb, getSql, type Database } from "~db/client";
import { applicationForViewer, officialsReachingApplication } from "~db/queries/applications";
import { officialsOf, practicesWithHandling } from "~db/queries/backoffice";
import { OFFICIAL_ROLES, OutOfScopeError } from "~db/scope";
import { practices, users, workItems } from "~db/schema";
import { EventRefused, runMachineEvent, startMachine, WORK_ITEM_BINDING } from "~/machines/runner.server";
import type { WorkItemEvent } from "~workflows/work-item.machine";

export type Who = { actor: Actor; ip?: string | null };

export const WORK_ACTIONS = ["take", "assign", "release", "complete", "reopen"] as const;
export type WorkAction = (typeof WORK_ACTIONS)[number];

/** What is handled: a practice, or an online application (ADR 112); exactly one of the two. */
export type WorkSubject = { practiceId: number; applicationId?: undefined } | { applicationId: string; practiceId?: undefined };

export type WorkRequest = WorkSubject & {
  action: WorkAction;
  assigneeUserId?: string;
  priority?: "normale" | "alta";
  dueOn?: string | null;
  /** Taking an item a colleague holds: only once the person has confirmed it. */
  takeOver?: boolean;
};

/** Taking in charge a practice or application a colleague holds needs a confirmation naming who holds it. */
export class TakeOverNeedsConfirmation extends Error {
  constructor(
    readonly subject: WorkSubject,
    readonly code: string,
    readonly holder: string,
  ) {
    super(`${subject.applicationId ? "La domanda" : "La pratica"} ${code} è in carico a ${holder}. Confermare per prenderla in carico al suo posto.`);
    this.name = "TakeOverNeedsConfirmation";
  }
}

const refused = (noun: "pratica" | "domanda"): Record<WorkAction, string> => ({
  take: `La ${noun} è già in carico a te.`,
  assign: `La ${noun} è già assegnata a questa persona.`,
  release: `La ${noun} non è in carico a nessuno.`,
  complete: `La lavorazione della ${noun} è già conclusa.`,
  reopen: `La lavorazione della ${noun} non è conclusa.`,
});
const REFUSED = refused("pratica");

export const NOT_YOUR_APPLICATION = "La domanda non è tra quelle dei tuoi uffici: non puoi lavorarla.";

/** Only officials and administrators handle practices: checked here, not only in the routes. */
export function assertBackOffice(actor: Actor) {
  if (actor.role !== "amministratore" && !(OFFICIAL_ROLES as readonly string[]).includes(actor.role)) {
    throw new InputError("Solo i funzionari e i dirigenti possono lavorare le pratiche.");
  }
}

type Handled = { code: string; gestoreId: string | null; noun: "pratica" | "domanda"; lock: [string, string]; where: SQL; values: { practiceId: number; gestoreId: string } | { applicationId: string } };

/**
 * The practice or application to handle, read in the transaction. An application must be within
 * the official's offices (ADR 90's reach, the Viewer-scoped query): one outside them is refused,
 * the refusal audited apart from the transaction that writes nothing.
 */
async function handledOf(db: Database, who: Who, subject: WorkSubject): Promise<Handled> {
  if (subject.applicationId === undefined) {
    const [practice] = await db.select({ id: practices.id, code: practices.code, gestoreId: practices.gestoreId }).from(practices).where(eq(practices.id, subject.practiceId));
    if (!practice) throw new InputError("Pratica non trovata.");
    return { code: practice.code, gestoreId: practice.gestoreId, noun: "pratica", lock: ["work_item", String(practice.id)], where: eq(workItems.practiceId, practice.id), values: { practiceId: practice.id, gestoreId: practice.gestoreId } };
  }
  const id = subject.applicationId;
  let found: Awaited<ReturnType<typeof applicationForViewer>>;
  try {
    found = await applicationForViewer(db, who.actor, id);
  } catch (e) {
    if (!(e instanceof OutOfScopeError)) throw e;
    await audit(null, who, { action: "access.denied", outcome: "denied", objectType: "application", objectId: id, details: { reason: "application_scope", intent: "work" } });
    throw new InputError(NOT_YOUR_APPLICATION);
  }
  if (!found) throw new InputError("Domanda non trovata.");
  return { code: found.application.number!, gestoreId: null, noun: "domanda", lock: ["work_item_application", id], where: eq(workItems.applicationId, id), values: { applicationId: id } };
}

/**
 * Takes a practice or an online application in charge, assigns it to a colleague of the same org
 * unit, releases it, completes or reopens its handling: one event of the work-item machine through
 * the runner (snapshot, machine_history and audit row in one transaction). The first action
 * creates the item.
 */
export async function handleWork(who: Who, req: WorkRequest, now = new Date()) {
  assertBackOffice(who.actor);
  const at = now.toISOString();
  const event: WorkItemEvent = (() => {
    switch (req.action) {
      case "take":
        return { type: "TAKE", at, userId: who.actor.userId, priority: req.priority, dueOn: req.dueOn };
      case "assign":
        if (!req.assigneeUserId) throw new InputError(`Indicare a chi assegnare la ${req.applicationId ? "domanda" : "pratica"}.`, "assignee");
        return { type: "ASSIGN", at, userId: req.assigneeUserId, priority: req.priority, dueOn: req.dueOn };
      case "release":
        return { type: "RELEASE", at };
      case "complete":
        return { type: "COMPLETE", at };
      case "reopen":
        return { type: "REOPEN", at };
    }
  })();
  const subject: WorkSubject = req.applicationId !== undefined ? { applicationId: req.applicationId } : { practiceId: req.practiceId };
  return getSql().begin(async (tx) => {
    const db = drizzleOver(tx);
    const handled = await handledOf(db, who, subject);
    if (event.type === "ASSIGN") {
      // A colleague of the same org unit; administrators (no unit) may pick any official. For an
      // application, also one whose office it is routed to or handled by.
      const colleagues = await officialsOf(db, who.actor.orgUnitId);
      const reach = subject.applicationId !== undefined ? new Set(await officialsReachingApplication(db, subject.applicationId)) : null;
      if (!colleagues.some((c) => c.userId === event.userId && (!reach || reach.has(c.userId)))) {
        throw new InputError(
          reach
            ? "Si può assegnare la domanda solo a un funzionario o dirigente della propria struttura, tra gli uffici della domanda."
            : "Si può assegnare la pratica solo a un funzionario o dirigente della propria struttura.",
          "assignee",
        );
      }
    }
    await tx`select pg_advisory_xact_lock(hashtext(${handled.lock[0]}), hashtext(${handled.lock[1]}))`;
    let [item] = await db.select().from(workItems).where(handled.where);
    // Checked under the lock, so the holder named is the one who still holds it.
    if (event.type === "TAKE" && !req.takeOver && item?.state === "in_charge" && item.assigneeUserId && item.assigneeUserId !== who.actor.userId) {
      const [holder] = await db.select({ name: users.name, surname: users.surname }).from(users).where(eq(users.id, item.assigneeUserId));
      throw new TakeOverNeedsConfirmation(subject, handled.code, `${holder!.name} ${holder!.surname}`);
    }
    const about = subject.applicationId !== undefined ? { applicationId: subject.applicationId } : { practiceId: subject.practiceId };
    if (!item) {
      const started = await startMachine(tx, WORK_ITEM_BINDING, {
        input: {},
        at: now,
        who,
        details: about,
        create: async (d, snapshot) => {
          const [row] = await d
            .insert(workItems)
            .values({ ...handled.values, state: "open", snapshot: { ...snapshot, version: 1 } })
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
        details: { ...about, ...(event.type === "ASSIGN" ? { assignee: event.userId } : {}) },
      });
      return { state: done.to, assigneeUserId: (done.snapshot.context as { assigneeUserId: string | null }).assigneeUserId };
    } catch (e) {
      if (e instanceof EventRefused) throw new InputError(refused(handled.noun)[req.action]);
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
