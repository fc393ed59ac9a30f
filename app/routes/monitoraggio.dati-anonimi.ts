import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireInScope, requirePermission } from "~/auth/guards.server";
import { exportAnonymousRows } from "~/monitoring/monitoring.server";

/** Anonymous practice-level rows of a territorial user's territory (others: an audited 403). */
export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requirePermission(request, "monitoring.view");
  return requireInScope(request, actor, () => exportAnonymousRows(request, actor), "");
}
