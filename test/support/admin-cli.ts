import { execFile } from "node:child_process";

/** Runs the real command line (`npm run admin -- …`) against this file's database. */
export function admin(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "app/bin/admin.ts", ...args],
      { env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL } },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}
