import os from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";
import { isPostgresLateWrite } from "./db/postgres-late-write";

const here = (p: string) => path.resolve(import.meta.dirname, p);

export default defineConfig({
  resolve: {
    alias: [
      { find: /^~db\//, replacement: here("db") + "/" },
      { find: /^~workflows\//, replacement: here("workflows") + "/" },
      { find: /^~\//, replacement: here("app") + "/" },
    ],
  },
  test: {
    include: ["app/**/*.test.ts", "db/**/*.test.ts", "workflows/**/*.test.ts", "test/integration/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    setupFiles: ["test/support/per-file-database.ts"],
    env: {
      NODE_ENV: "test",
      SESSION_SECRET: "test-session-secret-0123456789",
      BASE_URL: "http://localhost:3999",
      LOG_LEVEL: "warn",
      DATA_DIR: ".cache/test-data",
    },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Vitest's default on 2 cores is one file at a time; many files mostly wait on child
    // processes, HTTP and PostgreSQL, and each has its own database (docs/decisions/0063).
    maxWorkers: os.availableParallelism() + 1,
    // A killed connection's late write in postgres.js, as the worker ignores it (issue 20).
    onUnhandledError: (e) => !isPostgresLateWrite(e),
  },
});
