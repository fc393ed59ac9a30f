import type { LoaderFunctionArgs } from "@remix-run/node";
import { attachmentDownload, attachmentReaders } from "~/helpdesk/pages.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  return attachmentDownload(request, attachmentReaders.token(params.token ?? ""), params.aid ?? "");
}
