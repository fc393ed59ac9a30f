import type { LoaderFunctionArgs } from "@remix-run/node";
import { acknowledgeLogoutResponse } from "~/auth/test-idp-pages.server";

export const loader = ({ request }: LoaderFunctionArgs) => acknowledgeLogoutResponse(request);
