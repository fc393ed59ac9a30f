import type { LoaderFunctionArgs } from "@remix-run/node";
import { validatorScript } from "~/uploads/check/check-data.server";

/** The validator for the gestore's PC, with today's reference data (docs/decisions/0103). */
export async function loader({ request }: LoaderFunctionArgs) {
  return new Response(await validatorScript(request), {
    headers: {
      "Content-Type": "text/javascript; charset=utf-8",
      "Content-Disposition": 'attachment; filename="verifica-flusso.mjs"',
      "Cache-Control": "no-store",
    },
  });
}
