import type { LoaderFunctionArgs } from "@remix-run/node";
import { downloadFile } from "~/applications/applications.server";
import { requirePermission } from "~/auth/guards.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const signedIn = await requirePermission(request, "applications.own");
  const file = await downloadFile(request, signedIn, params.fileId ?? "");
  return new Response(new Uint8Array(file.content), {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": `attachment; filename="${file.fileName.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
