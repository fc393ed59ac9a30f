import { isUuid } from "../uuid";
import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { applicantProfiles, applicationFiles, clickDayEntries, contactEmailLinks, applications, formModels, machineHistory, orgUnits, procedures, threadMessages, threads, users, type OnBehalfOf } from "../schema";
import { OutOfScopeError, type Viewer } from "../scope";


/** The procedure's published form model, if any. */
export async function publishedModelOf(db: DbOrTx, procedureId: string) {
  const [row] = await db
    .select()
    .from(formModels)
    .where(and(eq(formModels.procedureId, procedureId), eq(formModels.status, "published")));
  return row ?? null;
}

/**
 * A click day's acknowledged send still to complete (ADR 64): the application is still a draft but
 * sent for its applicant, with the number and receipt time of the acknowledgement.
 */
const acknowledged = and(eq(clickDayEntries.applicationId, applications.id), isNotNull(clickDayEntries.rank), isNull(clickDayEntries.completedAt));

/** An applicant's own applications, newest change first (every year); a click-day send acknowledged is shown sent. */
export async function applicationsOfApplicant(db: DbOrTx, viewer: Viewer) {
  if (viewer.role !== "richiedente") throw new OutOfScopeError("application");
  const rows = await db
    .select({
      id: applications.id,
      state: applications.state,
      number: applications.number,
      submittedAt: applications.submittedAt,
      updatedAt: applications.updatedAt,
      receiptFileId: applications.receiptFileId,
      procedureTitle: procedures.title,
      ack: { number: clickDayEntries.number, receivedAt: clickDayEntries.receivedAt },
    })
    .from(applications)
    .innerJoin(procedures, eq(procedures.id, applications.procedureId))
    .leftJoin(clickDayEntries, acknowledged)
    .where(eq(applications.applicantUserId, viewer.userId))
    .orderBy(desc(applications.updatedAt));
  return rows.map(({ ack, ...r }) =>
    ack?.number && r.state === "bozza" ? { ...r, state: "inviata" as const, number: ack.number, submittedAt: ack.receivedAt, completing: true } : { ...r, completing: false },
  );
}

/**
 * One application as its applicant sees it. Another person's application (also through a
 * guessed id) throws OutOfScopeError (an audited 403); an id that names nothing is null.
 */
export async function applicationForViewer(db: DbOrTx, viewer: Viewer, id: string) {
  if (!isUuid(id)) return null;
  const [found] = await db
    .select({ application: applications, model: formModels, procedure: procedures, applicant: users, ack: { number: clickDayEntries.number, receivedAt: clickDayEntries.receivedAt } })
    .from(applications)
    .innerJoin(formModels, eq(formModels.id, applications.formModelId))
    .innerJoin(procedures, eq(procedures.id, applications.procedureId))
    .innerJoin(users, eq(users.id, applications.applicantUserId))
    .leftJoin(clickDayEntries, acknowledged)
    .where(eq(applications.id, id));
  if (!found) return null;
  const { ack, ...plain } = found;
  const row = { ...plain, completing: false };
  if (viewer.role === "richiedente") {
    if (row.application.applicantUserId !== viewer.userId) throw new OutOfScopeError("application");
    // Its applicant sees a click day's acknowledged send as sent at once (ADR 64); officials once completed.
    if (ack?.number && row.application.state === "bozza")
      return { ...row, application: { ...row.application, state: "inviata" as const, number: ack.number, submittedAt: ack.receivedAt }, completing: true };
    return row;
  }
  // Officials: only sent applications their org unit handles or gives an opinion on (ADR 90).
  if (!row.application.number) throw new OutOfScopeError("application");
  const [reached] = await db.execute<{ ok: boolean }>(sql`
    select true as ok from applications a join procedures p on p.id = a.procedure_id where a.id = ${id} and ${officeReach(viewer)}`);
  if (!reached) throw new OutOfScopeError("application");
  return row;
}

const OFFICIALS = ["funzionario", "dirigente", "amministratore"];

/**
 * The applications an official reaches (ADR 90), over aliases `a` (applications) and `p`
 * (procedures): administrators every one; funzionari and dirigenti those whose procedure their
 * org unit handles, or whose routing (fixed at sending in the machine's context) names their
 * unit. Anyone else, or an official without a unit, reaches none.
 */
