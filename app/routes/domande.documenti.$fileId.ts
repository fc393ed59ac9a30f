import type { LoaderFunctionArgs } from "@remix-run/node";
import { downloadFile } from "~/applications/applications.server";
import { requirePermission } from "~/auth/guards.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const signedIn = await requirePermission(request, "applications.own");
  return downloadFile(request, signedIn, params.fileId ?? "");
}
