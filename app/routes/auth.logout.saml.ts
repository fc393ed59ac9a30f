import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { endSessionOnIdpRequest, endSessionOnPost } from "~/auth/signout.server";

/**
 * The SingleLogoutService our metadata advertises (docs/decisions/0041). A GET ends the session
 * only when it carries a LogoutRequest signed by the IdP; a POST only with one (HTTP-POST
 * binding) or with the session's CSRF token. Anything else (a link on another site) changes nothing.
 */
export const loader = ({ request }: LoaderFunctionArgs) => endSessionOnIdpRequest(request);
export const action = ({ request }: ActionFunctionArgs) => endSessionOnPost(request);
