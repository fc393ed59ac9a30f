import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { getConfig } from "~/config.server";
import { log } from "~/lib/logger.server";
import { createWebApp } from "~/web/app.server";
import { closeDb } from "~db/client";

const config = getConfig();
const build = (await import(pathToFileURL(path.resolve("build/index.js")).href)) as ServerBuild;

const server = createWebApp(build, config).listen(config.port, () => {
  log.info("web server listening", { port: config.port });
});

function shutdown() {
  server.close(() => {
    closeDb().finally(() => process.exit(0));
  });
  server.closeAllConnections();
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
