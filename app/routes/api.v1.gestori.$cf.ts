import type { LoaderFunctionArgs } from "@remix-run/node";
import { apiError, requireApiActor } from "~/auth/api-tokens.server";
import { viewGestore } from "~/gestori/gestori.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireApiActor(request);
  try {
    const detail = await viewGestore(request, actor, params.cf ?? "");
    return Response.json({
      fiscalCode: detail.gestore.fiscalCode,
      name: detail.gestore.name,
      measures: detail.measures.map((m) => m.code),
    });
  } catch (e) {
    if (e instanceof Response && e.status === 403) throw apiError(403, "FORBIDDEN", "Dati di un altro ente gestore");
    if (e instanceof Response && e.status === 404) throw apiError(404, "NOT_FOUND", "Ente gestore non trovato");
    throw e;
  }
}
