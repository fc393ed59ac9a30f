/**
 * The web server overwrites this header with the socket's address (or the proxy-reported one
 * when TRUST_PROXY is set), so a client cannot forge it.
 */
export const CLIENT_IP_HEADER = "x-gp-client-ip";

export function clientIp(request: Request): string | null {
  return request.headers.get(CLIENT_IP_HEADER);
}

export function safeRedirectPath(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (!to || typeof to !== "string") return fallback;
  if (!to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}
