import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { log } from "~/lib/logger.server";
import { safeFileName } from "~/lib/text-safety";
import { drizzleOver, getDb, getSql } from "~db/client";
import { getUploadForViewer } from "~db/queries/uploads";
import type { Viewer } from "~db/scope";
import { MAX_FILE_BYTES } from "./errors";
import { ingestTimeLimitMs } from "./failure.server";
import { ingestInTransaction, validationContext } from "./ingest.server";
import { outcomeObject } from "./outcome.server";
import { GestoreInactiveError } from "./receive.server";
import { CHUNK_BYTES, FileTooLargeError } from "./storage.server";

/** The answer of a dry run: the outcome object a real upload would get, with no upload behind it. */
export type DryRunOutcome = Omit<ReturnType<typeof outcomeObject>, "id"> & {
  id: null;
  dryRun: true;
  /** The file is byte-identical to this accepted upload: sent for real, it would get that outcome. */
  identicalToAccepted: string | null;
};

/** The dry run broke (a database error, the time limit): nothing was checked, nothing stored. */
export class DryRunFailed extends Error {
  constructor() {
    super("Verifica non riuscita per un errore interno: riprovare più tardi");
  }
}

/** Carries the outcome out of the transaction, which is thereby rolled back. */
class RolledBack extends Error {
  constructor(readonly row: NonNullable<Awaited<ReturnType<typeof getUploadForViewer>>>) {
    super("dry run");
  }
}

// A dry run holds the gestore's practice index in the web process's memory, like the worker does
// for a real file: one at a time per process, the next one waits its turn.
let queue: Promise<unknown> = Promise.resolve();
function oneAtATime<T>(fn: () => Promise<T>): Promise<T> {
  const run = queue.then(fn, fn);
  queue = run.catch(() => {});
  return run;
}

/** The body in a private temporary file (the check may read it twice), hashed, within the size limit. */
async function spool(dir: string, body: AsyncIterable<Uint8Array>) {
  const file = path.join(dir, "flusso");
  const out = fs.createWriteStream(file, { mode: 0o600 });
  const hash = crypto.createHash("sha256");
  let size = 0;
  try {
    for await (const part of body) {
      size += part.length;
      if (size > MAX_FILE_BYTES) throw new FileTooLargeError();
      hash.update(part);
      if (!out.write(part)) await new Promise<void>((r) => out.once("drain", () => r()));
    }
  } finally {
    await new Promise<void>((r) => out.end(() => r()));
  }
  return { file, size, sha256: hash.digest("hex") };
}

/**
 * Checks a file exactly as its ingestion would (docs/decisions/0102): the same function, on the
 * same stored practices, inside a transaction that is always rolled back. Nothing is stored, no
 * job is queued, no mail is sent, and the check does not count as a submission.
 */
export async function dryRunUpload(input: {
  gestoreId: string;
  viewer: Viewer;
  channel: "web" | "api" | "sftp";
  fileName: string;
  declaredSize?: number | null;
  body: AsyncIterable<Uint8Array>;
}): Promise<DryRunOutcome> {
  if (input.declaredSize && input.declaredSize > MAX_FILE_BYTES) throw new FileTooLargeError();
  const sql = getSql();
  const [gestore] = await sql<{ active: boolean; fiscal_code: string }[]>`select active, fiscal_code from gestori where id = ${input.gestoreId}`;
  if (!gestore?.active) throw new GestoreInactiveError();
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "gp-verifica-"));
  try {
    const spooled = await spool(dir, input.body);
    return await oneAtATime(async () => {
      const [same] = await sql<{ id: string }[]>`
        select id from uploads where gestore_id = ${input.gestoreId} and sha256 = ${spooled.sha256} and status = 'accepted'
        order by received_at limit 1`;
      if (same) {
        const row = (await getUploadForViewer(getDb(), input.viewer, same.id))!;
        return { ...outcomeObject(row), id: null, dryRun: true as const, identicalToAccepted: same.id };
      }
      const ctx = await validationContext(input.gestoreId, gestore.fiscal_code);
      const limitMs = ingestTimeLimitMs(spooled.size);
      try {
        await sql.begin(async (tx) => {
          const [row] = await tx<{ id: string }[]>`
            insert into uploads (gestore_id, uploaded_by, channel, file_name, size_bytes, sha256)
            values (${input.gestoreId}, ${input.viewer.userId}, ${input.channel}, ${safeFileName(input.fileName, "flusso.txt")}, ${spooled.size}, ${spooled.sha256})
            returning id`;
          const upload = { id: row!.id, gestore_id: input.gestoreId, fiscal_code: gestore.fiscal_code, size_bytes: spooled.size };
          await ingestInTransaction(tx, upload, ctx, {
            deadline: Date.now() + limitMs,
            limitMs,
            onBackend: () => {},
            read: () => fs.createReadStream(spooled.file, { highWaterMark: CHUNK_BYTES }),
            dryRun: true,
          });
          throw new RolledBack((await getUploadForViewer(drizzleOver(tx), input.viewer, upload.id))!);
        });
      } catch (e) {
        if (e instanceof RolledBack) return { ...outcomeObject(e.row), id: null, dryRun: true as const, identicalToAccepted: null };
        log.error("dry run failed", { error: (e as Error).message });
        throw new DryRunFailed();
      }
      throw new DryRunFailed();
    });
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}
