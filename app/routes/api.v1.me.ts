import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiActor } from "~/auth/api-tokens.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireApiActor(request);
  return Response.json({ role: actor.role, gestoreId: actor.gestoreId });
}
