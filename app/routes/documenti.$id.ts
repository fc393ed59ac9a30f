import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/guards.server";
import { documentDownload } from "~/backoffice/pages.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const signedIn = await requirePermission(request, "messages.use");
  return documentDownload(request, signedIn, params.id ?? "");
}
