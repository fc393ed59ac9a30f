import type { LoaderFunctionArgs } from "@remix-run/node";
import { rankingExport } from "~/applications/clickday-pages.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  return rankingExport(request, params.id ?? "");
}
