import { z } from "zod";
import { audit } from "~/audit/audit.server";
import { requireInScope, type Actor } from "~/auth/guards.server";
import { clientIp } from "~/lib/request.server";
import { getDb } from "~db/client";
import { listGestori } from "~db/queries/gestori";
import { getUploadForViewer, listUploadsForViewer } from "~db/queries/uploads";
import { isGestoreRole } from "~db/scope";
import { gestori } from "~db/schema";
import { eq } from "drizzle-orm";

const listFilter = z.object({
  gestore: z.string().regex(/^\d{11}$/).optional().or(z.literal("").transform(() => undefined)),
  status: z.enum(["processing", "accepted", "rejected", "failed"]).optional().or(z.literal("").transform(() => undefined)),
  before: z.iso.datetime().optional(),
});

export async function uploadListPage(url: URL, actor: Actor) {
  const parsed = listFilter.safeParse(Object.fromEntries(url.searchParams));
  const filter = parsed.success ? parsed.data : {};
  const db = getDb();
  let gestoreId: string | undefined;
  if (filter.gestore && !isGestoreRole(actor.role)) {
    const [g] = await db.select({ id: gestori.id }).from(gestori).where(eq(gestori.fiscalCode, filter.gestore));
    gestoreId = g?.id ?? "00000000-0000-0000-0000-000000000000";
  }
  const [page, visibleGestori] = await Promise.all([
    listUploadsForViewer(db, actor, { gestoreId, status: filter.status, before: filter.before ? new Date(filter.before) : undefined }),
    isGestoreRole(actor.role) ? Promise.resolve([]) : listGestori(db, actor),
  ]);
  return { filter, ...page, gestori: visibleGestori.map((g) => ({ fiscalCode: g.fiscalCode, name: g.name })) };
}

/** An upload for the pages; out of scope is a 403 with an audit row. */
export function uploadForPage(request: Request, actor: Actor, id: string) {
  return requireInScope(request, actor, () => getUploadForViewer(getDb(), actor, id), "Caricamento non trovato.");
}

const READ_ACTIONS = { view: "upload.view", file: "upload.download", errors: "upload.errors_export" } as const;

/** Every read of an upload's outcome, file or errors, on the pages or the API, is audited. */
export async function auditUploadExport(request: Request, actor: Actor, id: string, gestoreId: string, what: keyof typeof READ_ACTIONS) {
  await audit(null, { actor, ip: clientIp(request) }, {
    action: READ_ACTIONS[what],
    objectType: "upload",
    objectId: id,
    gestoreId,
    details: new URL(request.url).pathname.startsWith("/api/") ? { channel: "api" } : undefined,
  });
}

/**
 * The outcome page: audited, except the page's own once-a-second refreshes while the file is
 * still being processed (they show only progress, no records).
 */
export async function viewUploadPage(request: Request, actor: Actor, id: string) {
  const row = await uploadForPage(request, actor, id);
  const refresh = new URL(request.url).searchParams.has("_data") && row.upload.status === "processing";
  if (!refresh) await auditUploadExport(request, actor, row.upload.id, row.upload.gestoreId, "view");
  return row;
}
