import type { PgDialect } from "drizzle-orm/pg-core";
import { drizzle, PostgresJsDatabase, PostgresJsSession } from "drizzle-orm/postgres-js";
import postgres, { type TransactionSql } from "postgres";
import * as schema from "./schema";

export type Database = PostgresJsDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Query functions accept either, so callers can compose them inside one transaction. */
export type DbOrTx = Database | Tx;

export function connect(url: string, options: { max?: number } = {}) {
  // The pid tells an operator (and the several-processes test) which process holds a session or lock.
  const connection = { application_name: `gestpratiche/${process.pid}`, temp_buffers: "256MB" };
  const sql = postgres(url, { max: options.max ?? 10, onnotice: () => {}, connection });
  return { sql, db: drizzle(sql, { schema }) };
}

let current: ReturnType<typeof connect> | undefined;

/** The process-wide pool; DATABASE_URL is set by the start script (embedded server) or by the operator. */
export function getDb(): Database {
  if (!current) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL non impostata");
    current = connect(url);
  }
  return current.db;
}

export function getSql() {
  getDb();
  return current!.sql;
}

export async function closeDb() {
  const c = current;
  current = undefined;
  await c?.sql.end({ timeout: 5 });
}

/**
 * Drizzle over a raw postgres.js transaction (used where COPY or streaming needs the driver
 * directly), so shared helpers such as audit() join that same transaction. It shares the pool's
 * dialect and schema metadata: `drizzle(client, { schema })` walks every table again (~5 ms of CPU),
 * which a click day's group commit paid twice a batch (docs/decisions/0124).
 */
export function drizzleOver(tx: TransactionSql): Database {
  const pool = getDb() as unknown as { dialect: PgDialect; _: { schema: unknown; fullSchema: unknown; tableNamesMap: unknown } };
  // drizzle reads the driver's type options off the client; a transaction handle lacks them.
  const client = Object.assign(Object.create(tx) as object, { options: getSql().options }) as postgres.Sql;
  const metadata = { schema: pool._.schema, fullSchema: pool._.fullSchema, tableNamesMap: pool._.tableNamesMap } as never;
  const db = new PostgresJsDatabase(pool.dialect, new PostgresJsSession(client, pool.dialect, metadata), metadata) as Database;
  return Object.assign(db, { $client: client });
}
