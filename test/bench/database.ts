import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { closeDb } from "~db/client";
import { seedDemoData } from "~/demo/seed";
import { databaseUrlFor, startEmbeddedPostgres } from "~db/embedded-postgres";
import { migrateDatabase } from "~db/migrate";
import { stopBoss } from "~/jobs/queue.server";
import { freePort } from "../support/free-port";

/**
 * A migrated database with the demo installation for a benchmark: on TEST_DATABASE_URL's server,
 * or on an embedded one of its own (on BENCH_PG_PORT, or a free port). `finish` drops it and removes the server's data folder (it
 * holds gigabytes after a run) unless BENCH_KEEP is set.
 */
export async function benchDatabase(name: string) {
  const dir = path.join(os.tmpdir(), `gp-bench-${name}-${process.pid}`);
  const server = process.env.TEST_DATABASE_URL
    ? { url: process.env.TEST_DATABASE_URL, stop: async () => {} }
    : await startEmbeddedPostgres({ dir, port: Number(process.env.BENCH_PG_PORT ?? 0) || (await freePort()) });
  const admin = postgres(server.url, { max: 1, onnotice: () => {} });
  const dbName = `gp_bench_${name}_${process.pid}`;
  await admin.unsafe(`create database "${dbName}"`);
  const url = databaseUrlFor(server.url, dbName);
  process.env.DATABASE_URL = url;
  await migrateDatabase(url);
  await seedDemoData(url);
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  return {
    url,
    sql,
    async finish() {
      await sql.end();
      await stopBoss();
      await closeDb();
      if (process.env.BENCH_KEEP) console.log(`kept database: ${url}`);
      else await admin.unsafe(`drop database "${dbName}" with (force)`);
      await admin.end();
      await server.stop();
      if (!process.env.BENCH_KEEP && !process.env.TEST_DATABASE_URL) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
