import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireInScope, requirePermission } from "~/auth/guards.server";
import { exportTable } from "~/monitoring/monitoring.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requirePermission(request, "monitoring.view");
  return requireInScope(request, actor, () => exportTable(request, actor), "");
}
