import path from "node:path";
import postgres from "postgres";
import type { Config } from "~/config.server";
import { databaseUrlFor, startEmbeddedPostgres } from "~db/embedded-postgres";
import { migrateDatabase } from "~db/migrate";

const EMBEDDED_DATABASE = "gestpratiche";

/**
 * The database the platform runs on: DATABASE_URL when set (never touching an embedded server),
 * otherwise an embedded PostgreSQL whose data lives under DATA_DIR. Migrations are applied.
 */
export async function prepareDatabase(config: Config) {
  if (config.databaseUrl) {
    await migrateDatabase(config.databaseUrl);
    return { url: config.databaseUrl, embedded: false, stop: async () => {} };
  }
  const server = await startEmbeddedPostgres({ dir: path.join(config.dataDir, "postgres"), port: config.embeddedPgPort });
  const admin = postgres(server.url, { max: 1, onnotice: () => {} });
  try {
    const [exists] = await admin`select 1 from pg_database where datname = ${EMBEDDED_DATABASE}`;
    if (!exists) await admin.unsafe(`create database "${EMBEDDED_DATABASE}"`);
  } finally {
    await admin.end();
  }
  const url = databaseUrlFor(server.url, EMBEDDED_DATABASE);
  await migrateDatabase(url);
  return { url, embedded: true, stop: server.stop };
}
