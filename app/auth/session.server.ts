import crypto from "node:crypto";
import { createCookie } from "@remix-run/node";
import { and, eq, gt, sql } from "drizzle-orm";
import { log } from "~/lib/logger.server";
import { getConfig } from "~/config.server";
import type { Database, DbOrTx } from "~db/client";
import { getDb } from "~db/client";
import { accesses, sessions, users } from "~db/schema";

const TOUCH_AFTER_MS = 60_000;

let cookie: { config: ReturnType<typeof getConfig>; cookie: ReturnType<typeof createCookie> } | null = null;

/** The session cookie of the current settings, made once (every request reads it). */
function sessionCookie() {
  const config = getConfig();
  if (cookie?.config !== config) cookie = { config, cookie: makeSessionCookie(config) };
  return cookie.cookie;
}

function makeSessionCookie(config: ReturnType<typeof getConfig>) {
  return createCookie(config.production ? "__Host-gp_session" : "gp_session", {
    httpOnly: true,
    sameSite: "lax",
    secure: config.production || config.baseUrl.startsWith("https:"),
    path: "/",
    secrets: [config.sessionSecret],
    // No maxAge: a browser session cookie; the server enforces idle and absolute limits.
  });
}

export const hashToken = (token: string) => crypto.createHash("sha256").update(token).digest("hex");
export const randomToken = (bytes = 32) => crypto.randomBytes(bytes).toString("base64url");

export async function createSession(db: DbOrTx, input: { userId: string; accessId: string | null }) {
  const token = randomToken();
  const now = Date.now();
  await db.insert(sessions).values({
    idHash: hashToken(token),
    userId: input.userId,
    accessId: input.accessId,
    csrfToken: randomToken(24),
    expiresAt: new Date(now + getConfig().sessionAbsoluteMs),
  });
  return token;
}

export async function commitSessionCookie(token: string) {
  return sessionCookie().serialize(token);
}

export async function destroySessionCookie() {
  return sessionCookie().serialize("", { maxAge: 0, expires: new Date(0) });
}

async function readToken(request: Request): Promise<string | null> {
  const value = await sessionCookie().parse(request.headers.get("cookie"));
  return typeof value === "string" && value.length > 0 ? value : null;
}

/** The hash of the session this browser's cookie names, whether or not it is still valid. */
export async function cookieSessionHash(request: Request): Promise<string | null> {
  const token = await readToken(request);
  return token ? hashToken(token) : null;
}

export type LoadedSession = {
  idHash: string;
  csrfToken: string;
  user: typeof users.$inferSelect;
  access: typeof accesses.$inferSelect | null;
};

/**
 * The session read every request makes, its SQL built once per pool (docs/decisions/0068): drizzle
 * building the text of a three-table select cost more CPU than PostgreSQL answering it.
 */
let prepared: { db: Database; query: ReturnType<typeof buildSessionQuery> } | null = null;

function buildSessionQuery(db: Database) {
  return db
    .select({ session: sessions, user: users, access: accesses })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(accesses, eq(accesses.id, sessions.accessId))
    .where(and(eq(sessions.idHash, sql.placeholder("idHash")), gt(sessions.expiresAt, sql.placeholder("now")), gt(sessions.lastSeenAt, sql.placeholder("idleLimit"))))
    .prepare("load_session");
}

function sessionQuery(db: Database) {
  if (prepared?.db !== db) prepared = { db, query: buildSessionQuery(db) };
  return prepared.query;
}

/**
 * A session counts only while it is within both time-outs and its access is still active and
 * unexpired: revoking an access ends its sessions at the very next request.
 */
export async function loadSession(request: Request): Promise<LoadedSession | null> {
  const token = await readToken(request);
  if (!token) return null;
  const db = getDb();
  const now = new Date();
  const idleLimit = new Date(now.getTime() - getConfig().sessionIdleMs);
  // As text: drizzle's driver leaves postgres.js's Date serialisation off.
  const [row] = await sessionQuery(db).execute({ idHash: hashToken(token), now: now.toISOString(), idleLimit: idleLimit.toISOString() });
  if (!row) return null;
  const access = row.access;
  if (access && (access.status !== "active" || (access.expiresAt && access.expiresAt <= now))) {
    await db.delete(sessions).where(eq(sessions.idHash, row.session.idHash));
    return null;
  }
  if (now.getTime() - row.session.lastSeenAt.getTime() > TOUCH_AFTER_MS) touchLater(row.session.idHash, now);
  return { idHash: row.session.idHash, csrfToken: row.session.csrfToken, user: row.user, access };
}

/**
 * The sessions seen that are due a new "last seen" time, written together in one statement at most
 * TOUCH_FLUSH_MS later (docs/decisions/0124): at a click day's opening every applicant's request
 * would otherwise add its own UPDATE and commit. The idle time-out (minutes) does not notice the delay.
 */
const TOUCH_FLUSH_MS = 1000;
const dueTouches = new Map<string, Date>();
let touchTimer: NodeJS.Timeout | null = null;

function touchLater(idHash: string, at: Date) {
  dueTouches.set(idHash, at);
  touchTimer ??= setTimeout(() => void flushSessionTouches().catch((e: Error) => log.error("session touch failed", { error: e.message })), TOUCH_FLUSH_MS).unref();
}

/** Writes the due "last seen" times (a process that stops first loses at most a second of them; a session ended meanwhile is not brought back). */
export async function flushSessionTouches() {
  if (touchTimer) clearTimeout(touchTimer);
  touchTimer = null;
  if (!dueTouches.size) return;
  const due = [...dueTouches];
  dueTouches.clear();
  await getDb().execute(sql`
    update sessions s set last_seen_at = v.at
    from unnest(${`{${due.map(([h]) => h).join(",")}}`}::text[], ${`{${due.map(([, at]) => at.toISOString()).join(",")}}`}::timestamptz[]) as v(id_hash, at)
    where s.id_hash = v.id_hash and s.last_seen_at < v.at`);
}

export async function setSessionAccess(db: DbOrTx, idHash: string, accessId: string) {
  await db.update(sessions).set({ accessId }).where(eq(sessions.idHash, idHash));
}

export async function deleteSession(db: DbOrTx, idHash: string) {
  await db.delete(sessions).where(eq(sessions.idHash, idHash));
}

/** Ends every session of a person at once (access revoked, person disabled). */
export async function deleteUserSessions(db: DbOrTx, userId: string) {
  await db.delete(sessions).where(eq(sessions.userId, userId));
}
