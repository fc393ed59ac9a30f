import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { applicantProfiles, applicationFiles, applications, formModels, machineHistory, orgUnits, procedures, users } from "../schema";
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

export type ApplicationFilters = {
  procedureId?: string;
  year?: number;
  state?: string;
  office?: string;
  number?: string;
  applicant?: string;
  from?: string;
  to?: string;
};

const OFFICIALS = ["funzionario", "dirigente", "amministratore"];

/**
 * Officials' search over every sent application of every year: filters, a page of `size` rows
 * (newest receipt first) and the exact total. Drafts are the applicant's own and never listed.
 */
export async function searchApplications(db: DbOrTx, viewer: Viewer, f: ApplicationFilters, page: { offset: number; size: number }) {
  if (!OFFICIALS.includes(viewer.role)) throw new OutOfScopeError("application");
  const where = sql`a.number is not null
    ${f.procedureId ? sql`and a.procedure_id = ${f.procedureId}` : sql``}
    ${f.year ? sql`and extract(year from a.submitted_at at time zone 'Europe/Rome') = ${f.year}` : sql``}
    ${f.state ? sql`and a.state = ${f.state}` : sql``}
    ${f.office ? sql`and p.application_offices ? ${f.office}` : sql``}
    ${f.number ? sql`and a.number ilike ${`%${f.number}%`}` : sql``}
    ${f.applicant ? sql`and (u.fiscal_code = upper(${f.applicant}) or (u.surname || ' ' || u.name) ilike ${`%${f.applicant}%`} or (u.name || ' ' || u.surname) ilike ${`%${f.applicant}%`})` : sql``}
    ${f.from ? sql`and a.submitted_at >= (${f.from}::date)::timestamp at time zone 'Europe/Rome'` : sql``}
    ${f.to ? sql`and a.submitted_at < ((${f.to}::date + 1)::timestamp at time zone 'Europe/Rome')` : sql``}`;
  const rows = await db.execute<{ id: string; number: string; state: string; submitted_at: string; procedure: string; applicant: string; fiscal_code: string; offices: string[]; total: string }>(sql`
    select a.id, a.number, a.state, a.submitted_at, p.title as procedure, u.surname || ' ' || u.name as applicant, u.fiscal_code,
           p.application_offices as offices, count(*) over () as total
    from applications a join procedures p on p.id = a.procedure_id join users u on u.id = a.applicant_user_id
    where ${where}
    order by a.submitted_at desc, a.id
    limit ${page.size} offset ${page.offset}`);
  const total = rows.length ? Number(rows[0]!.total) : page.offset ? Number((await db.execute<{ n: string }>(sql`select count(*) as n from applications a join procedures p on p.id = a.procedure_id join users u on u.id = a.applicant_user_id where ${where}`))[0]!.n) : 0;
  return { rows: rows.map((r) => ({ ...r, submittedAt: new Date(r.submitted_at) })), total };
}

/** Monitoring: sent applications by procedure and state. */
export async function applicationCounts(db: DbOrTx) {
  return db.execute<{ procedure: string; state: string; n: string }>(sql`
    select p.title as procedure, a.state, count(*) as n
    from applications a join procedures p on p.id = a.procedure_id
    where a.number is not null
    group by p.title, a.state order by p.title, a.state`);
}

/** Where an applicant is written to: the confirmed contact e-mail, else the one SPID gave. */
export async function applicantEmail(db: DbOrTx, userId: string) {
  const [row] = await db
    .select({ email: sql<string | null>`coalesce(${applicantProfiles.contactEmail}, ${users.email})` })
    .from(users)
    .leftJoin(applicantProfiles, eq(applicantProfiles.userId, users.id))
    .where(eq(users.id, userId));
  return row?.email || null;
}

/** The code of a viewer's org unit: an official gives opinions only for their own office. */
export async function orgUnitCodeOf(db: DbOrTx, orgUnitId: string | null) {
  if (!orgUnitId) return null;
  const [row] = await db.select({ code: orgUnits.code }).from(orgUnits).where(eq(orgUnits.id, orgUnitId));
  return row?.code ?? null;
}
