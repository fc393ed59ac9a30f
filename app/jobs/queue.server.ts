import PgBoss from "pg-boss";
import type { TransactionSql } from "postgres";
import { ensureQueue } from "./queues";

/**
 * The one way to enqueue background work. Web processes only send; the worker process also
 * works the queues (see app/bin/worker.ts).
 */
let boss: PgBoss | undefined;
let starting: Promise<PgBoss> | undefined;

export function startBoss(connectionString = process.env.DATABASE_URL): Promise<PgBoss> {
  if (boss) return Promise.resolve(boss);
  starting ??= (async () => {
    if (!connectionString) throw new Error("DATABASE_URL non impostata");
    const b = new PgBoss({ connectionString, schema: "pgboss", max: 5 });
    b.on("error", (e) => console.error(`pg-boss: ${e instanceof Error ? e.message : String(e)}`));
    await b.start();
    boss = b;
    return b;
  })();
  return starting;
}

/** pg-boss is written for node-postgres: undefined means NULL and objects travel as JSON. */
function asNodePostgresWould(v: unknown) {
  if (v === undefined) return null;
  if (v !== null && typeof v === "object" && !(v instanceof Date) && !Buffer.isBuffer(v)) return JSON.stringify(v);
  return v;
}

function executorOver(within: TransactionSql) {
  return { executeSql: async (text: string, values?: unknown[]) => ({ rows: await within.unsafe(text, (values ?? []).map(asNodePostgresWould) as never[]) }) };
}

/**
 * Pass `within` (a postgres.js transaction) so the job exists exactly when the change that
 * caused it commits.
 */
export async function enqueue<T extends object>(
  name: string,
  data: T,
  options: PgBoss.SendOptions & { within?: TransactionSql } = {},
) {
  const b = await startBoss();
  // pg-boss 10 drops, without a word, a job sent to a queue that does not exist yet: a fresh
  // installation's first upload, sent before any worker started, would be lost.
  await ensureQueue(b, name);
  const { within, ...rest } = options;
  return b.send(name, data, within ? { ...rest, db: executorOver(within) } : rest);
}

/** Many jobs of one queue in one statement (the queue's retry policy applies), within `tx`. */
export async function enqueueMany<T extends object>(name: string, data: T[], options: { within: TransactionSql }) {
  if (!data.length) return;
  const b = await startBoss();
  await ensureQueue(b, name);
  await b.insert(data.map((d) => ({ name, data: d })), { db: executorOver(options.within) });
}

export async function stopBoss() {
  const b = boss;
  boss = undefined;
  starting = undefined;
  await b?.stop({ graceful: true, timeout: 10_000 });
}
