import { getConfig } from "~/config.server";

/**
 * The web server overwrites this header with the socket's address (or the proxy-reported one
 * when TRUST_PROXY is set), so a client cannot forge it.
 */
export const CLIENT_IP_HEADER = "x-gp-client-ip";

/**
 * Set (and overwritten, never trusted from the client) by the web server: `intranet` when the
 * request came from INTRANET_CIDRS or to INTRANET_HOST, `internet` otherwise; absent when no
 * intranet is configured (docs/decisions/0044).
 */
export const ACCESS_POINT_HEADER = "x-gp-access-point";

/**
 * A form body the web server already read and parsed (the click day's send, docs/decisions/0068),
 * kept on the request under a process-wide symbol: the web server and the Remix build each load
 * their own copy of this module.
 */
const PARSED_FORM = Symbol.for("gestpratiche.parsed-form");

export function withParsedForm(request: Request, form: FormData): Request {
  return Object.assign(request, { [PARSED_FORM]: form });
}

/** The request's form: the one the web server parsed, else its body read now. */
export function formOf(request: Request): Promise<FormData> {
  const parsed = (request as Request & { [PARSED_FORM]?: FormData })[PARSED_FORM];
  return parsed ? Promise.resolve(parsed) : request.formData();
}

export function clientIp(request: Request): string | null {
  return request.headers.get(CLIENT_IP_HEADER);
}

/** False only for a request the web server placed outside the configured intranet. */
export function fromIntranet(request: Request): boolean {
  return request.headers.get(ACCESS_POINT_HEADER) !== "internet";
}

/**
 * A path on this site to send a person to after a step (sign-in, profile choice), or null.
 * Resolved against BASE_URL and kept only if the origin stays ours; control characters, spaces,
 * backslashes and non-ASCII are refused outright because browsers drop or rewrite them
 * (`/\t/evil.example/` becomes `//evil.example/`, another site).
 */
export function sameOriginPath(to: unknown): string | null {
  if (typeof to !== "string" || to === "") return null;
  if (/[^\x21-\x7e]|\\/.test(to) || !to.startsWith("/")) return null;
  const base = new URL(getConfig().baseUrl);
  let url: URL;
  try {
    url = new URL(to, base);
  } catch {
    return null;
  }
  if (url.origin !== base.origin) return null;
  return url.pathname + url.search + url.hash;
}

export function safeRedirectPath(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  return sameOriginPath(to) ?? fallback;
}
