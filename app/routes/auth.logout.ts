import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getSignedIn, requireForm } from "~/auth/guards.server";
import { signOut } from "~/auth/profile.server";
import { destroySessionCookie } from "~/auth/session.server";

export async function action({ request }: ActionFunctionArgs) {
  const signedIn = await getSignedIn(request);
  if (signedIn) {
    await requireForm(request, signedIn);
    await signOut(request, signedIn);
  }
  return redirect("/", { headers: { "Set-Cookie": await destroySessionCookie() } });
}

export async function loader() {
  return redirect("/");
}
