import cluster from "node:cluster";
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { getConfig } from "~/config.server";
import { log } from "~/lib/logger.server";
import { createWebApp } from "~/web/app.server";
import { closeDb } from "~db/client";

const config = getConfig();

/**
 * One Node process renders pages on one core; WEB_PROCESSES processes share the port through
 * node:cluster (docs/decisions/0057). Nothing a request needs lives only in one process's memory:
 * sessions, rate limits and caches' change signals are in PostgreSQL.
 */
if (cluster.isPrimary && config.webProcesses > 1) {
  let stopping = false;
  const fork = () => cluster.fork();
  for (let i = 0; i < config.webProcesses; i++) fork();
  // A process serves only once it has loaded the app; until then the others take its share.
  cluster.on("listening", (worker) => log.info("web process listening", { pid: worker.process.pid }));
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    // A process that died is replaced; the others kept serving meanwhile.
    log.error("web process ended, starting another", { pid: worker.process.pid, code, signal });
    setTimeout(fork, 1000);
  });
  const shutdown = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
  log.info("web server starting", { port: config.port, processes: config.webProcesses });
} else {
  const build = (await import(pathToFileURL(path.resolve("build/index.js")).href)) as ServerBuild;
  const server = http.createServer(createWebApp(build, config)).listen(config.port, () => {
    if (cluster.isPrimary) log.info("web server listening", { port: config.port });
  });
  const shutdown = () => {
    server.close(() => {
      closeDb().finally(() => process.exit(0));
    });
    server.closeAllConnections();
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}
