import { useRouteLoaderData } from "@remix-run/react";
import type { RootLoaderData } from "~/lib/root-data";

/** Every form that changes something carries the session's CSRF token. */
export function CsrfInput() {
  const data = useRouteLoaderData("root") as RootLoaderData | undefined;
  return <input type="hidden" name="csrf" value={data?.csrfToken ?? ""} />;
}
