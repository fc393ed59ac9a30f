import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/guards.server";
import { signedContentDownload } from "~/signatures/signatures.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const signedIn = await requirePermission(request, "messages.use");
  return signedContentDownload(request, signedIn, params.id ?? "");
}
