import type { LoaderFunctionArgs } from "@remix-run/node";
import { officeExport } from "~/applications/office.server";

export async function loader({ request }: LoaderFunctionArgs) {
  return officeExport(request);
}