/** Over alias `a`: the application was routed (at sending, in its machine's context) to this org unit. */
const routedToUnit = (orgUnitId: string | SQL) => sql`coalesce(a.snapshot->'context'->'offices', '[]'::jsonb) ? (select o.code from org_units o where o.id = ${orgUnitId})`;

export function officeReach(viewer: Viewer) {
  if (!OFFICIALS.includes(viewer.role)) throw new OutOfScopeError("application");
  if (viewer.role === "amministratore") return sql`true`;
  if (!viewer.orgUnitId) return sql`false`;
  return sql`(p.org_unit_id = ${viewer.orgUnitId} or ${routedToUnit(viewer.orgUnitId)})`;
}

/**
 * Who handles an application (starts the review, asks integrations, decides): administrators,
 * and the officials of the procedure's org unit; when the procedure names no unit, the officials
 * of the offices it was routed to (ADR 90). Opinion offices give only their opinion.
 */
export async function handlesApplication(db: DbOrTx, viewer: Viewer, id: string) {
  if (viewer.role === "amministratore") return true;
  if (!OFFICIALS.includes(viewer.role) || !viewer.orgUnitId || !isUuid(id)) return false;
  const [row] = await db.execute<{ ok: boolean }>(sql`
    select true as ok from applications a join procedures p on p.id = a.procedure_id
     where a.id = ${id}
       and (p.org_unit_id = ${viewer.orgUnitId} or (p.org_unit_id is null and ${routedToUnit(viewer.orgUnitId)}))`);
  return Boolean(row);
}

export async function filesOfApplication(db: DbOrTx, applicationId: string) {
  return db
    .select({ id: applicationFiles.id, kind: applicationFiles.kind, fieldKey: applicationFiles.fieldKey, fileName: applicationFiles.fileName, contentType: applicationFiles.contentType, sizeBytes: applicationFiles.sizeBytes, sha256: applicationFiles.sha256, createdAt: applicationFiles.createdAt })
    .from(applicationFiles)
    .where(eq(applicationFiles.applicationId, applicationId))
    .orderBy(asc(applicationFiles.createdAt));
}

/** The attachments of an application's messages (ADR 113), without their bytes. */
export async function messageFilesOf(db: DbOrTx, applicationId: string) {
  return db
    .select({ id: applicationFiles.id, messageId: applicationFiles.messageId, fileName: applicationFiles.fileName, sizeBytes: applicationFiles.sizeBytes })
    .from(applicationFiles)
    .where(and(eq(applicationFiles.applicationId, applicationId), eq(applicationFiles.kind, "messaggio")))
    .orderBy(asc(applicationFiles.createdAt));
}

/** A file with its bytes, only through an application the viewer may open. */
export async function applicationFileForViewer(db: DbOrTx, viewer: Viewer, fileId: string) {
  if (!isUuid(fileId)) return null;
  const [file] = await db.select().from(applicationFiles).where(eq(applicationFiles.id, fileId));
  if (!file) return null;
  const owner = await applicationForViewer(db, viewer, file.applicationId);
  return owner ? file : null;
}

