import path from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { getConfig } from "~/config.server";
import { log } from "~/lib/logger.server";
import { CLIENT_IP_HEADER } from "~/lib/request.server";
import { closeDb } from "~db/client";

const config = getConfig();
const require = createRequire(import.meta.url);
const bootstrapItalia = path.join(path.dirname(require.resolve("bootstrap-italia/package.json")), "dist");
const build = (await import(pathToFileURL(path.resolve("build/index.js")).href)) as ServerBuild;

const app = express();
app.disable("x-powered-by");
if (process.env.TRUST_PROXY) app.set("trust proxy", process.env.TRUST_PROXY);

app.use((req, res, next) => {
  // Overwritten, never trusted from the client: the audit log records this address.
  req.headers[CLIENT_IP_HEADER] = req.ip ?? req.socket.remoteAddress ?? "";
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "same-origin");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Content-Security-Policy", "frame-ancestors 'none'; base-uri 'self'; object-src 'none'");
  if (config.production) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  next();
});
app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
app.use("/bootstrap-italia", express.static(bootstrapItalia, { maxAge: "1d" }));
app.use(express.static("public", { maxAge: "1h" }));
app.all("*", createRequestHandler({ build, mode: config.production ? "production" : "development" }));

const server = app.listen(config.port, () => {
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
