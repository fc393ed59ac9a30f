// A throwaway cluster of Debian's own PostgreSQL (the version Debian 12 ships and many managed
// services still run), for `npm test` to run the migrations and the integration suite on it too.
// Plain JavaScript: test/run-all.mjs imports it before anything is compiled.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const PASSWORD = "postgres";

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Installs postgresql-<version> with apt when we are root; otherwise says how. */
function ensureInstalled(version) {
  const bin = `/usr/lib/postgresql/${version}/bin`;
  if (fs.existsSync(path.join(bin, "initdb"))) return { bin };
  const how = `sudo apt-get update && sudo apt-get install -y postgresql-${version}`;
  if (process.getuid?.() !== 0 || !fs.existsSync("/usr/bin/apt-get"))
    return { error: `PostgreSQL ${version} di Debian non è installato (${bin}). Installarlo con: ${how}` };
  console.log(`PostgreSQL ${version} non trovato: installazione del pacchetto Debian postgresql-${version} con apt-get…`);
  // No "main" cluster listening on 5432 as a side effect of the install.
  const conf = "/etc/postgresql-common/createcluster.conf";
  if (!fs.existsSync(conf)) {
    fs.mkdirSync(path.dirname(conf), { recursive: true });
    fs.writeFileSync(conf, "create_main_cluster = false\n");
  }
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [["update", "-qq"], ["install", "-y", "-qq", `postgresql-${version}`]])
    if (spawnSync("apt-get", args, { stdio: "inherit", env }).status !== 0) return { error: `Installazione non riuscita. Installarlo con: ${how}` };
  return fs.existsSync(path.join(bin, "initdb")) ? { bin } : { error: `Installazione non riuscita. Installarlo con: ${how}` };
}

/**
 * Starts a cluster in a temporary directory on a free port. PostgreSQL refuses to run as root:
 * as root the cluster runs as the `postgres` system user. Resolves to { url, stop } or { error }.
 */
export async function startDebianPostgres(version = 15) {
  const found = ensureInstalled(version);
  if (found.error) return found;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `gp-pg${version}-`));
  const data = path.join(dir, "data");
  const asRoot = process.getuid?.() === 0;
  const run = (cmd, args) => {
    const r = asRoot
      ? spawnSync("runuser", ["-u", "postgres", "--", path.join(found.bin, cmd), ...args], { encoding: "utf8" })
      : spawnSync(path.join(found.bin, cmd), args, { encoding: "utf8" });
    return r.status === 0 ? null : `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ?? ""}`;
  };
  fs.writeFileSync(path.join(dir, "pw"), PASSWORD);
  if (asRoot) spawnSync("chown", ["-R", "postgres", dir]);
  const port = await freePort();
  const failed =
    run("initdb", ["-D", data, "-U", "postgres", "--pwfile", path.join(dir, "pw"), "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8"]) ??
    run("pg_ctl", [
      "-D", data, "-l", path.join(dir, "log"), "-w", "start",
      "-o", `-c port=${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`,
    ]);
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  if (failed) {
    const log = fs.existsSync(path.join(dir, "log")) ? fs.readFileSync(path.join(dir, "log"), "utf8") : "";
    remove();
    return { error: `Avvio di PostgreSQL ${version} non riuscito:\n${failed}\n${log}` };
  }
  return {
    url: `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`,
    stop: () => {
      run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      remove();
    },
  };
}
