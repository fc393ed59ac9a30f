import { audit } from "~/audit/audit.server";
import { forbidden, type Actor } from "~/auth/guards.server";
import { clientIp } from "~/lib/request.server";
import { getDb } from "~db/client";
import { getGestoreDetail, listGestori } from "~db/queries/gestori";
import { OutOfScopeError } from "~db/scope";

export async function gestoriVisibleTo(actor: Actor) {
  return listGestori(getDb(), actor);
}

/**
 * The gestore page's data. The scoped query refuses other gestori; the view (which lists
 * people) is audited either way.
 */
export async function viewGestore(request: Request, actor: Actor, fiscalCode: string) {
  const db = getDb();
  try {
    const detail = await getGestoreDetail(db, actor, fiscalCode);
    if (!detail) throw new Response("Ente gestore non trovato.", { status: 404 });
    await audit(db, { actor, ip: clientIp(request) }, {
      action: "gestore.view",
      objectType: "gestore",
      objectId: detail.gestore.id,
      gestoreId: detail.gestore.id,
    });
    return detail;
  } catch (e) {
    if (e instanceof OutOfScopeError) throw await forbidden(request, actor, "gestore_scope", { fiscalCode });
    throw e;
  }
}
