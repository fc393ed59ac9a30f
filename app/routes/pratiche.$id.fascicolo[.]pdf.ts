import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/guards.server";
import { dossierPdf } from "~/backoffice/dossier.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor } = await requirePermission(request, "practices.view");
  const { bytes, fileName } = await dossierPdf(request, actor, params.id ?? "");
  return new Response(Buffer.from(bytes), {
    headers: { "content-type": "application/pdf", "content-disposition": `attachment; filename="${fileName}"`, "cache-control": "private, no-store" },
  });
}
