import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/guards.server";
import { errorsCsv } from "~/uploads/outcome.server";
import { auditUploadExport, uploadForPage } from "~/uploads/pages.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor } = await requirePermission(request, "uploads.view");
  const row = await uploadForPage(request, actor, params.id ?? "");
  await auditUploadExport(request, actor, row.upload.id, row.upload.gestoreId, "errors");
  return errorsCsv(row);
}
