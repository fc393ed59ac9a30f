/**
 * Group commit (docs/decisions/0096): callers join a queue per key; one batch per key runs at a
 * time and takes every caller waiting when it starts (up to `max`), so while a transaction commits
 * the next batch gathers. The batch returns one outcome per caller, in the callers' order, and each
 * caller's promise settles only after the batch resolved (i.e. after its commit). A batch smaller
 * than a quarter of `max` waits `gatherMs` first: one short wait buys a much larger batch at the peak. A failed batch
 * fails all its callers; nothing is retried here (a caller retries with its own idempotency key).
 */
export type BatchOutcome<O> = { ok: true; value: O } | { ok: false; error: unknown };

export function groupCommit<I, O>(run: (key: string, items: I[]) => Promise<BatchOutcome<O>[]>, options: { max?: number; gatherMs?: number } = {}) {
  const { max = 500, gatherMs = 3 } = options;
  type Waiting = { item: I; resolve: (o: O) => void; reject: (e: unknown) => void };
  const queues = new Map<string, Waiting[]>();
  const running = new Set<string>();

  async function drain(key: string) {
    running.add(key);
    try {
      for (let queue = queues.get(key); queue?.length; queue = queues.get(key)) {
        // A few milliseconds more gather the callers answered by the last batch who are already asking again.
        if (queue.length < max / 4) await new Promise((r) => setTimeout(r, gatherMs));
        const batch = queue.splice(0, max);
        try {
          const outcomes = await run(key, batch.map((w) => w.item));
          batch.forEach((w, i) => {
            const o = outcomes[i]!;
            if (o.ok) w.resolve(o.value);
            else w.reject(o.error);
          });
        } catch (e) {
          for (const w of batch) w.reject(e);
        }
      }
    } finally {
      running.delete(key);
      queues.delete(key);
    }
  }

  return function join(key: string, item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      const queue = queues.get(key) ?? [];
      queues.set(key, queue);
      queue.push({ item, resolve, reject });
      // The first caller starts the batch on the next turn, so callers arriving in the same turn join it.
      if (!running.has(key)) {
        running.add(key);
        setImmediate(() => void drain(key));
      }
    });
  };
}
