import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { requireCsrf, requirePermission } from "~/auth/guards.server";
import { plainPage } from "~/lib/plain-page.server";
import { dryRunPage } from "~/uploads/dry-run-page.server";
import { dryRunFromRequest, receiveFromRequest, UploadRefused } from "~/uploads/uploads.server";

/**
 * Receives a file from the upload page: the raw body from the page's script (with upload
 * progress), or a plain multipart form without JavaScript. The CSRF token comes in a header or
 * the query string because the body is the file itself. `?verifica=1` checks the file without
 * sending it ("Verifica senza inviare", docs/decisions/0102).
 */
export async function action({ request }: ActionFunctionArgs) {
  const signedIn = await requirePermission(request, "uploads.send");
  await requireCsrf(request, signedIn.session);
  const wantsJson = (request.headers.get("accept") ?? "").includes("application/json");
  const dryRun = new URL(request.url).searchParams.get("verifica") === "1";
  try {
    if (dryRun) {
      const checked = await dryRunFromRequest(request, signedIn.actor, "web");
      return wantsJson ? Response.json({ checked }) : dryRunPage(checked);
    }
    const received = await receiveFromRequest(request, signedIn.actor, "web");
    const outcome = `/caricamenti/${received.uploadId}${received.reused ? "?identico=1" : ""}`;
    return wantsJson ? Response.json({ id: received.uploadId, reused: received.reused, url: outcome }) : redirect(outcome);
  } catch (e) {
    if (!(e instanceof UploadRefused)) throw e;
    const title = dryRun ? "Verifica non riuscita" : "Invio non riuscito";
    return wantsJson ? Response.json({ error: e.message }, { status: e.status }) : plainPage(e.status, title, e.message);
  }
}
