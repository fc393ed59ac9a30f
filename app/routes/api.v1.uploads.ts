import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { apiError, requireApiActor } from "~/auth/api-tokens.server";
import { outcomeObject } from "~/uploads/outcome.server";
import { dryRunFromRequest, receiveFromRequest, UploadRefused, uploadForApi } from "~/uploads/uploads.server";

const query = z.object({ dryRun: z.enum(["true", "false"]).optional() });

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") throw apiError(405, "METHOD_NOT_ALLOWED", "Usare POST");
  const actor = await requireApiActor(request);
  const parsed = query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw apiError(400, "BAD_QUERY", "Parametro dryRun non valido: usare true o false");
  try {
    if (parsed.data.dryRun === "true") return Response.json(await dryRunFromRequest(request, actor, "api"));
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
