import { isUuid } from "../uuid";
import { and, desc, eq, lt, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { OutOfScopeError, type Viewer } from "../scope";
import { individualGestoreScope } from "../visibility";
import { comuni, gestori, measureGestori, measures, uploads, users } from "../schema";

/** One upload, if the viewer may see it; another gestore's upload is refused, not hidden. */
export async function getUploadForViewer(db: DbOrTx, viewer: Viewer, id: string) {
  if (!isUuid(id)) return null;
  const [row] = await db
    .select({ upload: uploads, gestoreFiscalCode: gestori.fiscalCode, gestoreName: gestori.name })
    .from(uploads)
    .innerJoin(gestori, eq(gestori.id, uploads.gestoreId))
    .where(eq(uploads.id, id));
  if (!row) return null;
  const confined = await individualGestoreScope(db, viewer, "caricamenti", "upload");
  if (confined && confined !== row.upload.gestoreId) throw new OutOfScopeError("upload");
  return row;
}

export async function listUploadsForViewer(
  db: DbOrTx,
  viewer: Viewer,
  filter: { gestoreId?: string; status?: (typeof uploads.status.enumValues)[number]; before?: Date; limit?: number },
) {
  const confined = await individualGestoreScope(db, viewer, "caricamenti", "upload");
  const limit = filter.limit ?? 50;
  const conditions: (SQL | undefined)[] = [
    confined ? eq(uploads.gestoreId, confined) : filter.gestoreId ? eq(uploads.gestoreId, filter.gestoreId) : undefined,
    filter.status ? eq(uploads.status, filter.status) : undefined,
    filter.before ? lt(uploads.receivedAt, filter.before) : undefined,
  ];
  const rows = await db
    .select({
      id: uploads.id,
      status: uploads.status,
      fileName: uploads.fileName,
      sizeBytes: uploads.sizeBytes,
      submissionId: uploads.submissionId,
      referenceDate: uploads.referenceDate,
      receivedAt: uploads.receivedAt,
      completedAt: uploads.completedAt,
      records: uploads.records,
      errorCount: uploads.errorCount,
      failureRef: uploads.failureRef,
      channel: uploads.channel,
      gestoreName: gestori.name,
      gestoreFiscalCode: gestori.fiscalCode,
      uploaderName: users.name,
      uploaderSurname: users.surname,
    })
    .from(uploads)
    .innerJoin(gestori, eq(gestori.id, uploads.gestoreId))
    .leftJoin(users, eq(users.id, uploads.uploadedBy))
    .where(and(...conditions))
    .orderBy(desc(uploads.receivedAt))
    .limit(limit + 1);
  return { rows: rows.slice(0, limit), more: rows.length > limit };
}

/**
 * The reference data the validator outside the server checks against (docs/decisions/0103): the
 * open measures (with the gestore's accreditation when one is named) and the ISTAT comuni codes.
 */
export async function uploadCheckReference(db: DbOrTx, gestoreId: string | null) {
  const measureRows = await db
    .select({
      code: measures.code,
      accredited: gestoreId
        ? sql<boolean>`exists (select 1 from ${measureGestori} mg where mg.measure_id = ${measures.id} and mg.gestore_id = ${gestoreId})`
        : sql<null>`null`,
    })
    .from(measures)
    .where(eq(measures.isOpen, true))
    .orderBy(measures.code);
  const comuniRows = await db.select({ code: comuni.code }).from(comuni).orderBy(comuni.code);
  return { measures: measureRows, comuni: comuniRows.map((c) => c.code) };
}
