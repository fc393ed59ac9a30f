import { eq } from "drizzle-orm";
import { ensureApplicant } from "~/applications/applicant.server";
import { commitSessionCookie, createSession, hashToken } from "~/auth/session.server";
import { getDb, getSql } from "~db/client";
import { activeAccessesOf } from "~db/queries/users";
import { sessions, users } from "~db/schema";

/** A signed-in person as a browser holds them: the session cookie and the CSRF token of its forms. */
export type Who = Awaited<ReturnType<typeof signedInAs>>;

async function sessionOf(user: typeof users.$inferSelect, access: { id: string }) {
  const token = await createSession(getDb(), { userId: user.id, accessId: access.id });
  const [s] = await getDb().select().from(sessions).where(eq(sessions.idHash, hashToken(token)));
  return { cookie: (await commitSessionCookie(token)).split(";")[0]!, csrf: s!.csrfToken };
}

/** An applicant signed in with SPID/CIE (the profile made at the first sign-in, as the ACS does). */
export async function signedInAs(fiscalCode: string, name = "Persona") {
  const { user, access } = await getSql().begin((tx) => ensureApplicant(tx, { fiscalCode, name, surname: "Prova", email: `${fiscalCode.toLowerCase()}@example.it` }, { system: "test" }, new Date()));
  return { ...(await sessionOf(user, access)), user, access };
}

/** A demo person (official, administrator…) signed in with their first profile. */
export async function personAs(fiscalCode: string) {
  const [user] = await getDb().select().from(users).where(eq(users.fiscalCode, fiscalCode));
  if (!user) throw new Error(`no demo user ${fiscalCode}`);
  const [first] = await activeAccessesOf(getDb(), user.id);
  return { ...(await sessionOf(user, first!.access)), user, access: first!.access };
}

export type Outcome = { status: number; location: string | null; data: { ok: boolean; errors?: Record<string, string>; fields?: Record<string, string>; message?: string; error?: string } | null; response: Response | null };

/** Calls a route's loader (no fields) or action (fields, with the CSRF token) as Remix would. */
export async function call(fn: (args: never) => Promise<unknown>, who: Who, path: string, params: Record<string, string>, fields?: Record<string, string | string[] | File>): Promise<Outcome> {
  let body: FormData | undefined;
  if (fields) {
    body = new FormData();
    body.set("csrf", who.csrf);
    for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
  }
  const request = new Request(`http://localhost:3999${path}`, { method: body ? "POST" : "GET", headers: { cookie: who.cookie }, body });
  try {
    const result = await fn({ request, params, context: {} } as never);
    if (result instanceof Response) return { status: result.status, location: result.headers.get("location"), data: null, response: result };
    return { status: 200, location: null, data: result as Outcome["data"], response: null };
  } catch (e) {
    if (e instanceof Response) return { status: e.status, location: e.headers.get("location"), data: null, response: e };
    throw e;
  }
}
