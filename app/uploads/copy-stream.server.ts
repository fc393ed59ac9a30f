import { once } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { Readable, Writable } from "node:stream";

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

/**
 * Each line of a COPY TO STDOUT stream, as its (still escaped) fields. Fields are decoded from
 * the bytes one by one so that no kept value holds on to a whole chunk of text. Consumed in
 * flowing mode with a synchronous handler: postgres.js pauses its socket when a COPY stream's
 * buffer fills, and a stream that ends while paused never resumes the connection.
 */
export async function readCopyLines(stream: Readable, onFields: (fields: string[]) => void) {
  let rest: Buffer = Buffer.alloc(0);
  const fields: string[] = [];
  const ended = once(stream, "end");
  stream.on("data", (chunk: Buffer) => {
    const buf = rest.length ? Buffer.concat([rest, chunk]) : chunk;
    let start = 0;
    for (let nl = buf.indexOf(10); nl !== -1; nl = buf.indexOf(10, start)) {
      fields.length = 0;
      let from = start;
      for (let tab = buf.indexOf(9, from); tab !== -1 && tab < nl; tab = buf.indexOf(9, from)) {
        fields.push(buf.toString("utf8", from, tab));
        from = tab + 1;
      }
      fields.push(buf.toString("utf8", from, nl));
      onFields(fields);
      start = nl + 1;
    }
    rest = Buffer.from(buf.subarray(start));
  });
  await ended;
  if (rest.length) throw new Error("COPY output ended in the middle of a line");
}
