import type { LoaderFunctionArgs } from "@remix-run/node";
import { downloadFile } from "~/applications/applications.server";
import { requirePermission } from "~/auth/guards.server";

/** An application's attachment or receipt, for the officials whose office reaches it (audited). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const signedIn = await requirePermission(request, "applications.handle");
  return downloadFile(request, signedIn, params.fileId ?? "");
}
