import type { ActionFunctionArgs } from "@remix-run/node";
import { apiError, requireApiActor } from "~/auth/api-tokens.server";
import { outcomeObject } from "~/uploads/outcome.server";
import { receiveFromRequest, UploadRefused, uploadForApi } from "~/uploads/uploads.server";

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") throw apiError(405, "METHOD_NOT_ALLOWED", "Usare POST");
  const actor = await requireApiActor(request);
  try {
    const received = await receiveFromRequest(request, actor, "api");
    const row = await uploadForApi(request, actor, received.uploadId);
    return Response.json(outcomeObject(row), { status: received.reused ? 200 : 202 });
  } catch (e) {
    if (e instanceof UploadRefused) throw apiError(e.status, e.code, e.message);
    throw e;
  }
}

export async function loader() {
  throw apiError(405, "METHOD_NOT_ALLOWED", "Usare POST per inviare un flusso");
}
