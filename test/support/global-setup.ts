import crypto from "node:crypto";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { databaseUrlFor, startEmbeddedPostgres } from "../../db/embedded-postgres";
import { migrateDatabase } from "../../db/migrate";
import { buildIfNeeded } from "../../app/bin/build-if-needed";
import { freePort } from "./free-port";

declare module "vitest" {
  export interface ProvidedContext {
    pgServerUrl: string;
    pgTemplate: string;
    pgAppRole: { name: string; password: string };
  }
}

/**
 * One PostgreSQL for the run (TEST_DATABASE_URL's server, or an embedded one), and one migrated
 * template database that every test file clones into a database of its own. TEST_DATABASE_URL's
 * role must be able to create databases and roles.
 */
export default async function setup(project: TestProject) {
  // Tests that start the real web server (test/support/web-server.ts) need the built app.
  if (!buildIfNeeded()) throw new Error("remix build failed");
  let serverUrl = process.env.TEST_DATABASE_URL;
  let stopServer = async () => {};
  if (!serverUrl) {
    const dir = path.join(os.tmpdir(), `gp-test-pg-${process.pid}-${crypto.randomBytes(3).toString("hex")}`);
    const server = await startEmbeddedPostgres({ dir, port: await freePort(), ephemeral: true });
    serverUrl = server.url;
    stopServer = server.stop;
  }
  const template = `gp_template_${process.pid}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${template}"`);
  await admin.unsafe(`create database "${template}"`);
  // The tests connect as the application does: with a role that owns none of the tables.
  const appRole = { name: "gp_app", password: "gp_app" };
  await admin.unsafe(`do $$ begin create role ${appRole.name} login password '${appRole.password}'; exception when duplicate_object then null; end $$`);
  await migrateDatabase(databaseUrlFor(serverUrl, template), { appRole: appRole.name });
  project.provide("pgServerUrl", serverUrl);
  project.provide("pgAppRole", appRole);
  project.provide("pgTemplate", template);
  return async () => {
    await admin.unsafe(`drop database if exists "${template}" with (force)`).catch(() => {});
    await admin.end();
    await stopServer();
  };
}
