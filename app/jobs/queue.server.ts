import PgBoss from "pg-boss";

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

export async function ensureQueue(name: string) {
  const b = await startBoss();
  if (!(await b.getQueue(name))) await b.createQueue(name);
}

export async function enqueue<T extends object>(name: string, data: T, options: PgBoss.SendOptions = {}) {
  const b = await startBoss();
  return b.send(name, data, options);
}

export async function stopBoss() {
  const b = boss;
  boss = undefined;
  starting = undefined;
  await b?.stop({ graceful: true, timeout: 10_000 });
}
