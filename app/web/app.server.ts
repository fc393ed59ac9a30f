import path from "node:path";
import { createRequire } from "node:module";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import type { Config } from "~/config.server";
import { log } from "~/lib/logger.server";
import { CLIENT_IP_HEADER } from "~/lib/request.server";
import { accessPoint } from "./access-point.server";
import { clickDaySend } from "./click-day-send.server";
import { rateLimit } from "./rate-limit.server";
import { remixHandler } from "./remix-handler.server";
import { requestChecks } from "./request-checks.server";
import { refuse } from "./respond.server";
import { securityHeaders } from "./security-headers.server";

const require = createRequire(import.meta.url);
const bootstrapItalia = path.join(path.dirname(require.resolve("bootstrap-italia/package.json")), "dist");

/**
 * The web server: headers, the checks every request passes before any route (bad input, body
 * size, rate limits, access point), static files, then Remix. Shared by `app/bin/web.ts` and
 * the tests that start it.
 */
export function createWebApp(build: ServerBuild, config: Config) {
  const app = express();
  app.disable("x-powered-by");
  if (config.trustProxy) app.set("trust proxy", config.trustProxy);

  app.use((req, _res, next) => {
    // Overwritten, never trusted from the client: the audit log records this address.
    req.headers[CLIENT_IP_HEADER] = req.ip ?? req.socket.remoteAddress ?? "";
    next();
  });
  app.use(securityHeaders({ production: config.production }));
  app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
  app.use("/bootstrap-italia", express.static(bootstrapItalia, { maxAge: "1d" }));
  app.use(express.static("public", { maxAge: "1h" }));
  app.use(requestChecks());
  app.use(accessPoint(config.intranet));
  app.use(rateLimit(config.rateLimits));
  // The click day's send at its peak, ahead of Remix's routing (docs/decisions/0124).
  app.post("/click-day/:id", clickDaySend(build));
  app.all("*", remixHandler(build));
  // Last resort: never Express's default page, which shows the stack outside production.
  app.use((error: unknown, req: express.Request, res: express.Response, next: express.NextFunction) => {
    log.error("unhandled request error", { error: error instanceof Error ? error.message : String(error) });
    if (res.headersSent) return next(error);
    refuse(req, res, 500, "INTERNAL_ERROR", "Si è verificato un errore. Riprovare tra qualche istante.");
  });
  return app;
}
