import path from "node:path";
import postgres from "postgres";
import type { Config } from "~/config.server";
import { databaseUrlFor, startEmbeddedPostgres } from "~db/embedded-postgres";
import { migrateDatabase } from "~db/migrate";
import { roleOf } from "~db/roles";

const EMBEDDED_DATABASE = "gestpratiche";
const EMBEDDED_APP_ROLE = "gestpratiche_app";
// Like the embedded superuser's: the server listens on 127.0.0.1 only and is for development.
const EMBEDDED_APP_PASSWORD = "gestpratiche_app";

/**
 * The database the platform runs on: DATABASE_URL when set (never touching an embedded server),
 * otherwise an embedded PostgreSQL whose data lives under DATA_DIR. Migrations are applied by the
 * owner role (MIGRATION_DATABASE_URL, or the embedded superuser); `url` is the application's role,
 * which owns none of the tables (docs/decisions/0038).
 */
export async function prepareDatabase(config: Config) {
  if (config.databaseUrl) {
    const owner = config.migrationDatabaseUrl;
    if (owner && roleOf(owner) !== roleOf(config.databaseUrl)) await migrateDatabase(owner, { appRole: roleOf(config.databaseUrl) });
    else await migrateDatabase(owner ?? config.databaseUrl);
    return { url: config.databaseUrl, embedded: false, stop: async () => {} };
  }
  const server = await startEmbeddedPostgres({ dir: path.join(config.dataDir, "postgres"), port: config.embeddedPgPort });
  const admin = postgres(server.url, { max: 1, onnotice: () => {} });
  try {
    const [exists] = await admin`select 1 from pg_database where datname = ${EMBEDDED_DATABASE}`;
    if (!exists) await admin.unsafe(`create database "${EMBEDDED_DATABASE}"`);
    const [role] = await admin`select 1 from pg_roles where rolname = ${EMBEDDED_APP_ROLE}`;
    if (!role) await admin.unsafe(`create role "${EMBEDDED_APP_ROLE}" login password '${EMBEDDED_APP_PASSWORD}'`);
  } finally {
    await admin.end();
  }
  await migrateDatabase(databaseUrlFor(server.url, EMBEDDED_DATABASE), { appRole: EMBEDDED_APP_ROLE });
  const url = new URL(databaseUrlFor(server.url, EMBEDDED_DATABASE));
  url.username = EMBEDDED_APP_ROLE;
  url.password = EMBEDDED_APP_PASSWORD;
  return { url: url.toString(), embedded: true, stop: server.stop };
}
