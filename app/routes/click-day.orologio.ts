import { serverClock } from "~/applications/clickday-pages.server";

/** The server's clock as JSON, never cached: the click-day page keeps its countdown in step with it. */
export async function loader() {
  return Response.json(await serverClock(), { headers: { "Cache-Control": "no-store" } });
}
