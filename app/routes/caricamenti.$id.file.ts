import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/guards.server";
import { auditUploadExport, uploadForPage } from "~/uploads/pages.server";
import { originalFileResponse } from "~/uploads/uploads.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor } = await requirePermission(request, "uploads.view");
  const row = await uploadForPage(request, actor, params.id ?? "");
  await auditUploadExport(request, actor, row.upload.id, row.upload.gestoreId, "file");
  return originalFileResponse(row);
}
