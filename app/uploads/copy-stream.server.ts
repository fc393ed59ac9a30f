import { once } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { Readable, Writable } from "node:stream";
import type { Sql, TransactionSql } from "postgres";

/**
 * Starts `COPY … FROM STDIN` and returns a stream to write its rows to. postgres.js resolves a
 * COPY query with its stream, so an error PostgreSQL sends once the rows are all sent (a trigger,
 * a value refused in the last rows, the connection ended) would reject a promise already settled:
 * lost, and the stream's end would wait forever, holding the transaction and the gestore's lock
 * (issue 20). Its stream also throws when written or destroyed after the connection is gone.
 * The stream returned here fails with the query's error instead, and destroying it (our side gave
 * up) sends PostgreSQL a CopyFail, so the connection leaves COPY mode for the rollback.
 */
export async function copyIn(sql: Sql | TransactionSql, statement: string): Promise<Writable> {
  const query = sql.unsafe(statement) as unknown as { reject: (e: unknown) => void; writable(): Promise<Writable> };
  let failure: Error | null = null;
  let guarded: Writable | null = null;
  const fail = (e: unknown) => {
    failure ??= e instanceof Error ? e : new Error(String(e));
    if (guarded && !guarded.destroyed) guarded.destroy(failure);
  };
  const reject = query.reject;
  query.reject = (e) => {
    fail(e);
    reject(e);
  };
  const pg = await query.writable();
  pg.on("error", fail);
  guarded = new Writable({
    write(chunk, _encoding, callback) {
      if (failure) return callback(failure);
      try {
        pg.write(chunk, (e) => callback(e ?? failure));
      } catch (e) {
        fail(e);
        callback(failure);
      }
    },
    final(callback) {
      if (failure) return callback(failure);
      try {
        pg.end(() => callback(failure));
      } catch (e) {
        fail(e);
        callback(failure);
      }
    },
    destroy(error, callback) {
      if (!failure && error) {
        failure = error;
        try {
          pg.destroy(error);
        } catch {
          // The connection is gone already: nothing to tell PostgreSQL.
        }
      }
      callback(error);
    },
  });
  return guarded;
}

/**
 * Runs `COPY … TO STDOUT` and hands each chunk of its output to `onChunk`, synchronously, as it
 * arrives (the stream flows). A failed statement or a lost connection
 * rejects. If `onChunk` throws, the rest of the output is read and dropped (the connection must
 * leave COPY mode) and then the error is thrown.
 *
 * postgres.js pauses its socket when the stream's buffer is full and resumes it only when the
 * stream is read again; when the last rows arrive in the same packet as the end of the COPY, the
 * stream ends paused and the connection's next statement waits forever (porsager/postgres#1016,
 * unreleased fix). Its read function is the one that resumes the socket: it is called once more
 * after the end.
 */
export async function copyOut(sql: Sql | TransactionSql, statement: string, onChunk: (chunk: Uint8Array) => void) {
  const query = sql.unsafe(statement) as unknown as { resolve: (value: unknown) => void; readable(): Promise<unknown> };
  let stream: Readable | null = null;
  let thrown: { error: unknown } | null = null;
  const read = new Promise<void>((resolve, reject) => {
    // The listeners go on the stream the moment postgres.js makes it: the whole output, or an
    // error, may come in the same read from the socket, before an `await` here would resume, and
    // an error emitted with no listener would be thrown out of the process.
    const resolveQuery = query.resolve;
    query.resolve = (value) => {
      if (!stream && value instanceof Readable) {
        stream = value;
        stream.on("data", (chunk: Uint8Array) => {
          if (thrown) return;
          try {
            onChunk(chunk);
          } catch (error) {
            thrown = { error };
          }
        });
        stream.once("end", resolve);
        stream.once("error", reject);
        stream.once("close", () => reject(new Error("COPY output closed before its end")));
      }
      resolveQuery(value);
    };
  });
  // Rejects when the statement fails before its output starts.
  await query.readable();
  try {
    await read;
  } finally {
    (stream as unknown as { _read(size: number): void } | null)?._read(0);
  }
  if (thrown) throw (thrown as { error: unknown }).error;
}

/**
 * Rows for a COPY, batched (one CopyData message per row would cost more than the parsing) and
 * written with back-pressure, to PostgreSQL or to a spool file.
 */
export class CopyWriter {
  private batch = "";
  private failure: unknown = null;
  private readonly failed: Promise<never>;
  rows = 0;

  constructor(private readonly out: Writable) {
    // PostgreSQL may refuse the COPY at any row (a unique index, say): every wait ends then.
    this.failed = new Promise<never>((_, reject) =>
      out.once("error", (e) => {
        this.failure = e;
        reject(e);
      }),
    );
    this.failed.catch(() => {});
  }

  write(row: string): Promise<void> | undefined {
    if (this.failure) throw this.failure;
    this.batch += row;
    this.rows += 1;
    if (this.batch.length >= 256 * 1024) return this.flush();
  }

  private flush(): Promise<void> | undefined {
    const ok = this.out.write(this.batch);
    this.batch = "";
    if (!ok) return Promise.race([once(this.out, "drain"), this.failed]).then(() => undefined);
  }

  /** Our side gave up (the file is being abandoned): the COPY is cancelled. */
  abort(e: Error) {
    if (!this.out.destroyed) this.out.destroy(e);
  }

  async end() {
    if (this.batch) await this.flush();
    await Promise.race([new Promise<void>((resolve) => this.out.end(() => resolve())), this.failed]);
  }
}

/** COPY rows kept on disk while another COPY has the connection: memory stays bounded. */
export class CopySpool {
  readonly file = path.join(os.tmpdir(), `gp-spool-${process.pid}-${Math.random().toString(36).slice(2)}.copy`);
  readonly writer = new CopyWriter(fs.createWriteStream(this.file));

  /** Sends the spooled rows into `into` (a COPY FROM STDIN stream) and removes the file. */
  async drainInto(into: Writable) {
    await this.writer.end();
    try {
      await pipeline(fs.createReadStream(this.file), into);
    } finally {
      await this.discard();
    }
  }

  async discard() {
    await fs.promises.rm(this.file, { force: true });
  }
}
