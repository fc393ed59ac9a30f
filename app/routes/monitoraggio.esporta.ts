import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/guards.server";
import { exportTable } from "~/monitoring/monitoring.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requirePermission(request, "monitoring.view");
  return exportTable(request, actor);
}
