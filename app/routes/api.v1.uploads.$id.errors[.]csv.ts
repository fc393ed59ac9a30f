import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiActor } from "~/auth/api-tokens.server";
import { errorsCsv } from "~/uploads/outcome.server";
import { uploadForApi } from "~/uploads/uploads.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireApiActor(request);
  return errorsCsv(await uploadForApi(request, actor, params.id ?? ""));
}
