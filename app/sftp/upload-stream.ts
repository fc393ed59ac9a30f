/**
 * The bytes of one SFTP write as an async iterable, with back-pressure: a WRITE is acknowledged
 * only once the consumer (the durable store) has taken its chunk, so a client can have only its
 * own window of requests in flight and a 100 MB file never sits in memory. A dropped connection
 * fails the iterable, which rolls the upload's transaction back: a partial file is never stored.
 */
export class UploadStream implements AsyncIterable<Uint8Array> {
  private queue: { data: Uint8Array; ack: () => void; nack: () => void }[] = [];
  private waiting: (() => void) | null = null;
  private ended = false;
  private failure: Error | null = null;
  bytes = 0;

  push(data: Uint8Array, ack: () => void, nack: () => void) {
    if (this.failure) return nack();
    this.bytes += data.length;
    this.queue.push({ data, ack, nack });
    this.wake();
  }

  end() {
    this.ended = true;
    this.wake();
  }

  /** Fails the stream; the chunks not yet taken are refused to the client. */
  fail(error: Error) {
    this.failure ??= error;
    for (const pending of this.queue.splice(0)) pending.nack();
    this.wake();
  }

  private wake() {
    const w = this.waiting;
    this.waiting = null;
    w?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    for (;;) {
      if (this.failure) throw this.failure;
      const next = this.queue.shift();
      if (next) {
        next.ack();
        yield next.data;
        continue;
      }
      if (this.ended) return;
      await new Promise<void>((resolve) => (this.waiting = resolve));
    }
  }
}
