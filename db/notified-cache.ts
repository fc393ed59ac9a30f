import { getSql, type DbOrTx } from "./client";

/**
 * A value read from the database and kept by the process until a NOTIFY on `channel` says its
 * tables changed (a statement trigger fires it; every process listens). A reconnection of the
 * listening connection forgets it too (notifications may have been missed); a read overtaken by
 * a change is not kept (generation). Without the process pool's listener (the admin CLI, a
 * benchmark's own connection) nothing is kept: every call reads. The writer may also call
 * `forget()` after its commit, so its own next request cannot see the old value.
 */
export function notifiedCache<T>(channel: string, read: (db: DbOrTx) => Promise<T>) {
  let cached: { value: T } | null = null;
  let generation = 0;
  let listening: Promise<boolean> | null = null;
  /** The pool the listener belongs to: a new pool (after closeDb) listens again. */
  let listeningOn: unknown = null;
  const forget = () => {
    cached = null;
    generation++;
  };
  return {
    forget,
    async get(db: DbOrTx): Promise<T> {
      const pool = processPool();
      if (pool !== listeningOn) {
        forget();
        listening = null;
        listeningOn = pool;
      }
      if (cached) return cached.value;
      if (pool)
        listening ??= pool.listen(channel, forget, forget).then(
          () => true,
          () => ((listening = null), false),
        );
      const canCache = pool ? await listening! : false;
      const seen = generation;
      const value = await read(db);
      if (canCache && seen === generation) cached = { value };
      return value;
    },
  };
}

/** The process's pool, or null for a program on its own connection. */
function processPool() {
  try {
    return getSql();
  } catch {
    return null;
  }
}
