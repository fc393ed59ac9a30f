import path from "node:path";
import { fileURLToPath } from "node:url";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { connect } from "./client";
import { loadReferenceData } from "./reference/load";

export const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");

/** Applies committed migrations and (re)loads reference data whose source version changed. */
export async function migrateDatabase(url: string) {
  const { sql, db } = connect(url, { max: 1 });
  try {
    await migrate(db, { migrationsFolder });
    await loadReferenceData(db);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
