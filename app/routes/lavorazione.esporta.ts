import type { ActionFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/guards.server";
import { exportSelected } from "~/backoffice/pages.server";

export async function action({ request }: ActionFunctionArgs) {
  const signedIn = await requirePermission(request, "backoffice.work");
  return exportSelected(request, signedIn);
}
