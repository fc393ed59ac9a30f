import { createRequestHandler, writeReadableStreamToWritable, type ServerBuild } from "@remix-run/node";
import type express from "express";
import { log } from "~/lib/logger.server";
import { bodyLimitFor, cappedBody } from "./body-limit.server";
import { isApiPath, refuse } from "./respond.server";

export type LoadContext = { cspNonce: string };

function tooLarge(req: express.Request, res: express.Response) {
  const upload = req.path === "/api/v1/uploads" || req.path === "/caricamenti/invia";
  // The client may still be sending: say so and close, rather than read on.
  refuse(req, res, 413, upload ? "FILE_TOO_LARGE" : "PAYLOAD_TOO_LARGE", upload ? "File troppo grande: al massimo 200 MB" : "Richiesta troppo grande.", {
    Connection: "close",
  });
}

/** As Remix's adapter does: the hostname respects `trust proxy`, the port comes from the forwarded or own Host. */
function hostWithPort(req: express.Request) {
  const port = [req.get("x-forwarded-host"), req.get("host")]
    .map((h) => Number.parseInt(h?.split(":")[1] ?? "", 10))
    .find((p) => Number.isSafeInteger(p));
  return `${req.hostname}${port ? `:${port}` : ""}`;
}

/**
 * Remix's Express adapter, with the body cap in front (docs/decisions/0041): a declared
 * Content-Length over the route's limit is answered 413 without reading; a chunked body is cut
 * off at the limit, and whatever the route made of the cut (an error) becomes the same 413.
 * Remix always runs in production mode: errors reach pages without stack or SQL text.
 */
export function remixHandler(build: ServerBuild): express.RequestHandler {
  const handle = createRequestHandler(build, "production");
  return async (req, res, next) => {
    try {
      const controller = new AbortController();
      res.on("close", () => {
        if (!res.writableFinished) controller.abort();
      });
      const headers = new Headers();
      for (const [key, value] of Object.entries(req.headers)) {
        if (Array.isArray(value)) for (const v of value) headers.append(key, v);
        else if (value !== undefined) headers.set(key, value);
      }
      const init: RequestInit & { duplex?: "half" } = { method: req.method, headers, signal: controller.signal };
      let tripped = () => false;
      if (req.method !== "GET" && req.method !== "HEAD") {
        const limit = bodyLimitFor(req.path, req.get("content-type") ?? "");
        if (Number(req.get("content-length") ?? 0) > limit) return tooLarge(req, res);
        const body = cappedBody(req, limit);
        init.body = body.stream;
        init.duplex = "half";
        tripped = body.tripped;
      }
      const url = new URL(req.originalUrl, `${req.protocol}://${hostWithPort(req)}`);
      const response = await handle(new Request(url.href, init), { cspNonce: res.locals.cspNonce as string } satisfies LoadContext);
      if (tripped()) {
        await response.body?.cancel().catch(() => {});
        return tooLarge(req, res);
      }
      res.statusMessage = response.statusText;
      res.status(response.status);
      for (const [key, value] of response.headers.entries()) res.append(key, value);
      if (response.body) await writeReadableStreamToWritable(response.body, res);
      else res.end();
    } catch (error) {
      log.error("request failed", { path: isApiPath(req.path) ? req.path : undefined, error: (error as Error).message });
      next(error);
    }
  };
}
