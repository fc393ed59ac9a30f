import PgBoss from "pg-boss";
import type postgres from "postgres";

/**
 * The role the application connects with owns none of our tables, so it cannot drop them nor
 * disable the append-only triggers (that needs ownership); it reads and writes rows only, and
 * may not even try to UPDATE or DELETE audit rows. pg-boss creates a table per queue at run time,
 * so its schema belongs to the application role. Idempotent: run after every migration, so
 * tables added later are granted too (docs/decisions/0038).
 */
export async function grantApplicationRole(sql: postgres.Sql, role: string) {
  const r = sql(role);
  const [db] = await sql<{ name: string }[]>`select current_database() as name`;
  await sql`grant connect, temporary on database ${sql(db!.name)} to ${r}`;
  await sql`grant usage on schema public to ${r}`;
  await sql`revoke create on schema public from public`;
  await sql`grant select, insert, update, delete on all tables in schema public to ${r}`;
  await sql`revoke update, delete, truncate on audit_log from ${r}`;
  // Written only by the audit trigger, which runs as the owner.
  await sql`revoke insert, update, delete, truncate on audit_chain_heads from ${r}`;
  await sql`grant usage, select, update on all sequences in schema public to ${r}`;
  // So that a start with the application role can tell the database is up to date.
  await sql`grant usage on schema drizzle to ${r}`;
  await sql`grant select on drizzle.__drizzle_migrations to ${r}`;
  // pg-boss installs itself with CREATE SCHEMA, which the application role may not run: the
  // owner installs it, then hands it over (also to an installation that ran with one role so far).
  const [boss] = await sql<{ owner: string }[]>`select nspowner::regrole::text as owner from pg_namespace where nspname = 'pgboss'`;
  if (boss?.owner === role) return;
  if (!boss) await sql.unsafe(PgBoss.getConstructionPlans("pgboss"));
  await sql`alter schema pgboss owner to ${r}`;
  const objects = await sql<{ kind: string; name: string }[]>`
    select case when c.relkind = 'S' then 'sequence' else 'table' end as kind, c.relname as name
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'pgboss' and c.relkind in ('r', 'p', 'S')
    union all
    select 'function', p.oid::regprocedure::text from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'pgboss'`;
  for (const o of objects) {
    if (o.kind === "function") await sql.unsafe(`alter function ${o.name} owner to "${role.replace(/"/g, '""')}"`);
    else await sql`alter ${sql.unsafe(o.kind)} ${sql("pgboss." + o.name)} owner to ${r}`;
  }
}

/** The user name in a postgres:// URL. */
export function roleOf(url: string) {
  return decodeURIComponent(new URL(url).username);
}
