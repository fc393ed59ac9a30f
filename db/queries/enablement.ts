import { and, asc, desc, eq, gt, ilike, inArray, isNull, lte, ne, or, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { OutOfScopeError, type Viewer } from "../scope";
import { accesses, enablementRequests, gestori, machineHistory, orgUnits, users, type Role } from "../schema";

/** Where a requester may ask for access: their gestore, or their org unit. */
export type EnablementScope = { gestoreId: string; orgUnitId: null } | { gestoreId: null; orgUnitId: string };

/**
 * The scope and roles a viewer may request and revoke: a gestore's referente for operators and
 * referenti of their own gestore, a dirigente for officials of their own org unit; nobody else.
 */
export function requesterScopeOf(viewer: Viewer): { scope: EnablementScope; roles: Role[] } | null {
  if (viewer.role === "gestore_referente" && viewer.gestoreId)
    return { scope: { gestoreId: viewer.gestoreId, orgUnitId: null }, roles: ["gestore_operatore", "gestore_referente"] };
  if (viewer.role === "dirigente" && viewer.orgUnitId)
    return { scope: { gestoreId: null, orgUnitId: viewer.orgUnitId }, roles: ["funzionario", "operatore_helpdesk"] };
  return null;
}

type Scoped = { role: Role; gestoreId: string | null; orgUnitId: string | null };

/** May the viewer act on (revoke, renew, withdraw) this access or request? Administrators on any. */
export function mayActOn(viewer: Viewer, target: Scoped): boolean {
  if (viewer.role === "amministratore") return true;
  const own = requesterScopeOf(viewer);
  if (!own || !own.roles.includes(target.role)) return false;
  return own.scope.gestoreId ? target.gestoreId === own.scope.gestoreId : target.orgUnitId === own.scope.orgUnitId;
}

/** May the viewer see this access or request (its scope), though perhaps not act on it? */
function maySee(viewer: Viewer, target: Scoped): boolean {
  if (viewer.role === "amministratore") return true;
  const own = requesterScopeOf(viewer);
  if (!own) return false;
  return own.scope.gestoreId ? target.gestoreId === own.scope.gestoreId : target.orgUnitId === own.scope.orgUnitId;
}

function scopeFilter(viewer: Viewer, table: typeof accesses | typeof enablementRequests): SQL | undefined {
  if (viewer.role === "amministratore") return undefined;
  const own = requesterScopeOf(viewer);
  if (!own) throw new OutOfScopeError("enablement");
  return own.scope.gestoreId ? eq(table.gestoreId, own.scope.gestoreId) : eq(table.orgUnitId, own.scope.orgUnitId!);
}

export function activeNow(now: Date) {
  return and(eq(accesses.status, "active"), or(isNull(accesses.expiresAt), gt(accesses.expiresAt, now)));
}

/**
 * Codici fiscali that count against a scope's quota: people with an active access there and
 * people with a pending request there.
 */
export async function quotaHolders(db: DbOrTx, scope: EnablementScope, now: Date, opts: { pending: boolean }) {
  const accessScope = scope.gestoreId ? eq(accesses.gestoreId, scope.gestoreId) : eq(accesses.orgUnitId, scope.orgUnitId!);
  const active = await db
    .select({ fiscalCode: users.fiscalCode })
    .from(accesses)
    .innerJoin(users, eq(users.id, accesses.userId))
    .where(and(accessScope, activeNow(now)));
  const pending = opts.pending
    ? await db
        .select({ fiscalCode: enablementRequests.fiscalCode })
        .from(enablementRequests)
        .where(
          and(
            eq(enablementRequests.state, "submitted"),
            scope.gestoreId ? eq(enablementRequests.gestoreId, scope.gestoreId) : eq(enablementRequests.orgUnitId, scope.orgUnitId!),
          ),
        )
    : [];
  return new Set([...active, ...pending].map((r) => r.fiscalCode));
}

/** Locks the scope's row (serialising concurrent requests for one scope) and returns its name and quota. */
export async function lockScope(db: DbOrTx, scope: EnablementScope) {
  if (scope.gestoreId) {
    const [g] = await db.select().from(gestori).where(eq(gestori.id, scope.gestoreId)).for("update");
    return g ? { label: g.name, quota: g.operatorQuota, active: g.active, kind: "gestore" as const } : null;
  }
  const [o] = await db.select().from(orgUnits).where(eq(orgUnits.id, scope.orgUnitId!)).for("update");
  return o ? { label: o.name, quota: o.userQuota, active: o.active, kind: "org_unit" as const } : null;
}

/** The scope's label and whether it takes new enablements (an inactive one does not, ADR 29). */
export async function scopeState(db: DbOrTx, scope: { gestoreId: string | null; orgUnitId: string | null }) {
  if (scope.gestoreId) {
    const [g] = await db.select({ label: gestori.name, active: gestori.active }).from(gestori).where(eq(gestori.id, scope.gestoreId));
    return g ? { ...g, kind: "gestore" as const } : null;
  }
  if (scope.orgUnitId) {
    const [o] = await db.select({ label: orgUnits.name, active: orgUnits.active }).from(orgUnits).where(eq(orgUnits.id, scope.orgUnitId));
    return o ? { ...o, kind: "org_unit" as const } : null;
  }
  return null;
}

export async function scopeLabel(db: DbOrTx, scope: { gestoreId: string | null; orgUnitId: string | null }) {
  if (scope.gestoreId) return (await db.select({ name: gestori.name }).from(gestori).where(eq(gestori.id, scope.gestoreId)))[0]?.name ?? "";
  if (scope.orgUnitId) return (await db.select({ name: orgUnits.name }).from(orgUnits).where(eq(orgUnits.id, scope.orgUnitId)))[0]?.name ?? "";
  return "Regione";
}

/** People with any access in the viewer's scope (active first), with state and expiry. */
export async function listPeopleInScope(db: DbOrTx, viewer: Viewer) {
  return db
    .select({
      accessId: accesses.id,
      userId: users.id,
      fiscalCode: users.fiscalCode,
      name: users.name,
      surname: users.surname,
      email: users.email,
      role: accesses.role,
      gestoreId: accesses.gestoreId,
      orgUnitId: accesses.orgUnitId,
      status: accesses.status,
      expiresAt: accesses.expiresAt,
      revokedAt: accesses.revokedAt,
    })
    .from(accesses)
    .innerJoin(users, eq(users.id, accesses.userId))
    .where(scopeFilter(viewer, accesses))
    .orderBy(sql`${accesses.status} <> 'active'`, asc(users.surname), asc(users.name), desc(accesses.createdAt))
    .limit(500);
}

const requestColumns = {
  id: enablementRequests.id,
  state: enablementRequests.state,
  role: enablementRequests.role,
  gestoreId: enablementRequests.gestoreId,
  orgUnitId: enablementRequests.orgUnitId,
  fiscalCode: enablementRequests.fiscalCode,
  name: enablementRequests.name,
  surname: enablementRequests.surname,
  email: enablementRequests.email,
  nameMismatchConfirmed: enablementRequests.nameMismatchConfirmed,
  reason: enablementRequests.reason,
  createdAt: enablementRequests.createdAt,
  decidedAt: enablementRequests.decidedAt,
  userId: enablementRequests.userId,
  scopeName: sql<string>`coalesce(${gestori.name}, ${orgUnits.name})`,
  requesterName: sql<string>`${users.name} || ' ' || ${users.surname}`,
};

function requestsQuery(db: DbOrTx) {
  return db
    .select(requestColumns)
    .from(enablementRequests)
    .innerJoin(users, eq(users.id, enablementRequests.requestedBy))
    .leftJoin(gestori, eq(gestori.id, enablementRequests.gestoreId))
    .leftJoin(orgUnits, eq(orgUnits.id, enablementRequests.orgUnitId));
}

export async function listRequestsInScope(db: DbOrTx, viewer: Viewer, limit = 200) {
  return requestsQuery(db).where(scopeFilter(viewer, enablementRequests)).orderBy(desc(enablementRequests.createdAt)).limit(limit);
}

/** The administrators' queue: pending requests, oldest first. */
export async function listPendingRequests(db: DbOrTx, viewer: Viewer) {
  if (viewer.role !== "amministratore") throw new OutOfScopeError("enablement_request");
  return requestsQuery(db).where(eq(enablementRequests.state, "submitted")).orderBy(asc(enablementRequests.createdAt));
}

/** Administrators look anyone up by surname or codice fiscale: users and requested people alike. */
export async function searchPeople(db: DbOrTx, viewer: Viewer, q: string) {
  if (viewer.role !== "amministratore") throw new OutOfScopeError("person");
  const term = q.trim();
  if (term.length < 2) return [];
  const like = `%${term.replace(/[%_\\]/g, "\\$&")}%`;
  const found = await db
    .select({ key: users.id, fiscalCode: users.fiscalCode, name: users.name, surname: users.surname })
    .from(users)
    .where(or(eq(users.fiscalCode, term.toUpperCase()), ilike(users.surname, like)))
    .orderBy(asc(users.surname))
    .limit(50);
  const requested = await db
    .selectDistinctOn([enablementRequests.fiscalCode], {
      key: enablementRequests.id,
      fiscalCode: enablementRequests.fiscalCode,
      name: enablementRequests.name,
      surname: enablementRequests.surname,
    })
    .from(enablementRequests)
    .where(and(or(eq(enablementRequests.fiscalCode, term.toUpperCase()), ilike(enablementRequests.surname, like)), isNull(enablementRequests.userId)))
    .orderBy(enablementRequests.fiscalCode, desc(enablementRequests.createdAt))
    .limit(50);
  const known = new Set(found.map((f) => f.fiscalCode));
  return [...found, ...requested.filter((r) => !known.has(r.fiscalCode))];
}

/**
 * A person's page: who they are, their accesses and requests in the viewer's scope, and the
 * timeline of every transition of those. `key` is a user id or, for someone who is not a user
 * yet, the id of one of their requests. Outside the viewer's scope: OutOfScopeError.
 */
export async function personTimeline(db: DbOrTx, viewer: Viewer, key: string) {
  const [user] = await db.select().from(users).where(eq(users.id, key));
  let person: { fiscalCode: string; name: string; surname: string; email: string; userId: string | null };
  if (user) person = { fiscalCode: user.fiscalCode, name: user.name, surname: user.surname, email: user.email, userId: user.id };
  else {
    const [r] = await db.select().from(enablementRequests).where(eq(enablementRequests.id, key));
    if (!r) return null;
    const [u] = await db.select().from(users).where(eq(users.fiscalCode, r.fiscalCode));
    person = u
      ? { fiscalCode: u.fiscalCode, name: u.name, surname: u.surname, email: u.email, userId: u.id }
      : { fiscalCode: r.fiscalCode, name: r.name, surname: r.surname, email: r.email, userId: null };
  }
  const personAccesses = person.userId
    ? (await db
        .select({ access: accesses, scopeName: sql<string>`coalesce(${gestori.name}, ${orgUnits.name})` })
        .from(accesses)
        .leftJoin(gestori, eq(gestori.id, accesses.gestoreId))
        .leftJoin(orgUnits, eq(orgUnits.id, accesses.orgUnitId))
        .where(eq(accesses.userId, person.userId))
        .orderBy(desc(accesses.createdAt))).filter((a) => maySee(viewer, a.access))
    : [];
  const requests = (await requestsQuery(db).where(eq(enablementRequests.fiscalCode, person.fiscalCode)).orderBy(desc(enablementRequests.createdAt))).filter(
    (r) => maySee(viewer, r),
  );
  if (personAccesses.length === 0 && requests.length === 0) throw new OutOfScopeError("person");
  const objectIds = [...personAccesses.map((a) => a.access.id), ...requests.map((r) => r.id)];
  const timeline = await db
    .select({
      id: machineHistory.id,
      machine: machineHistory.machine,
      objectId: machineHistory.objectId,
      event: machineHistory.event,
      fromState: machineHistory.fromState,
      toState: machineHistory.toState,
      at: machineHistory.at,
      actorRole: machineHistory.actorRole,
      actorName: sql<string | null>`${users.name} || ' ' || ${users.surname}`,
      details: machineHistory.details,
    })
    .from(machineHistory)
    .leftJoin(users, eq(users.id, machineHistory.actorUserId))
    .where(inArray(machineHistory.objectId, objectIds))
    .orderBy(desc(machineHistory.at), desc(machineHistory.id));
  return { person, accesses: personAccesses, requests, timeline };
}

/** The administrators with an active access, each once: who is told of requests and revocations. */
export async function administrators(db: DbOrTx, now: Date) {
  return db
    .selectDistinct({ email: users.email, name: users.name, surname: users.surname })
    .from(accesses)
    .innerJoin(users, eq(users.id, accesses.userId))
    .where(and(eq(accesses.role, "amministratore"), activeNow(now)));
}

export async function hasPendingRequest(db: DbOrTx, fiscalCode: string, role: Role, scope: EnablementScope) {
  const [row] = await db
    .select({ id: enablementRequests.id })
    .from(enablementRequests)
    .where(
      and(
        eq(enablementRequests.fiscalCode, fiscalCode),
        eq(enablementRequests.role, role),
        eq(enablementRequests.state, "submitted"),
        scope.gestoreId ? eq(enablementRequests.gestoreId, scope.gestoreId) : eq(enablementRequests.orgUnitId, scope.orgUnitId!),
      ),
    );
  return Boolean(row);
}

export async function hasActiveAccess(db: DbOrTx, fiscalCode: string, role: Role, scope: { gestoreId: string | null; orgUnitId: string | null }, now: Date) {
  const [row] = await db
    .select({ id: accesses.id })
    .from(accesses)
    .innerJoin(users, eq(users.id, accesses.userId))
    .where(
      and(
        eq(users.fiscalCode, fiscalCode),
        eq(accesses.role, role),
        scope.gestoreId ? eq(accesses.gestoreId, scope.gestoreId) : eq(accesses.orgUnitId, scope.orgUnitId!),
        activeNow(now),
      ),
    );
  return Boolean(row);
}

/** Unscoped: callers check the viewer with `mayActOn` before using it. */
export async function findRequest(db: DbOrTx, id: string) {
  const [row] = await db.select().from(enablementRequests).where(eq(enablementRequests.id, id));
  return row ?? null;
}

/** Unscoped: callers check the viewer with `mayActOn` before using it. */
export async function findAccessWithPerson(db: DbOrTx, accessId: string) {
  const [row] = await db.select({ access: accesses, user: users }).from(accesses).innerJoin(users, eq(users.id, accesses.userId)).where(eq(accesses.id, accessId));
  return row ?? null;
}

/** Whether the person keeps another active access at the same gestore (their API tokens then stay). */
export async function hasOtherActiveAccessAtGestore(db: DbOrTx, access: { id: string; userId: string; gestoreId: string }, now: Date) {
  const [row] = await db
    .select({ id: accesses.id })
    .from(accesses)
    .where(and(eq(accesses.userId, access.userId), eq(accesses.gestoreId, access.gestoreId), ne(accesses.id, access.id), activeNow(now)));
  return Boolean(row);
}

/** Who asked for each access (accesses granted from the command line have nobody). */
export async function requestersOfAccesses(db: DbOrTx, accessIds: string[]) {
  if (accessIds.length === 0) return [];
  return db
    .select({ accessId: enablementRequests.accessId, requester: users })
    .from(enablementRequests)
    .innerJoin(users, eq(users.id, enablementRequests.requestedBy))
    .where(inArray(enablementRequests.accessId, accessIds));
}

export async function accessesDueToExpire(db: DbOrTx, now: Date) {
  return db.select({ id: accesses.id }).from(accesses).where(and(eq(accesses.status, "active"), lte(accesses.expiresAt, now)));
}

export async function accessesExpiringBetween(db: DbOrTx, from: Date, until: Date) {
  return db
    .select({ access: accesses, person: users })
    .from(accesses)
    .innerJoin(users, eq(users.id, accesses.userId))
    .where(and(eq(accesses.status, "active"), gt(accesses.expiresAt, from), lte(accesses.expiresAt, until)));
}
