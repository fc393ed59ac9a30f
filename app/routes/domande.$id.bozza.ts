import type { ActionFunctionArgs } from "@remix-run/node";
import { autosaveAction } from "~/applications/pages.server";

/** The wizard's autosave with JavaScript (ADR 94); without it the page's own buttons save. */
export async function action({ request, params }: ActionFunctionArgs) {
  return autosaveAction(request, params.id ?? "");
}
