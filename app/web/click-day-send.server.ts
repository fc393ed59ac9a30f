import type { ActionFunction, ServerBuild } from "@remix-run/node";
import type express from "express";
import { log } from "~/lib/logger.server";
import { isUuid } from "~db/uuid";
import type { LoadContext } from "./remix-handler.server";

/** The route whose action the page's send posts to (`?_data=routes/click-day.$id`). */
const ROUTE_ID = "routes/click-day.$id";
/** A send carries a CSRF token, the intent and at most 50 keys: a few KB at most. */
const MAX_BODY = 16 * 1024;

function readBody(req: express.Request): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let seen = 0;
    req.on("data", (chunk: Buffer) => {
      seen += chunk.length;
      if (seen <= MAX_BODY) chunks.push(chunk);
    });
    req.on("end", () => resolve(seen <= MAX_BODY ? Buffer.concat(chunks).toString("utf8") : null));
    req.on("error", reject);
  });
}

/** A returned value or Response as Remix's data request answers it; `thrown` as a caught Response. */
function remixShaped(result: unknown, thrown = false): Response {
  if (!(result instanceof Response)) return Response.json(result, { headers: { "Content-Type": "application/json; charset=utf-8", "X-Remix-Response": "yes" } });
  const headers = new Headers(result.headers);
  if (result.status >= 300 && result.status < 400 && headers.has("Location")) {
    headers.set("X-Remix-Redirect", headers.get("Location")!);
    headers.set("X-Remix-Status", String(result.status));
    headers.delete("Location");
    return new Response(null, { status: 204, headers });
  }
  headers.set(thrown ? "X-Remix-Catch" : "X-Remix-Response", "yes");
  return new Response(result.body, { status: result.status, statusText: result.statusText, headers });
}

async function send(res: express.Response, response: Response) {
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  res.end(Buffer.from(await response.arrayBuffer()));
}

/**
 * The click day's page actions as data requests, ahead of Remix (docs/decisions/0124): at the
 * peak every applicant posts `intent=invia` to the click day's page at once, and Remix's route
 * matching and request plumbing cost more CPU than the send. Mounted after the checks every request
 * passes (request checks, access point, rate limits), this calls the route's own action from the
 * same build (so the same session and permission guards, CSRF, zod, limits per person and address,
 * and the one group commit of the process) and answers as Remix's data request would: a value as
 * JSON, a returned Response as is, a thrown redirect as 204 with X-Remix-Redirect, a thrown
 * Response with X-Remix-Catch, an error as 500 with X-Remix-Error. A document post (no
 * JavaScript) goes on to Remix, which renders the page.
 */
export function clickDaySend(build: ServerBuild): express.RequestHandler {
  const action = build.routes[ROUTE_ID]?.module.action as ActionFunction | undefined;
  if (!action) throw new Error(`${ROUTE_ID} has no action`);
  return async (req, res, next) => {
    const id = req.params.id ?? "";
    if (req.query._data !== ROUTE_ID || !isUuid(id) || !/^application\/x-www-form-urlencoded\b/i.test(req.get("content-type") ?? "")) return next();
    if (Number(req.get("content-length") ?? 0) > MAX_BODY) return next();
    try {
      const body = await readBody(req);
      if (body === null) {
        res.status(413).set({ "Cache-Control": "no-store", Connection: "close" }).json({ message: "Richiesta troppo grande." });
        return;
      }
      const headers = new Headers();
      for (const [key, value] of Object.entries(req.headers)) {
        if (Array.isArray(value)) for (const v of value) headers.append(key, v);
        else if (value !== undefined) headers.set(key, value);
      }
      const request = new Request(`${req.protocol}://${req.get("host") ?? "localhost"}${req.originalUrl}`, { method: "POST", headers, body });
      let response: Response;
      try {
        response = remixShaped(await action({ request, params: { id }, context: { cspNonce: res.locals.cspNonce as string } satisfies LoadContext }));
      } catch (thrown) {
        if (!(thrown instanceof Response)) throw thrown;
        response = remixShaped(thrown, true);
      }
      await send(res, response);
    } catch (error) {
      log.error("click-day send failed", { error: (error as Error).message });
      if (res.headersSent) return void res.end();
      res.status(500).set({ "X-Remix-Error": "yes", "Cache-Control": "no-store" }).json({ message: "Unexpected Server Error" });
    }
  };
}
