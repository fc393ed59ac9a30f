import { and, asc, desc, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { applicationFiles, applications, formModels, machineHistory, procedures, users } from "../schema";
import { OutOfScopeError, type Viewer } from "../scope";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The procedure's published form model, if any. */
export async function publishedModelOf(db: DbOrTx, procedureId: string) {
  const [row] = await db
    .select()
    .from(formModels)
    .where(and(eq(formModels.procedureId, procedureId), eq(formModels.status, "published")));
  return row ?? null;
}

/** An applicant's own applications, newest change first (every year). */
export async function applicationsOfApplicant(db: DbOrTx, viewer: Viewer) {
  if (viewer.role !== "richiedente") throw new OutOfScopeError("application");
  return db
    .select({
      id: applications.id,
      state: applications.state,
      number: applications.number,
      submittedAt: applications.submittedAt,
      updatedAt: applications.updatedAt,
      receiptFileId: applications.receiptFileId,
      procedureTitle: procedures.title,
    })
    .from(applications)
    .innerJoin(procedures, eq(procedures.id, applications.procedureId))
    .where(eq(applications.applicantUserId, viewer.userId))
    .orderBy(desc(applications.updatedAt));
}

/**
 * One application as its applicant sees it. Another person's application (also through a
 * guessed id) throws OutOfScopeError (an audited 403); an id that names nothing is null.
 */
export async function applicationForViewer(db: DbOrTx, viewer: Viewer, id: string) {
  if (!UUID.test(id)) return null;
  const [row] = await db
    .select({ application: applications, model: formModels, procedure: procedures, applicant: users })
    .from(applications)
    .innerJoin(formModels, eq(formModels.id, applications.formModelId))
    .innerJoin(procedures, eq(procedures.id, applications.procedureId))
    .innerJoin(users, eq(users.id, applications.applicantUserId))
    .where(eq(applications.id, id));
  if (!row) return null;
  if (viewer.role === "richiedente" && row.application.applicantUserId !== viewer.userId) throw new OutOfScopeError("application");
  if (viewer.role !== "richiedente" && !["funzionario", "dirigente", "amministratore"].includes(viewer.role)) throw new OutOfScopeError("application");
  return row;
}

export async function filesOfApplication(db: DbOrTx, applicationId: string) {
  return db
    .select({ id: applicationFiles.id, kind: applicationFiles.kind, fieldKey: applicationFiles.fieldKey, fileName: applicationFiles.fileName, contentType: applicationFiles.contentType, sizeBytes: applicationFiles.sizeBytes, sha256: applicationFiles.sha256, createdAt: applicationFiles.createdAt })
    .from(applicationFiles)
    .where(eq(applicationFiles.applicationId, applicationId))
    .orderBy(asc(applicationFiles.createdAt));
}

/** A file with its bytes, only through an application the viewer may open. */
export async function applicationFileForViewer(db: DbOrTx, viewer: Viewer, fileId: string) {
  if (!UUID.test(fileId)) return null;
  const [file] = await db.select().from(applicationFiles).where(eq(applicationFiles.id, fileId));
  if (!file) return null;
  const owner = await applicationForViewer(db, viewer, file.applicationId);
  return owner ? file : null;
}

export async function applicationTimeline(db: DbOrTx, applicationId: string) {
  return db
    .select({ event: machineHistory.event, fromState: machineHistory.fromState, toState: machineHistory.toState, at: machineHistory.at })
    .from(machineHistory)
    .where(and(eq(machineHistory.machine, "application"), eq(machineHistory.objectId, applicationId)))
    .orderBy(asc(machineHistory.id));
}

/** Procedures with a published model: where "Presenta domanda online" is offered. */
export async function proceduresWithPublishedModel(db: DbOrTx, procedureIds: string[]) {
  if (!procedureIds.length) return new Set<string>();
  const rows = await db
    .select({ procedureId: formModels.procedureId })
    .from(formModels)
    .where(and(inArray(formModels.procedureId, procedureIds), eq(formModels.status, "published")));
  return new Set(rows.map((r) => r.procedureId));
}
