import path from "node:path";
import { fileURLToPath } from "node:url";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { connect } from "./client";
import { loadReferenceData } from "./reference/load";
import { grantApplicationRole } from "./roles";

export const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");

/** Any fixed number: only our migrators take this advisory lock. */
const MIGRATION_LOCK = 7_263_001;

/**
 * Applies pending migrations, each in a transaction of its own, with drizzle's bookkeeping table
 * (so databases migrated by drizzle's own migrator carry on). drizzle's migrator runs every
 * pending migration in one transaction: on PostgreSQL 15 an enum value added by one migration
 * could not then be used by a later one (docs/decisions/0037). `upTo` stops after that many
 * migrations (the upgrade tests).
 */
export async function applyMigrations(url: string, opts: { upTo?: number } = {}) {
  const { sql } = connect(url, { max: 1 });
  const all = readMigrationFiles({ migrationsFolder }).slice(0, opts.upTo);
  const lastApplied = async () => {
    const [t] = await sql<{ t: string | null }[]>`select to_regclass('drizzle.__drizzle_migrations')::text as t`;
    if (!t!.t) return -1;
    const [last] = await sql<{ created_at: string }[]>`select created_at from drizzle.__drizzle_migrations order by created_at desc limit 1`;
    return last ? Number(last.created_at) : -1;
  };
  try {
    // Up to date: nothing to create, so the application role (which may not create) gets here too.
    if (!all.length || (await lastApplied()) >= all.at(-1)!.folderMillis) return;
    // A session lock on the one connection: two deploys migrating at once take turns.
    await sql`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await sql`create schema if not exists drizzle`;
    await sql`create table if not exists drizzle.__drizzle_migrations (id serial primary key, hash text not null, created_at bigint)`;
    const applied = await lastApplied();
    for (const m of all) {
      if (m.folderMillis <= applied) continue;
      await sql.begin(async (tx) => {
        for (const statement of m.sql) if (statement.trim()) await tx.unsafe(statement);
        await tx`insert into drizzle.__drizzle_migrations (hash, created_at) values (${m.hash}, ${m.folderMillis})`;
      });
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * Applies committed migrations and (re)loads reference data whose source version changed, as
 * the owner role (`url`). When the application connects with another role, that role is granted
 * what it needs and nothing more (docs/decisions/0038).
 */
export async function migrateDatabase(url: string, opts: { appRole?: string } = {}) {
  await applyMigrations(url);
  const { sql, db } = connect(url, { max: 1 });
  try {
    await loadReferenceData(db);
    if (opts.appRole) await grantApplicationRole(sql, opts.appRole);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
