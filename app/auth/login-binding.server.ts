import zlib from "node:zlib";
import { createCookie } from "@remix-run/node";
import { getConfig } from "~/config.server";
import { SAML_REQUEST_TTL_MS } from "./saml-requests.server";

/** A browser may have a few sign-ins under way (several tabs); older ones drop off. */
const MAX_PENDING = 4;

/**
 * Binds each AuthnRequest to the browser that started it (docs/decisions/0041): a short-lived,
 * signed, HttpOnly cookie lists the request ids this browser started, and the ACS accepts only
 * an answer to one of them. A response obtained by someone else and auto-posted from another
 * person's browser arrives without it. SameSite=None over HTTPS because a real IdP posts from
 * another site; over plain HTTP (development, same-site test IdP) Lax.
 */
function bindingCookie() {
  const config = getConfig();
  const https = config.production || config.baseUrl.startsWith("https:");
  return createCookie(https ? "__Secure-gp_login" : "gp_login", {
    httpOnly: true,
    secure: https,
    sameSite: https ? "none" : "lax",
    path: "/auth",
    maxAge: SAML_REQUEST_TTL_MS / 1000,
    secrets: [config.sessionSecret],
  });
}

type Pending = { id: string; at: number }[];

async function pendingOf(request: Request): Promise<Pending> {
  const value = await bindingCookie().parse(request.headers.get("cookie"));
  if (!Array.isArray(value)) return [];
  const fresh = Date.now() - SAML_REQUEST_TTL_MS;
  return value.filter((p): p is Pending[number] => typeof p?.id === "string" && typeof p?.at === "number" && p.at > fresh);
}

/** The ID of the AuthnRequest carried (deflated, base64) in an HTTP-Redirect URL. */
export function authnRequestIdOf(redirectUrl: string): string {
  const encoded = new URL(redirectUrl).searchParams.get("SAMLRequest") ?? "";
  const xml = zlib.inflateRawSync(Buffer.from(encoded, "base64")).toString("utf8");
  const id = /<(?:\w+:)?AuthnRequest\b[^>]*\sID="([^"]+)"/.exec(xml)?.[1];
  if (!id) throw new Error("AuthnRequest without ID");
  return id;
}

/** The Set-Cookie that adds a just-issued AuthnRequest id to this browser's pending sign-ins. */
export async function bindLoginToBrowser(request: Request, requestId: string) {
  const pending = [...(await pendingOf(request)), { id: requestId, at: Date.now() }].slice(-MAX_PENDING);
  return bindingCookie().serialize(pending);
}

export async function hasPendingLogin(request: Request) {
  return (await pendingOf(request)).length > 0;
}

/** Whether this browser started the sign-in the response answers. */
export async function loginStartedHere(request: Request, inResponseTo: string) {
  return (await pendingOf(request)).some((p) => p.id === inResponseTo);
}

/** The Set-Cookie that forgets the pending sign-ins once one has completed. */
export async function clearLoginBinding() {
  return bindingCookie().serialize([], { maxAge: 0, expires: new Date(0) });
}
