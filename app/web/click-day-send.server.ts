import type http from "node:http";
import type { ActionFunction, ServerBuild } from "@remix-run/node";
import type express from "express";
import { log } from "~/lib/logger.server";
import { withParsedForm } from "~/lib/request.server";
import { isUuid } from "~db/uuid";
import type { LoadContext } from "./remix-handler.server";

/** The route whose action the page's send posts to (`?_data=routes/click-day.$id`). */
const ROUTE_ID = "routes/click-day.$id";
const PREFIX = "/click-day/";
/** A send carries a CSRF token, the intent and at most 50 keys: a few KB at most. */
const MAX_BODY = 16 * 1024;
const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(;|$)/i;

/**
 * Whether a request is a click-day page's action posted as a data request (what the page's form
 * sends with JavaScript): url-encoded, at most MAX_BODY declared. Anything else, a document post
 * included, goes the ordinary way through Remix.
 */
export function isClickDaySend(req: http.IncomingMessage): boolean {
  const url = req.url ?? "";
  if (req.method !== "POST" || !url.startsWith(PREFIX)) return false;
  const q = url.indexOf("?");
  if (q < 0 || !isUuid(url.slice(PREFIX.length, q))) return false;
  const query = new URLSearchParams(url.slice(q + 1));
  if (query.size !== 1 || query.get("_data") !== ROUTE_ID) return false;
  return FORM_TYPE.test(req.headers["content-type"] ?? "") && Number(req.headers["content-length"] ?? 0) <= MAX_BODY;
}

/** The body as text, or null past MAX_BODY (a chunked body is cut off there). */
function readBody(req: http.IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let seen = 0;
    req.on("data", (chunk: Buffer) => {
      seen += chunk.length;
      if (seen <= MAX_BODY) chunks.push(chunk);
    });
    req.on("end", () => resolve(seen <= MAX_BODY ? (chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks).toString("utf8")) : null));
    req.on("error", reject);
  });
}

/** A returned Response as Remix's data request answers it; `thrown` as a caught one. */
function remixShaped(result: Response, thrown: boolean): Response {
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

async function answer(res: express.Response, result: unknown, thrown: boolean) {
  if (!(result instanceof Response)) {
    // The value a data request's action returned, as Remix sends it: JSON marked as the route's response.
    const body = Buffer.from(JSON.stringify(result) ?? "null", "utf8");
    res.writeHead(200, { "Content-Type": "application/json; charset=utf-8", "Content-Length": body.length, "X-Remix-Response": "yes" });
    res.end(body);
    return;
  }
  const response = remixShaped(result, thrown);
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  res.end(Buffer.from(await response.arrayBuffer()));
}

/** The request as the action sees it: the same URL and headers; its body already read and parsed. */
function actionRequest(req: express.Request, body: string): Request {
  // req.headers, not the raw ones: the checks overwrote the client address and access point there.
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(key, v);
    else if (value !== undefined) headers.set(key, value);
  }
  const form = new FormData();
  for (const [key, value] of new URLSearchParams(body)) form.append(key, value);
  const request = new Request(`${req.protocol}://${req.get("host") ?? "localhost"}${req.originalUrl}`, { method: "POST", headers });
  return withParsedForm(request, form);
}

/**
 * The click day's page actions as data requests, ahead of Remix (docs/decisions/0124, 0068): at
 * the peak every applicant posts `intent=invia` to the click day's page at once, and Remix's route
 * matching and request plumbing cost more CPU than the send. Run last in the chain of the checks
 * every request passes (security headers, request checks, access point, rate limits; see
 * createWebApp), this reads the small url-encoded body itself, hands it to the route's own action
 * from the same build (so the same session and permission guards, CSRF, zod, limits per person
 * and address, and the one group commit of the process) and answers as Remix's data request
 * would: a value as JSON, a returned Response as is, a thrown redirect as 204 with
 * X-Remix-Redirect, a thrown Response with X-Remix-Catch, an error as 500 with X-Remix-Error.
 */
export function clickDaySend(build: ServerBuild): express.RequestHandler {
  const action = build.routes[ROUTE_ID]?.module.action as ActionFunction | undefined;
  if (!action) throw new Error(`${ROUTE_ID} has no action`);
  return async (req, res) => {
    const url = req.originalUrl;
    const id = url.slice(PREFIX.length, url.indexOf("?"));
    try {
      const body = await readBody(req);
      if (body === null) {
        res.status(413).set({ "Cache-Control": "no-store", Connection: "close" }).json({ message: "Richiesta troppo grande." });
        return;
      }
      const request = actionRequest(req, body);
      let result: unknown;
      let thrown = false;
      try {
        result = await action({ request, params: { id }, context: { cspNonce: res.locals.cspNonce as string } satisfies LoadContext });
      } catch (e) {
        if (!(e instanceof Response)) throw e;
        result = e;
        thrown = true;
      }
      await answer(res, result, thrown);
    } catch (error) {
      log.error("click-day send failed", { error: (error as Error).message });
      if (res.headersSent) return void res.end();
      res.status(500).set({ "X-Remix-Error": "yes", "Cache-Control": "no-store" }).json({ message: "Unexpected Server Error" });
    }
  };
}
