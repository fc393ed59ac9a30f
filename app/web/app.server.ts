import fs from "node:fs";
import type http from "node:http";
import path from "node:path";
import { createRequire } from "node:module";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import type { Config } from "~/config.server";
import { log } from "~/lib/logger.server";
import { CLIENT_IP_HEADER } from "~/lib/request.server";
import { accessPoint } from "./access-point.server";
import { clickDaySend, isClickDaySend } from "./click-day-send.server";
import { rateLimit } from "./rate-limit.server";
import { remixHandler } from "./remix-handler.server";
import { requestChecks } from "./request-checks.server";
import { refuse } from "./respond.server";
import { securityHeaders } from "./security-headers.server";

const require = createRequire(import.meta.url);
const bootstrapItalia = path.join(path.dirname(require.resolve("bootstrap-italia/package.json")), "dist");

/** Overwritten, never trusted from the client: the audit log records this address. */
const clientAddress: express.RequestHandler = (req, _res, next) => {
  req.headers[CLIENT_IP_HEADER] = req.ip ?? req.socket.remoteAddress ?? "";
  next();
};

/** Last resort: never Express's default page, which shows the stack outside production. */
const lastResort: express.ErrorRequestHandler = (error: unknown, req, res, next) => {
  log.error("unhandled request error", { error: error instanceof Error ? error.message : String(error) });
  if (res.headersSent) return next(error);
  refuse(req, res, 500, "INTERNAL_ERROR", "Si è verificato un errore. Riprovare tra qualche istante.");
};

/**
 * Runs `handlers` one after the other as Express would run them as middleware, on a request that
 * did not go through Express's router: each either answers or calls `next`; `next(error)` ends in
 * the last resort.
 */
function runChain(app: express.Express, handlers: express.RequestHandler[], req: http.IncomingMessage, res: http.ServerResponse) {
  // What Express's own first layer (expressInit) does: the request and response get its helpers and settings.
  const request = Object.setPrototypeOf(req, app.request) as express.Request;
  const response = Object.setPrototypeOf(res, app.response) as express.Response;
  request.res = response;
  response.req = request;
  response.locals = Object.create(null) as express.Response["locals"];
  request.originalUrl = req.url ?? "/";
  let i = 0;
  const next = (error?: unknown) => {
    if (error) return lastResort(error, request, response, () => response.end());
    const handler = handlers[i++];
    if (!handler) return;
    try {
      const pending = handler(request, response, next) as unknown;
      if (pending instanceof Promise) pending.catch(next);
    } catch (e) {
      next(e);
    }
  };
  next();
}

/**
 * The web server's request listener: headers, the checks every request passes before any route
 * (bad input, body size, rate limits, access point), static files, then Remix. The click day's
 * send at its peak takes a shorter road to the same checks (docs/decisions/0068): no router, no
 * static lookups, no query parsing, straight to the route's action. Shared by `app/bin/web.ts`
 * and the tests that start it.
 */
export function createWebApp(build: ServerBuild, config: Config): http.RequestListener {
  const app = express();
  app.disable("x-powered-by");
  if (config.trustProxy) app.set("trust proxy", config.trustProxy);

  // Every request passes these, in this order; static files are served between the headers and the checks.
  const headers = [clientAddress, securityHeaders({ production: config.production })];
  const checks = [requestChecks(), accessPoint(config.intranet), rateLimit(config.rateLimits)];
  const send = clickDaySend(build);

  app.use(headers);
  app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
  app.use("/bootstrap-italia", express.static(bootstrapItalia, { maxAge: "1d" }));
  // Looked up only for the names public/ holds: otherwise every page paid a file-system stat and a
  // failed `send` before reaching Remix (docs/decisions/0073). public/ is fixed at deployment.
  const publicNames = new Set(fs.readdirSync("public"));
  const publicFiles = express.static("public", { maxAge: "1h" });
  app.use((req, res, next) => (publicNames.has(req.path.split("/")[1] ?? "") ? publicFiles(req, res, next) : next()));
  app.use(checks);
  app.all("*", remixHandler(build));
  app.use(lastResort);

  const sendChain = [...headers, ...checks, send];
  return (req, res) => {
    if (isClickDaySend(req)) runChain(app, sendChain, req, res);
    else app(req, res);
  };
}
