import type { TransactionSql } from "postgres";
import { safeFileName } from "~/lib/text-safety";
import { enqueue, startBoss } from "~/jobs/queue.server";
import { audit, type ChangeAuthor } from "~/audit/audit.server";
import { drizzleOver, getSql } from "~db/client";
import { ensureQueue, INGEST_QUEUE } from "~/jobs/queues";
import { MAX_FILE_BYTES } from "./errors";
import { FileTooLargeError, writeChunks } from "./storage.server";

class SameAsAccepted extends Error {
  constructor(readonly uploadId: string) {
    super("identical to an accepted upload");
  }
}

export type Received = { uploadId: string; reused: boolean };

export const GESTORE_INACTIVE_MESSAGE =
  "L'ente gestore è disattivato: non è possibile inviare flussi. I dati già inviati restano consultabili; per riattivare l'ente rivolgersi all'amministrazione regionale.";

/** The gestore was deactivated (docs/decisions/0029): nothing is stored. */
export class GestoreInactiveError extends Error {
  constructor() {
    super(GESTORE_INACTIVE_MESSAGE);
  }
}

/**
 * Stores an upload durably and queues its processing, in one transaction, then answers at once.
 * A file byte-identical to one already accepted for the gestore is not stored again: the earlier
 * upload is returned.
 */
export async function receiveUpload(input: {
  gestoreId: string;
  userId: string | null;
  channel: "web" | "api" | "sftp";
  fileName: string;
  declaredSize?: number | null;
  body: AsyncIterable<Uint8Array>;
  who: ChangeAuthor;
  /** Written in the same transaction as the upload (the SFTP account that sent it, issue 18). */
  onStored?: (tx: TransactionSql, uploadId: string) => Promise<void>;
}): Promise<Received> {
  if (input.declaredSize && input.declaredSize > MAX_FILE_BYTES) throw new FileTooLargeError();
  await ensureQueue(await startBoss(), INGEST_QUEUE);
  try {
    return await getSql().begin(async (tx) => {
      // Shared lock: a deactivation saved meanwhile waits for this upload, or this upload sees it.
      const [gestore] = await tx<{ active: boolean }[]>`select active from gestori where id = ${input.gestoreId} for share`;
      if (!gestore?.active) throw new GestoreInactiveError();
      const [row] = await tx<{ id: string }[]>`
        insert into uploads (gestore_id, uploaded_by, channel, file_name, size_bytes, sha256)
        values (${input.gestoreId}, ${input.userId}, ${input.channel}, ${safeFileName(input.fileName, "flusso.txt")}, 0, '') returning id`;
      const uploadId = row!.id;
      const { size, sha256 } = await writeChunks(tx, uploadId, input.body);
      const [same] = await tx<{ id: string }[]>`
        select id from uploads where gestore_id = ${input.gestoreId} and sha256 = ${sha256} and status = 'accepted'
        order by received_at limit 1`;
      if (same) throw new SameAsAccepted(same.id);
      await tx`update uploads set size_bytes = ${size}, sha256 = ${sha256} where id = ${uploadId}`;
      await input.onStored?.(tx, uploadId);
      await enqueue(INGEST_QUEUE, { gestoreId: input.gestoreId }, { within: tx });
      await audit(drizzleOver(tx), input.who, {
        action: "upload.receive",
        objectType: "upload",
        objectId: uploadId,
        gestoreId: input.gestoreId,
        details: { channel: input.channel, size, sha256 },
      });
      return { uploadId, reused: false };
    });
  } catch (e) {
    if (e instanceof SameAsAccepted) {
      await audit(null, input.who, { action: "upload.receive", objectType: "upload", objectId: e.uploadId, gestoreId: input.gestoreId, details: { identicalToAccepted: true } });
      return { uploadId: e.uploadId, reused: true };
    }
    throw e;
  }
}