/** The offices chosen by routing rules when the application was sent (ADR 95), from its SUBMIT history row. */
export async function routingChoicesOf(db: DbOrTx, applicationId: string) {
  const [row] = await db.execute<{ routing: { rule: string; field: string; value: string | null; office: string; by: "caso" | "ripiego" }[] | null }>(sql`
    select details->'routing' as routing from machine_history
     where machine = 'application' and object_id = ${applicationId} and event = 'SUBMIT'
     order by id desc limit 1`);
  return row?.routing ?? [];
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

/**
 * Officials' search over every sent application of every year: filters, a page of `size` rows
 * (newest receipt first) and the exact total. Drafts are the applicant's own and never listed.
 * Offices are the application's own, fixed at sending (routing rules included, ADR 95).
 */
export async function searchApplications(db: DbOrTx, viewer: Viewer, f: ApplicationFilters, page: { offset: number; size: number }) {
  const where = sql`a.number is not null and ${officeReach(viewer)}
    ${f.procedureId ? sql`and a.procedure_id = ${f.procedureId}` : sql``}
    ${f.year ? sql`and extract(year from a.submitted_at at time zone 'Europe/Rome') = ${f.year}` : sql``}
    ${f.state ? sql`and a.state = ${f.state}` : sql``}
    ${f.office ? sql`and (coalesce(a.snapshot->'context'->'offices', '[]'::jsonb) ? ${f.office} or p.org_unit_id = (select o.id from org_units o where o.code = ${f.office}))` : sql``}
    ${f.number ? sql`and a.number ilike ${`%${f.number}%`}` : sql``}
    ${f.applicant ? sql`and (u.fiscal_code = upper(${f.applicant}) or (u.surname || ' ' || u.name) ilike ${`%${f.applicant}%`} or (u.name || ' ' || u.surname) ilike ${`%${f.applicant}%`})` : sql``}
    ${f.from ? sql`and a.submitted_at >= (${f.from}::date)::timestamp at time zone 'Europe/Rome'` : sql``}
    ${f.to ? sql`and a.submitted_at < ((${f.to}::date + 1)::timestamp at time zone 'Europe/Rome')` : sql``}`;
  const rows = await db.execute<{ id: string; number: string; state: string; submitted_at: string; procedure: string; applicant: string; fiscal_code: string; on_behalf_of: OnBehalfOf | null; total: string }>(sql`
    select a.id, a.number, a.state, a.submitted_at, p.title as procedure, u.surname || ' ' || u.name as applicant, u.fiscal_code,
           a.on_behalf_of, count(*) over () as total
    from applications a join procedures p on p.id = a.procedure_id join users u on u.id = a.applicant_user_id
    where ${where}
    order by a.submitted_at desc, a.id
    limit ${page.size} offset ${page.offset}`);
  const total = rows.length ? Number(rows[0]!.total) : page.offset ? Number((await db.execute<{ n: string }>(sql`select count(*) as n from applications a join procedures p on p.id = a.procedure_id join users u on u.id = a.applicant_user_id where ${where}`))[0]!.n) : 0;
  return { rows: rows.map((r) => ({ ...r, submittedAt: new Date(r.submitted_at) })), total };
}

/** Monitoring: sent applications by procedure and state, of the applications the viewer reaches. */
/**
 * Sent applications per procedure, office and state, within the viewer's reach: an application
 * counts for its handling unit and for each office it was routed to (so the rows of one
 * application may be several, one per office).
 */
export async function applicationCountsByOffice(db: DbOrTx, viewer: Viewer) {
  return db.execute<{ procedure: string; office: string; state: string; n: string }>(sql`
    select p.title as procedure, o.code as office, a.state, count(*) as n
    from applications a join procedures p on p.id = a.procedure_id
    cross join lateral (
      select jsonb_array_elements_text(coalesce(a.snapshot->'context'->'offices', '[]'::jsonb)) as code
      union select u.code from org_units u where u.id = p.org_unit_id
    ) o
    where a.number is not null and ${officeReach(viewer)}
    group by p.title, o.code, a.state order by p.title, o.code, a.state`);
}

export async function applicationCounts(db: DbOrTx, viewer: Viewer) {
  return db.execute<{ procedure: string; state: string; n: string }>(sql`
    select p.title as procedure, a.state, count(*) as n
    from applications a join procedures p on p.id = a.procedure_id
    where a.number is not null and ${officeReach(viewer)}
    group by p.title, a.state order by p.title, a.state`);
}

/**
 * Where an applicant is written to: the contact e-mail they confirmed with a link (ADR 90),
 * else the one SPID/CIE gave at sign-in. An unconfirmed contact is never written to.
 */
export async function applicantEmail(db: DbOrTx, userId: string) {
  return (await applicantEmails(db, [userId])).get(userId) ?? null;
}

/** `applicantEmail` of many applicants at once: user id → address (none for those without one). */
export async function applicantEmails(db: DbOrTx, userIds: string[]) {
  const rows = userIds.length
    ? await db
        .select({ id: users.id, email: sql<string | null>`case when ${applicantProfiles.contactEmailVerifiedAt} is not null then ${applicantProfiles.contactEmail} else ${users.email} end` })
        .from(users)
        .leftJoin(applicantProfiles, eq(applicantProfiles.userId, users.id))
        .where(inArray(users.id, [...new Set(userIds)]))
    : [];
  return new Map(rows.filter((r) => r.email).map((r) => [r.id, r.email!]));
}

/** The code of a viewer's org unit: an official gives opinions only for their own office. */
export async function orgUnitCodeOf(db: DbOrTx, orgUnitId: string | null) {
  if (!orgUnitId) return null;
  const [row] = await db.select({ code: orgUnits.code }).from(orgUnits).where(eq(orgUnits.id, orgUnitId));
  return row?.code ?? null;
}

/** The applicant's own profile: confirmed contact, declared business, and the newest contact link still pending. */
export async function applicantProfileOf(db: DbOrTx, viewer: Viewer, now = new Date()) {
  if (viewer.role !== "richiedente") throw new OutOfScopeError("applicant_profile");
  const [row] = await db
    .select({ profile: applicantProfiles, spidEmail: users.email })
    .from(users)
    .leftJoin(applicantProfiles, eq(applicantProfiles.userId, users.id))
    .where(eq(users.id, viewer.userId));
  const [pending] = await db
    .select({ email: contactEmailLinks.email, expiresAt: contactEmailLinks.expiresAt })
    .from(contactEmailLinks)
    .where(and(eq(contactEmailLinks.userId, viewer.userId), isNull(contactEmailLinks.usedAt), gt(contactEmailLinks.expiresAt, now)))
    .orderBy(desc(contactEmailLinks.createdAt))
    .limit(1);
  return { profile: row?.profile ?? null, spidEmail: row?.spidEmail ?? "", pending: pending ?? null };
}

/** The business an applicant declares to represent now (null: in their own name). */
export async function declaredBusinessOf(db: DbOrTx, userId: string): Promise<OnBehalfOf | null> {
  return (await declaredBusinessesOf(db, [userId])).get(userId) ?? null;
}

/** `declaredBusinessOf` of many applicants at once: user id → business (none for those without one). */
export async function declaredBusinessesOf(db: DbOrTx, userIds: string[]) {
  const rows = userIds.length
    ? await db.select({ userId: applicantProfiles.userId, name: applicantProfiles.businessName, code: applicantProfiles.businessCode }).from(applicantProfiles).where(inArray(applicantProfiles.userId, [...new Set(userIds)]))
    : [];
  return new Map(rows.filter((r) => r.code).map((r) => [r.userId, { name: r.name ?? "", code: r.code! } satisfies OnBehalfOf]));
}

/** The one message thread of an application (ADR 92) with its messages, oldest first; null before the first message. */
export async function applicationThread(db: DbOrTx, applicationId: string) {
  const [thread] = await db.select().from(threads).where(eq(threads.applicationId, applicationId));
  if (!thread) return null;
  const messages = await db
    .select({ id: threadMessages.id, side: threadMessages.side, body: threadMessages.body, createdAt: threadMessages.createdAt, readAt: threadMessages.readAt, authorName: users.name, authorSurname: users.surname })
    .from(threadMessages)
    .innerJoin(users, eq(users.id, threadMessages.authorUserId))
    .where(eq(threadMessages.threadId, thread.id))
    .orderBy(asc(threadMessages.createdAt), asc(threadMessages.id));
  return { thread, messages };
}

/**
 * Who is told of an applicant's message: the officials of the unit handling the procedure, or,
 * when no unit handles it, of the offices the application was routed to.
 */
export async function applicationOfficialsEmails(db: DbOrTx, applicationId: string) {
  const rows = await db.execute<{ email: string }>(sql`
    with target as (
      select coalesce(
        (select array[p.org_unit_id] from procedures p where p.id = a.procedure_id and p.org_unit_id is not null),
        array(select o.id from org_units o where coalesce(a.snapshot->'context'->'offices', '[]'::jsonb) ? o.code)) as units
      from applications a where a.id = ${applicationId})
    select distinct u.email from target, accesses x join users u on u.id = x.user_id
    where x.org_unit_id = any(target.units) and x.status = 'active' and x.role in ('funzionario', 'dirigente') and u.email <> ''`);
  return rows.map((r) => r.email);
}

/**
 * What the online applications ask of the viewer's office today (the worklist, ADR 90): every
 * application in progress the viewer reaches, with whether their unit handles it, whether their
 * unit's opinion is awaited, the procedure's term, the integration's due date and the
 * applicant's unread messages. Which of them enter the worklist is decided by the caller.
 */
export async function applicationWork(db: DbOrTx, viewer: Viewer) {
  const admin = viewer.role === "amministratore";
  const unit = viewer.orgUnitId;
  return db.execute<{
    id: string; number: string; state: string; procedure: string; term_on: string | null; integration_due_on: string | null;
    handling: boolean; opinion_due: boolean; offices: number; pending_offices: number; unread: number;
  }>(sql`
    select a.id, a.number, a.state, p.title as procedure,
      case when p.max_duration_days is not null then ((a.submitted_at at time zone 'Europe/Rome')::date + p.max_duration_days)::text end as term_on,
      a.snapshot->'context'->>'integrationDueOn' as integration_due_on,
      (${admin} or p.org_unit_id is not distinct from ${unit}::uuid and ${unit}::uuid is not null) as handling,
      coalesce((select a.snapshot->'context'->'offices' ? o.code and not coalesce(a.snapshot->'context'->'opinions', '{}'::jsonb) ? o.code
                from org_units o where o.id = ${unit}::uuid), false) as opinion_due,
      jsonb_array_length(coalesce(a.snapshot->'context'->'offices', '[]'::jsonb))::int as offices,
      (select count(*)::int from jsonb_array_elements_text(coalesce(a.snapshot->'context'->'offices', '[]'::jsonb)) c
        where not coalesce(a.snapshot->'context'->'opinions', '{}'::jsonb) ? c) as pending_offices,
      (select count(*)::int from threads t join thread_messages m on m.thread_id = t.id
        where t.application_id = a.id and m.side = 'richiedente' and m.read_at is null) as unread
    from applications a join procedures p on p.id = a.procedure_id
    where a.number is not null and a.state in ('inviata', 'in_istruttoria', 'integrata', 'integrazione_richiesta') and ${officeReach(viewer)}
    order by a.submitted_at
    limit 2000`);
}

/**
 * The officials (active funzionario or dirigente accesses) whose org unit handles the application's
 * procedure or was routed the application: those an application may be assigned to (ADR 112).
 */
export async function officialsReachingApplication(db: DbOrTx, applicationId: string) {
  if (!isUuid(applicationId)) return [];
  const rows = await db.execute<{ user_id: string }>(sql`
    select distinct x.user_id from applications a join procedures p on p.id = a.procedure_id, accesses x
    where a.id = ${applicationId} and x.status = 'active' and x.role in ('funzionario', 'dirigente') and x.org_unit_id is not null
      and (p.org_unit_id = x.org_unit_id or ${routedToUnit(sql`x.org_unit_id`)})`);
  return rows.map((r) => r.user_id);
}

/** Who handles each of the given applications (their work items with the assignee's name, ADR 112). */
export async function applicationHandlingOf(db: DbOrTx, applicationIds: string[]) {
  const ids = applicationIds.filter(isUuid);
  if (!ids.length) return [];
  return db.execute<{ application_id: string; state: string; assignee_user_id: string | null; name: string | null; surname: string | null; priority: string; due_on: string | null }>(sql`
    select w.application_id, w.state, w.assignee_user_id, u.name, u.surname, w.priority, w.due_on::text as due_on
    from work_items w left join users u on u.id = w.assignee_user_id where w.application_id = any(${sql.param(ids)}::uuid[])`);
}

/**
 * The application threads (ADR 92) of the applications the viewer reaches (officials only: the
 * offices' reach of ADR 90), for the back office's messages page beside the gestori threads, with
 * the applicant's messages the office has not read yet (ADR 114).
 */
export async function applicationThreadsFor(db: DbOrTx, viewer: Viewer) {
  const rows = await db.execute<{ id: string; application_id: string; subject: string; number: string; procedure: string; applicant: string; last_message_at: string; unread: number }>(sql`
    select t.id, t.application_id, t.subject, a.number, p.title as procedure, u.surname || ' ' || u.name as applicant, t.last_message_at,
      (select count(*)::int from thread_messages m where m.thread_id = t.id and m.side = 'richiedente' and m.read_at is null) as unread
    from threads t join applications a on a.id = t.application_id join procedures p on p.id = a.procedure_id join users u on u.id = a.applicant_user_id
    where ${officeReach(viewer)}
    order by t.last_message_at desc
    limit 200`);
  return rows.map((r) => ({ ...r, lastMessageAt: new Date(r.last_message_at) }));
}
