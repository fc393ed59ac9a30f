import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { signOutWithForm } from "~/auth/signout.server";

export const action = ({ request }: ActionFunctionArgs) => signOutWithForm(request);

export async function loader() {
  return redirect("/");
}
