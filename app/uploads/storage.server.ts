import crypto from "node:crypto";
import type { Sql, TransactionSql } from "postgres";
import { getSql } from "~db/client";
import { MAX_FILE_BYTES } from "./errors";

export const CHUNK_BYTES = 1024 * 1024;

export class FileTooLargeError extends Error {
  constructor() {
    super("FILE_TOO_LARGE");
  }
}

/**
 * Writes an upload's bytes as 1 MiB chunks while hashing them: memory stays bounded and the
 * original file can be downloaded again byte for byte. Refuses past the size limit.
 */
export async function writeChunks(sql: Sql | TransactionSql, uploadId: string, body: AsyncIterable<Uint8Array>) {
  const hash = crypto.createHash("sha256");
  let size = 0;
  let seq = 0;
  let buffer: Buffer[] = [];
  let buffered = 0;
  const flush = async () => {
    if (!buffered) return;
    const data = Buffer.concat(buffer, buffered);
    await sql`insert into upload_chunks (upload_id, seq, data) values (${uploadId}, ${seq}, ${data})`;
    seq += 1;
    buffer = [];
    buffered = 0;
  };
  for await (const part of body) {
    size += part.length;
    if (size > MAX_FILE_BYTES) throw new FileTooLargeError();
    hash.update(part);
    buffer.push(Buffer.from(part));
    buffered += part.length;
    if (buffered >= CHUNK_BYTES) await flush();
  }
  await flush();
  return { size, sha256: hash.digest("hex") };
}

/** The stored bytes of an upload, chunk by chunk, read with their own queries. */
export async function* readChunks(uploadId: string, sql: Sql = getSql()): AsyncGenerator<Uint8Array> {
  for (let seq = 0; ; seq++) {
    const [row] = await sql<{ data: Buffer }[]>`select data from upload_chunks where upload_id = ${uploadId} and seq = ${seq}`;
    if (!row) return;
    yield row.data;
  }
}
