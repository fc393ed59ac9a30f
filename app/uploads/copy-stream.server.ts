import { once } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { Writable } from "node:stream";

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
