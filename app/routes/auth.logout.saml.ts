import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getSignedIn } from "~/auth/guards.server";
import { signOut } from "~/auth/profile.server";
import { destroySessionCookie } from "~/auth/session.server";

/**
 * The SingleLogoutService our metadata advertises. Logout is local for now (ADR 3): whatever the
 * identity provider sends here ends this browser's session and returns to the home page; no
 * signed LogoutResponse is sent back yet.
 */
async function endLocalSession(request: Request) {
  const signedIn = await getSignedIn(request);
  if (signedIn) await signOut(request, signedIn);
  return redirect("/", { headers: { "Set-Cookie": await destroySessionCookie() } });
}

export const loader = ({ request }: LoaderFunctionArgs) => endLocalSession(request);
export const action = ({ request }: ActionFunctionArgs) => endLocalSession(request);
