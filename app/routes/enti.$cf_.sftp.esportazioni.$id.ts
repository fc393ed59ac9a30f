import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/guards.server";
import { sftpExportDownload } from "~/sftp/page.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const signedIn = await requirePermission(request, "sftp.manage");
  return sftpExportDownload(request, signedIn, params.cf ?? "", params.id ?? "");
}
