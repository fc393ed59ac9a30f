import type { LoaderFunctionArgs } from "@remix-run/node";
import { eq } from "drizzle-orm";
import { commitSessionCookie, createSession } from "~/auth/session.server";
import { getDb } from "~db/client";
import { seedDemoData } from "~/demo/seed";
import { seedTerritoriesDemo } from "~/demo/territories";
import { activeAccessesOf } from "~db/queries/users";
import { users } from "~db/schema";

export const PEOPLE = {
  operatore: "BNCGLI85M41A271Q",
  referente: "VRDMRC78C12H501I",
  altroOperatore: "FRRGPP88B15A271L",
  funzionario: "NRELRA82D45D542F",
  dirigente: "RSSPLA70E10A271T",
  amministratore: "GLLNNA75T60H501W",
  sconosciuto: "SPSLCU90A01F839P",
  osservatore: "CNTCHR80A41H501I",
} as const;

/** The territorial demo people (issue 19): a Region's referente, an ATS administrator and operator (ATS of Ancona). */
export const TERRITORIAL_PEOPLE = {
  referenteRegionale: "MRTLNE79H52A271T",
  amministratoreAts: "BRNFNC72C03A271D",
  operatoreTerritoriale: "CLMSRA86L61A271D",
} as const;

export const GESTORE_DEMO = "01234567897";
export const GESTORE_ALTRO = "02345678904";

export async function seedDemo() {
  await seedDemoData(process.env.DATABASE_URL!);
  await seedTerritoriesDemo(process.env.DATABASE_URL!);
}

export async function userOf(fiscalCode: string) {
  const [u] = await getDb().select().from(users).where(eq(users.fiscalCode, fiscalCode));
  if (!u) throw new Error(`no demo user ${fiscalCode}`);
  return u;
}

/** Signs a demo person in (first profile) and returns the Cookie header a browser would send. */
export async function cookieFor(fiscalCode: string) {
  const u = await userOf(fiscalCode);
  const [first] = await activeAccessesOf(getDb(), u.id);
  const token = await createSession(getDb(), { userId: u.id, accessId: first!.access.id });
  return (await commitSessionCookie(token)).split(";")[0]!;
}

export async function viewerOf(fiscalCode: string) {
  const u = await userOf(fiscalCode);
  const [first] = await activeAccessesOf(getDb(), u.id);
  const a = first!.access;
  return { userId: u.id, role: a.role, gestoreId: a.gestoreId, orgUnitId: a.orgUnitId, territory: a.territoryLevel && a.territoryCode ? { level: a.territoryLevel, code: a.territoryCode } : null };
}

type RouteFn = (args: LoaderFunctionArgs) => Promise<unknown>;

/** Calls a loader or action as Remix would and returns the HTTP status it produced. */
export async function statusOf(
  fn: RouteFn,
  opts: { path: string; cookie?: string; params?: Record<string, string>; method?: string; form?: Record<string, string>; headers?: Record<string, string> },
): Promise<{ status: number; response: Response | null; data: unknown }> {
  const headers = new Headers(opts.headers);
  if (opts.cookie) headers.set("cookie", opts.cookie);
  const body = opts.form ? new URLSearchParams(opts.form) : undefined;
  if (body) headers.set("content-type", "application/x-www-form-urlencoded");
  const request = new Request(`http://localhost:3999${opts.path}`, { method: opts.method ?? (body ? "POST" : "GET"), headers, body });
  try {
    const result = await fn({ request, params: opts.params ?? {}, context: {} });
    if (result instanceof Response) return { status: result.status, response: result, data: null };
    return { status: 200, response: null, data: result };
  } catch (e) {
    if (e instanceof Response) return { status: e.status, response: e, data: null };
    throw e;
  }
}

/** A demo person as the enablement functions take them: the viewer plus name and e-mail, from 127.0.0.1. */
export async function enablementActorOf(fiscalCode: string) {
  const u = await userOf(fiscalCode);
  const v = await viewerOf(fiscalCode);
  return { actor: { ...v, fiscalCode, name: u.name, surname: u.surname, email: u.email }, ip: "127.0.0.1" };
}
