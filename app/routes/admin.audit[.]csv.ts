import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportAuditCsv } from "~/audit/audit-log.server";
import { requirePermission } from "~/auth/guards.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const signedIn = await requirePermission(request, "audit.view");
  return exportAuditCsv(request, signedIn);
}
