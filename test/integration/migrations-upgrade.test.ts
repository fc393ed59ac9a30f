import { readMigrationFiles } from "drizzle-orm/migrator";
import postgres from "postgres";
import { describe, expect, inject, it } from "vitest";
import { verifyAuditChain } from "~/audit/audit-chain.server";
import { connect } from "~db/client";
import { databaseUrlFor } from "~db/embedded-postgres";
import { applyMigrations, migrateDatabase, migrationsFolder } from "~db/migrate";

// An installation upgrading from any earlier release: migrations up to each prefix, a little
// data, then the rest — on this run's server (the embedded one, or Debian's PostgreSQL 15 when
// `npm test` runs the suite again with TEST_DATABASE_URL).
const server = inject("pgServerUrl");
const appRole = inject("pgAppRole");
const total = readMigrationFiles({ migrationsFolder }).length;

async function upgradeFrom(prefix: number) {
  const name = `gp_upgrade_${process.pid}_${prefix}`;
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.unsafe(`create database "${name}"`);
  const url = databaseUrlFor(server, name);
  try {
    await applyMigrations(url, { upTo: prefix });
    const owner = postgres(url, { max: 1, onnotice: () => {} });
    try {
      const [g] = await owner`insert into gestori (fiscal_code, name) values ('01234567897', 'Ente prima') returning id`;
      const [u] = await owner`insert into users (fiscal_code, name, surname, email) values ('GLLNNA75T60H501W', 'Anna', 'Galli', 'a@example.it') returning id`;
      await owner`insert into accesses (user_id, role) values (${u!.id}, 'amministratore')`;
      await owner`insert into audit_log (action, outcome, details) values ('before.upgrade', 'success', ${owner.json({ gestore: g!.id })}), ('before.upgrade', 'denied', '{}')`;
    } finally {
      await owner.end();
    }
    await migrateDatabase(url, { appRole: appRole.name });
    // Applying again is a no-op, also for the application role (which may create nothing).
    await migrateDatabase(url);
    const asApp = new URL(url);
    asApp.username = appRole.name;
    asApp.password = appRole.password;
    await applyMigrations(asApp.toString());
    const { sql, db } = connect(asApp.toString(), { max: 1 });
    try {
      const [counts] = await sql`select (select count(*)::int from gestori) g, (select count(*)::int from users) u,
        (select count(*)::int from audit_log where action = 'before.upgrade') a,
        (select count(*)::int from drizzle.__drizzle_migrations) m`;
      expect(counts).toEqual({ g: 1, u: 1, a: 2, m: total });
      // The role added by migration 0011 is usable, and rows written before the hash chains are chained.
      const [u] = await sql`select id from users`;
      await sql`insert into accesses (user_id, role) values (${u!.id}, 'osservatore')`;
      await sql`insert into audit_log (action, outcome) values ('after.upgrade', 'success')`;
      expect((await verifyAuditChain(db)).broken).toBeNull();
    } finally {
      await sql.end();
    }
  } finally {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
}

describe("migrations", () => {
  it("apply from every earlier migration, with data in it (from empty: the template of every test run)", async () => {
    const prefixes = Array.from({ length: total - 1 }, (_, i) => i + 1);
    // Four upgrades at a time: each has a database of its own.
    for (let i = 0; i < prefixes.length; i += 4) await Promise.all(prefixes.slice(i, i + 4).map(upgradeFrom));
  }, 300_000);
});
