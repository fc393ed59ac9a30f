import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn, spawnSync } from "node:child_process";
import type { Sql } from "postgres";
import { getDb } from "~db/client";
import { freePort } from "../support/free-port";
import { childPids } from "../support/processes";

/** The session secret both the benchmark (which opens sessions) and its web server use. */
export const BENCH_SECRET = "bench-session-secret-0123456789";
process.env.SESSION_SECRET = BENCH_SECRET;

function newest(d: string): number {
  let m = 0;
  for (const e of fs.readdirSync(d, { withFileTypes: true })) m = Math.max(m, e.isDirectory() ? newest(path.join(d, e.name)) : fs.statSync(path.join(d, e.name)).mtimeMs);
  return m;
}

/** The web server needs the built app: build it when the sources are newer (as npm start does). */
export function buildIfStale() {
  const builtAt = fs.existsSync("build/index.js") ? fs.statSync("build/index.js").mtimeMs : 0;
  if (builtAt >= Math.max(...["app", "db", "workflows"].filter((d) => fs.existsSync(d)).map(newest))) return;
  console.log("Building the app…");
  const r = spawnSync(process.execPath, ["node_modules/@remix-run/dev/dist/cli.js", "build"], { stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
  if (r.status !== 0) throw new Error("build failed");
}

/**
 * A session of the person's first active access, as the test IdP would have opened it: the cookie
 * as the benchmark's web server (production mode, see startBenchWeb) names it.
 */
export async function benchSessionCookie(sql: Sql, fiscalCode: string) {
  const { createSession, commitSessionCookie } = await import("~/auth/session.server");
  const { activeAccessesOf } = await import("~db/queries/users");
  const [user] = await sql<{ id: string }[]>`select id from users where fiscal_code = ${fiscalCode}`;
  if (!user) throw new Error(`no user ${fiscalCode}`);
  const [access] = await activeAccessesOf(getDb(), user.id);
  const cookie = (await commitSessionCookie(await createSession(getDb(), { userId: user.id, accessId: access!.access.id }))).split(";")[0]!;
  // The signature covers the value only: the production name carries the same signed value.
  return cookie.replace(/^gp_session=/, "__Host-gp_session=");
}

/**
 * The settings production requires (an external IdP, our own SAML keys, no demo data): a
 * throw-away key pair in a temporary folder, and an IdP that is never contacted.
 */
async function productionSettings() {
  const { generateKeyPair } = await import("~/auth/keys.server");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gp-bench-keys-"));
  const pair = await generateKeyPair("bench");
  fs.writeFileSync(path.join(dir, "sp.key"), pair.privateKeyPem, { mode: 0o600 });
  fs.writeFileSync(path.join(dir, "sp.crt"), pair.certPem);
  return {
    NODE_ENV: "production" as const,
    DEMO_DATA: "false",
    SAML_IDP: "external",
    SAML_IDP_ENTITY_ID: "https://idp.bench.invalid",
    SAML_IDP_SSO_URL: "https://idp.bench.invalid/sso",
    SAML_IDP_CERT_FILE: path.join(dir, "sp.crt"),
    SAML_SP_KEY_FILE: path.join(dir, "sp.key"),
    SAML_SP_CERT_FILE: path.join(dir, "sp.crt"),
  };
}

/**
 * The web server as it runs in production (app/bin/web.ts with NODE_ENV=production: React's
 * production build), on BENCH_PORT or a free port of 127.0.0.1; resolves when it answers.
 */
export async function startBenchWeb(databaseUrl: string) {
  const port = Number(process.env.BENCH_PORT ?? 0) || (await freePort());
  const web = spawn(process.execPath, [...(process.env.BENCH_WEB_FLAGS?.split(" ").filter(Boolean) ?? []), "--import", "tsx", "app/bin/web.ts"], {
    env: { ...process.env, ...(await productionSettings()), DATABASE_URL: databaseUrl, PORT: String(port), BASE_URL: `http://127.0.0.1:${port}`, SESSION_SECRET: BENCH_SECRET, LOG_LEVEL: "warn" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  process.on("exit", () => web.kill("SIGTERM"));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/accedi`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (i > 300) throw new Error("web server did not start");
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base,
    pid: web.pid!,
    async stop() {
      web.kill("SIGTERM");
      await new Promise((r) => web.once("exit", r));
    },
  };
}

/** The job worker as `npm start` runs it (app/bin/worker.ts, production settings), with `env` added. */
export async function startBenchWorker(databaseUrl: string, env: Record<string, string> = {}) {
  const { WORKER_NODE_FLAGS } = await import("~/bin/worker-flags");
  const worker = spawn(process.execPath, [...WORKER_NODE_FLAGS, "--import", "tsx", "app/bin/worker.ts"], {
    env: { ...process.env, ...(await productionSettings()), DATABASE_URL: databaseUrl, BASE_URL: "http://127.0.0.1", SESSION_SECRET: BENCH_SECRET, LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  process.on("exit", () => worker.kill("SIGTERM"));
  return {
    pid: worker.pid!,
    async stop() {
      worker.kill("SIGTERM");
      await new Promise((r) => worker.once("exit", r));
    },
  };
}

/** The p-th percentile (nearest rank) of a list of times. */
export function percentile(xs: number[], p: number) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1))]!;
}

/** CPU time (user + system, ms) a process has used so far, from /proc (Linux): robust to other load on the machine. */
function ownCpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

/** CPU time (ms) used so far by a process and the processes it started (web processes, a PostgreSQL server's backends). */
export function processCpuMs(pid: number): number {
  let total = ownCpuMs(pid);
  for (const child of childPids(pid)) {
    try {
      total += ownCpuMs(child);
    } catch {
      /* ended meanwhile */
    }
  }
  return total;
}

/** CPU time (ms) used so far by the PostgreSQL server `sql` talks to: its postmaster and every process it started. */
export async function postgresCpuMs(sql: Sql): Promise<number | null> {
  try {
    const [{ dir }] = await sql<{ dir: string }[]>`select current_setting('data_directory') as dir`;
    return processCpuMs(Number(fs.readFileSync(path.join(dir, "postmaster.pid"), "utf8").split("\n")[0]));
  } catch {
    return null; // not a superuser, or the server runs elsewhere
  }
}
