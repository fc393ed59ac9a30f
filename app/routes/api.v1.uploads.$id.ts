import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiActor } from "~/auth/api-tokens.server";
import { outcomeObject } from "~/uploads/outcome.server";
import { auditUploadExport } from "~/uploads/pages.server";
import { uploadForApi } from "~/uploads/uploads.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireApiActor(request);
  const row = await uploadForApi(request, actor, params.id ?? "");
  await auditUploadExport(request, actor, row.upload.id, row.upload.gestoreId, "view");
  return Response.json(outcomeObject(row));
}
