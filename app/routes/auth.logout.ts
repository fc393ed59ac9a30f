import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { audit } from "~/audit/audit.server";
import { getSignedIn, requireCsrf } from "~/auth/guards.server";
import { deleteSession, destroySessionCookie } from "~/auth/session.server";
import { clientIp } from "~/lib/request.server";
import { getDb } from "~db/client";

export async function action({ request }: ActionFunctionArgs) {
  const signedIn = await getSignedIn(request);
  if (signedIn) {
    await requireCsrf(request, signedIn.session, await request.formData());
    const db = getDb();
    await db.transaction(async (tx) => {
      await deleteSession(tx, signedIn.session.idHash);
      await audit(tx, { actor: signedIn.actor, ip: clientIp(request) }, { action: "auth.signout" });
    });
  }
  return redirect("/", { headers: { "Set-Cookie": await destroySessionCookie() } });
}

export async function loader() {
  return redirect("/");
}
