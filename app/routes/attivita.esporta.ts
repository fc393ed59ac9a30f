import type { LoaderFunctionArgs } from "@remix-run/node";
import { activityExport } from "~/activity/activity.server";
import { requirePermission } from "~/auth/guards.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const signedIn = await requirePermission(request, "activity.view");
  return activityExport(request, signedIn);
}
