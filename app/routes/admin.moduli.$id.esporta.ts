import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportModel } from "~/applications/form-editor-pages.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  return exportModel(request, params.id ?? "");
}
