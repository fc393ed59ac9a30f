import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/guards.server";
import { attachmentDownload, attachmentReaders } from "~/helpdesk/pages.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const signedIn = await requirePermission(request, "helpdesk.work");
  return attachmentDownload(request, attachmentReaders.operator(signedIn, params.id ?? ""), params.aid ?? "");
}
