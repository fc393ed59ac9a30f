import { isUuid } from "../uuid";
import { and, asc, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { confinedGestoreId, OFFICIAL_ROLES, OutOfScopeError, type Viewer } from "../scope";
import { accesses, documents, gestori, measures, practices, threadMessages, threads, users, workItems } from "../schema";

/** Threads the viewer may read: a gestore user only its own gestore's; officials every one. */
export async function listThreads(db: DbOrTx, viewer: Viewer, opts: { practiceId?: number } = {}) {
  const confined = confinedGestoreId(viewer);
  const side = confined ? "gestore" : "ufficio";
  return db
    .select({
      id: threads.id,
      kind: threads.kind,
      subject: threads.subject,
      gestoreName: gestori.name,
      practiceId: threads.practiceId,
      practiceCode: practices.code,
      dueOn: threads.dueOn,
      answeredAt: threads.answeredAt,
      lastMessageAt: threads.lastMessageAt,
      // Messages of the other side this viewer's side has not opened yet.
      unread: sql<number>`(select count(*)::int from thread_messages m where m.thread_id = ${threads.id} and m.side <> ${side} and m.read_at is null)`,
    })
    .from(threads)
    .innerJoin(gestori, eq(gestori.id, threads.gestoreId))
    .leftJoin(practices, eq(practices.id, threads.practiceId))
    .where(and(confined ? eq(threads.gestoreId, confined) : undefined, opts.practiceId !== undefined ? eq(threads.practiceId, opts.practiceId) : undefined))
    .orderBy(desc(threads.lastMessageAt))
    .limit(200);
}

/** One thread with its messages and attachments; another gestore's thread is refused. */
export async function getThread(db: DbOrTx, viewer: Viewer, id: string) {
  if (!isUuid(id)) return null;
  const [row] = await db
    .select({ thread: threads, gestoreName: gestori.name, practiceCode: practices.code, measureCode: measures.code })
    .from(threads)
    .innerJoin(gestori, eq(gestori.id, threads.gestoreId))
    .leftJoin(practices, eq(practices.id, threads.practiceId))
    .leftJoin(measures, eq(measures.id, threads.measureId))
    .where(eq(threads.id, id));
  if (!row) return null;
  const confined = confinedGestoreId(viewer);
  if (confined && confined !== row.thread.gestoreId) throw new OutOfScopeError("thread");
  const messages = await db
    .select({
      id: threadMessages.id,
      side: threadMessages.side,
      body: threadMessages.body,
      createdAt: threadMessages.createdAt,
      readAt: threadMessages.readAt,
      authorName: users.name,
      authorSurname: users.surname,
    })
    .from(threadMessages)
    .innerJoin(users, eq(users.id, threadMessages.authorUserId))
    .where(eq(threadMessages.threadId, id))
    .orderBy(asc(threadMessages.createdAt), asc(threadMessages.id));
  const attachments = await db
    .select({ id: documents.id, messageId: documents.messageId, fileName: documents.fileName, sizeBytes: documents.sizeBytes, docType: documents.docType })
    .from(documents)
    .where(eq(documents.threadId, id))
    .orderBy(asc(documents.createdAt));
  return { ...row, messages, attachments };
}

/** Every version of every document of a practice, newest version first within each series. */
export async function listPracticeDocuments(db: DbOrTx, viewer: Viewer, practice: { id: number; gestoreId: string }) {
  const confined = confinedGestoreId(viewer);
  if (confined && confined !== practice.gestoreId) throw new OutOfScopeError("practice");
  return db
    .select({
      id: documents.id,
      seriesId: documents.seriesId,
      version: documents.version,
      docType: documents.docType,
      fileName: documents.fileName,
      contentType: documents.contentType,
      sizeBytes: documents.sizeBytes,
      sha256: documents.sha256,
      side: documents.side,
      createdAt: documents.createdAt,
      authorName: users.name,
      authorSurname: users.surname,
    })
    .from(documents)
    .innerJoin(users, eq(users.id, documents.uploadedBy))
    .where(eq(documents.practiceId, practice.id))
    .orderBy(asc(documents.seriesId), desc(documents.version));
}

/** A document's metadata for download; another gestore's document is refused. */
export async function getDocument(db: DbOrTx, viewer: Viewer, id: string) {
  if (!isUuid(id)) return null;
  const [row] = await db.select().from(documents).where(eq(documents.id, id));
  if (!row) return null;
  const confined = confinedGestoreId(viewer);
  if (confined && confined !== row.gestoreId) throw new OutOfScopeError("document");
  return row;
}

/** The work item of a practice with the name of who holds it. */
export async function workItemOf(db: DbOrTx, practiceId: number) {
  const [row] = await db
    .select({ item: workItems, assigneeName: users.name, assigneeSurname: users.surname })
    .from(workItems)
    .leftJoin(users, eq(users.id, workItems.assigneeUserId))
    .where(eq(workItems.practiceId, practiceId));
  return row ?? null;
}

/** Officials with an active access in an org unit (the colleagues one may assign to). */
export async function officialsOf(db: DbOrTx, orgUnitId: string | null) {
  return db
    .selectDistinct({ userId: users.id, name: users.name, surname: users.surname })
    .from(accesses)
    .innerJoin(users, eq(users.id, accesses.userId))
    .where(
      and(
        eq(accesses.status, "active"),
        inArray(accesses.role, [...OFFICIAL_ROLES]),
        orgUnitId ? eq(accesses.orgUnitId, orgUnitId) : undefined,
      ),
    )
    .orderBy(asc(users.surname), asc(users.name));
}

/** Clarification requests past their due date and still unanswered. */
export async function overdueClarifications(db: DbOrTx, today: string) {
  return db
    .select({ id: threads.id, practiceId: threads.practiceId, gestoreId: threads.gestoreId, dueOn: threads.dueOn, subject: threads.subject })
    .from(threads)
    .where(and(eq(threads.kind, "chiarimento"), isNull(threads.answeredAt), sql`${threads.dueOn} < ${today}::date`))
    // Clarification requests are always about a gestore's practice (never an application's thread).
    .then((rows) => rows.filter((r): r is typeof r & { gestoreId: string } => r.gestoreId !== null));
}

// The worklist's sources (app/backoffice/worklist.server.ts): the back office sees every gestore.

/** Measures with their org unit, and gestori names: the worklist's lookups. */
export async function worklistLookups(db: DbOrTx) {
  const [measureRows, gestoreRows] = await Promise.all([
    db.execute<{ id: string; code: string; org_unit_id: string | null }>(sql`select id, code, org_unit_id from measures`),
    db.execute<{ id: string; name: string }>(sql`select id, name from gestori`),
  ]);
  return { measures: [...measureRows], gestori: [...gestoreRows] };
}

/** Practices whose disbursed amount exceeds the approved one, oldest state first. */
export async function amountAnomalies(db: DbOrTx, limit: number) {
  return db.execute<{ id: string; code: string; gestore_id: string; measure_id: string; approved: string; disbursed: string; state_date: string }>(sql`
    select id, code, gestore_id, measure_id, amount_approved as approved, amount_disbursed as disbursed, state_date::text as state_date
    from practices where amount_disbursed is not null and amount_approved is not null and amount_disbursed > amount_approved
    order by state_date limit ${limit}`);
}

/** Each gestore's last rejected file when no accepted file came after it. */
export async function rejectedFilesNotReplaced(db: DbOrTx) {
  return db.execute<{ id: string; gestore_id: string; submission_id: string | null; received_on: string }>(sql`
    select u.id, u.gestore_id, u.submission_id, ((u.received_at at time zone 'Europe/Rome')::date)::text as received_on from uploads u
    where u.status = 'rejected'
      and not exists (select 1 from uploads a where a.gestore_id = u.gestore_id and a.status = 'accepted' and a.received_at > u.received_at)
      and u.received_at = (select max(r.received_at) from uploads r where r.gestore_id = u.gestore_id and r.status = 'rejected')`);
}

/** Code and measure of the given practices. */
export async function practiceCodes(db: DbOrTx, ids: number[]) {
  if (!ids.length) return [];
  return db.execute<{ id: string; code: string; measure_id: string }>(sql`select id, code, measure_id from practices where id = any(${sql.param(ids)}::bigint[])`);
}

/** Who handles each of the given practices (their work items with the assignee's name). */
export async function handlingOf(db: DbOrTx, practiceIds: number[]) {
  if (!practiceIds.length) return [];
  return db.execute<{ practice_id: string; state: string; assignee_user_id: string | null; name: string | null; surname: string | null; priority: string; due_on: string | null }>(sql`
    select w.practice_id, w.state, w.assignee_user_id, u.name, u.surname, w.priority, w.due_on::text as due_on
    from work_items w left join users u on u.id = w.assignee_user_id where w.practice_id = any(${sql.param(practiceIds)}::bigint[])`);
}

/** The given practices with their work item's state and assignee (null without one). */
export async function practicesWithHandling(db: DbOrTx, practiceIds: number[]) {
  return db.execute<{ id: string; code: string; assignee: string | null; state: string | null }>(sql`
    select p.id, p.code, w.assignee_user_id as assignee, w.state
    from practices p left join work_items w on w.practice_id = p.id
    where p.id = any(${sql.param(practiceIds)}::bigint[])`);
}

/**
 * Moves whenever a table the worklist is computed from changes (statement triggers of migration
 * 0018, docs/decisions/0058): a cached worklist with another token is stale.
 */
export async function worklistChangeToken(db: DbOrTx): Promise<string> {
  const [row] = await db.execute<{ token: string }>(sql`select last_value::text || (case when is_called then '+' else '' end) as token from worklist_change_seq`);
  return row!.token;
}
