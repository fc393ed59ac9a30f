import { audit } from "~/audit/audit.server";
import { requireInScope, type Actor } from "~/auth/guards.server";
import { clientIp } from "~/lib/request.server";
import { getDb } from "~db/client";
import { getGestoreDetail, listGestori } from "~db/queries/gestori";

export async function gestoriVisibleTo(actor: Actor) {
  return listGestori(getDb(), actor);
}

/**
 * The gestore page's data. The scoped query refuses other gestori; the view (which lists
 * people) is audited either way.
 */
export async function viewGestore(request: Request, actor: Actor, fiscalCode: string) {
  const db = getDb();
  const detail = await requireInScope(request, actor, () => getGestoreDetail(db, actor, fiscalCode), "Ente gestore non trovato.");
  await audit(db, { actor, ip: clientIp(request) }, {
    action: "gestore.view",
    objectType: "gestore",
    objectId: detail.gestore.id,
    gestoreId: detail.gestore.id,
  });
  return detail;
}
