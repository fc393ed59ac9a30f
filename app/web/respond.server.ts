import type express from "express";
import { escapeHtml, plainPageHtml } from "~/lib/plain-page.server";

/** API paths answer errors as JSON, `{"error": {"code", "message"}}`, like the API's own errors. */
export const isApiPath = (path: string) => path.startsWith("/api/");

/**
 * An answer given before Remix runs (bad input, too large, too many): JSON on the API, a small
 * Italian page elsewhere. Never a stack or an internal message.
 */
export function refuse(
  req: express.Request,
  res: express.Response,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
) {
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.setHeader("Cache-Control", "no-store");
  if (isApiPath(req.path)) {
    res.status(status).json({ error: { code, message } });
    return;
  }
  const title =
    { 403: "Accesso non consentito", 413: "Richiesta troppo grande", 429: "Troppe richieste", 500: "Si è verificato un errore" }[status] ??
    "Richiesta non valida";
  res
    .status(status)
    .type("text/html; charset=utf-8")
    .send(plainPageHtml(title, `<p>${escapeHtml(message)}</p><p><a class="btn btn-primary" href="/">Torna alla pagina iniziale</a></p>`));
}
