import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { requireCsrf, requirePermission } from "~/auth/guards.server";
import { plainPage } from "~/lib/plain-page.server";
import { receiveFromRequest, UploadRefused } from "~/uploads/uploads.server";

/**
 * Receives a file from the upload page: the raw body from the page's script (with upload
 * progress), or a plain multipart form without JavaScript. The CSRF token comes in a header or
 * the query string because the body is the file itself.
 */
export async function action({ request }: ActionFunctionArgs) {
  const signedIn = await requirePermission(request, "uploads.send");
  await requireCsrf(request, signedIn.session);
  const wantsJson = (request.headers.get("accept") ?? "").includes("application/json");
  try {
    const received = await receiveFromRequest(request, signedIn.actor, "web");
    const outcome = `/caricamenti/${received.uploadId}${received.reused ? "?identico=1" : ""}`;
    return wantsJson ? Response.json({ id: received.uploadId, reused: received.reused, url: outcome }) : redirect(outcome);
  } catch (e) {
    if (!(e instanceof UploadRefused)) throw e;
    return wantsJson ? Response.json({ error: e.message }, { status: e.status }) : plainPage(e.status, "Invio non riuscito", e.message);
  }
}
