import type express from "express";
import { isApiPath, refuse } from "./respond.server";

/** Paths another site legitimately posts to: the IdP's SAML bindings. */
const CROSS_SITE_POSTS = new Set(["/auth/saml/acs", "/auth/logout/saml"]);
/** Form routes that take a raw body instead of a form: the web upload (text/plain, docs/decisions/0010). */
const RAW_BODY_ROUTES = new Set(["/caricamenti/invia"]);
const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i;

/** Decodes a URL part as a form would; null when its percent-encoding is broken. */
function decodePart(part: string): string | null {
  try {
    return decodeURIComponent(part.replace(/\+/g, " "));
  } catch {
    return null;
  }
}

/** Broken percent-encoding or a NUL byte anywhere in the path or query (PostgreSQL refuses NULs in text). */
export function badUrl(originalUrl: string): boolean {
  const [path = "", query = ""] = originalUrl.split("?", 2);
  const parts = [path, ...query.split("&").flatMap((kv) => kv.split("="))];
  return parts.some((p) => {
    const decoded = decodePart(p);
    return decoded === null || decoded.includes("\u0000");
  });
}

/**
 * Whether a post comes from a page of the host it was sent to, compared as Remix compares them
 * before running an action (Origin's host against X-Forwarded-Host, else Host), so whatever
 * passes here Remix accepts too, on either access point.
 */
function sameOrigin(req: express.Request) {
  const origin = req.get("origin");
  if (origin === undefined) return true; // no browser omits it on a cross-origin post; forms carry the CSRF token anyway
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return false; // "null" (sandboxed or privacy-redirected) or garbage
  }
  const host = req.get("x-forwarded-host")?.split(",")[0]?.trim() || req.get("host");
  return originHost !== "" && originHost === host;
}

/**
 * Refuses with 400, before any route runs, input that would otherwise reach the database or the
 * form parser and fail there as a 500: NULs or broken encoding in the URL, a cross-origin post to
 * a page, a form route posted anything but a form.
 */
export function requestChecks(): express.RequestHandler {
  return (req, res, next) => {
    if (badUrl(req.originalUrl)) return refuse(req, res, 400, "BAD_REQUEST", "Indirizzo non valido: contiene caratteri non ammessi.");
    if (req.method === "GET" || req.method === "HEAD" || isApiPath(req.path)) return next();
    if (!CROSS_SITE_POSTS.has(req.path) && !sameOrigin(req))
      return refuse(req, res, 400, "CROSS_ORIGIN", "Richiesta non valida: i moduli di questo sito si inviano solo dalle sue pagine.");
    if (!RAW_BODY_ROUTES.has(req.path) && !FORM_TYPES.test(req.get("content-type") ?? ""))
      return refuse(req, res, 400, "NOT_A_FORM", "Richiesta non valida: questa pagina accetta solo l'invio di un modulo.");
    next();
  };
}
