import crypto from "node:crypto";
import { createCookie } from "@remix-run/node";
import { getConfig } from "~/config.server";
import { randomToken } from "~/auth/session.server";

/** How long a password, once accepted, waits for the second factor. */
export const PENDING_TTL_MS = 10 * 60_000;

export type Pending = { userId: string; at: number };
type State = { csrf: string; pending?: Pending };

/**
 * The pages before a session exists (registration, sign-in, second factor) keep their state in a
 * signed, HttpOnly cookie: the CSRF token the forms echo (there is no session token yet) and, once
 * the password was right, whose second factor is awaited. Nothing here is a session: a session
 * starts only after the second factor (ADR 0067).
 */
function browserCookie() {
  const config = getConfig();
  const https = config.production || config.baseUrl.startsWith("https:");
  return createCookie(https ? "__Secure-gp_local" : "gp_local", {
    httpOnly: true,
    secure: https,
    sameSite: "lax",
    path: "/accesso-locale",
    maxAge: 60 * 60,
    secrets: [config.sessionSecret],
  });
}

async function stateOf(request: Request): Promise<State | null> {
  const value = await browserCookie().parse(request.headers.get("cookie"));
  return value && typeof value.csrf === "string" ? (value as State) : null;
}

/** The form token for this browser, and the Set-Cookie to send when it is new. */
export async function browserCsrf(request: Request): Promise<{ csrf: string; setCookie: string | null }> {
  const state = await stateOf(request);
  if (state) return { csrf: state.csrf, setCookie: null };
  const csrf = randomToken(24);
  return { csrf, setCookie: await browserCookie().serialize({ csrf }) };
}

const sameToken = (a: string, b: string) => a.length === b.length && crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** A post from these pages must carry this browser's token; a forged cross-site one cannot. */
export async function requireBrowserCsrf(request: Request, form: FormData): Promise<State> {
  const state = await stateOf(request);
  const sent = form.get("csrf");
  if (!state || typeof sent !== "string" || !sameToken(sent, state.csrf))
    throw new Response("Richiesta non valida: ricaricare la pagina e riprovare.", { status: 403 });
  return state;
}

/** Whose second factor this browser is waiting for, if the password was accepted recently. */
export async function pendingOf(request: Request): Promise<Pending | null> {
  const pending = (await stateOf(request))?.pending;
  return pending && Date.now() - pending.at < PENDING_TTL_MS ? pending : null;
}

export async function withPending(state: { csrf: string }, pending: Pending | undefined) {
  return browserCookie().serialize(pending ? { csrf: state.csrf, pending } : { csrf: state.csrf });
}
