import crypto from "node:crypto";
import postgres from "postgres";
import { afterAll, inject } from "vitest";
import { databaseUrlFor } from "../../db/embedded-postgres";
import { closeDb } from "../../db/client";

// Each test file runs against its own clone of the migrated template, so files never share rows.
const serverUrl = inject("pgServerUrl");
const name = `gp_t_${process.env.VITEST_POOL_ID ?? "0"}_${crypto.randomBytes(4).toString("hex")}`;
const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database "${name}" template "${inject("pgTemplate")}"`);
// The owner (the role that ran the migrations) for tests that play the operator or an intruder.
process.env.TEST_OWNER_DATABASE_URL = databaseUrlFor(serverUrl, name);
const app = new URL(process.env.TEST_OWNER_DATABASE_URL);
app.username = inject("pgAppRole").name;
app.password = inject("pgAppRole").password;
process.env.DATABASE_URL = app.toString();

afterAll(async () => {
  const { stopBoss } = await import("../../app/jobs/queue.server");
  await stopBoss();
  await closeDb();
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.end();
});
