import type { LoaderFunctionArgs } from "@remix-run/node";
import { logoResponse } from "~/branding/branding.server";

/** The body's logo uploaded in Aspetto (docs/decisions/0054); public, as the header shows it. */
export const loader = ({ request }: LoaderFunctionArgs) => logoResponse(new URL(request.url).searchParams.get("v"));
