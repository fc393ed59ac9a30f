import { and, asc, desc, eq, gt, ilike, inArray, isNull, lte, ne, or, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { OutOfScopeError, type Territory, type Viewer } from "../scope";
import { accesses, enablementRequests, gestori, machineHistory, orgUnits, users, type Role, type TerritoryLevel } from "../schema";
import { insideTerritorySql, lockQuotaTerritory, territoryInside, territoryNameSql } from "./territories";

/**
 * Where a requester may ask for access: their gestore, their org unit, or their territory (a
 * regional referente's Region, an ATS administrator's ATS; ADR 105). The scope is also what the
 * quota counts over.
 */
export type EnablementScope =
  | { gestoreId: string; orgUnitId: null; territory?: null }
  | { gestoreId: null; orgUnitId: string; territory?: null }
  | { gestoreId: null; orgUnitId: null; territory: Territory };

/**
 * The levels of the users a territorial requester names, which are also those its quota counts:
 * a Region's referente names users of the Region; an ATS administrator users of the ATS and of
 * its municipalities.
 */
export const REQUESTABLE_LEVELS: Record<TerritoryLevel, readonly TerritoryLevel[]> = { regione: ["regione"], ats: ["ats", "comune"], comune: ["comune"] };

export type RequesterScope = { scope: EnablementScope; roles: Role[]; levels: readonly TerritoryLevel[] };

/**
 * The scope and roles a viewer may request and revoke: a gestore's referente for operators and
 * referenti of their own gestore, a dirigente for officials of their own org unit, a regional
 * referente for territorial users of the Region, an ATS administrator for territorial users of
 * the ATS and its municipalities; nobody else.
 */
export function requesterScopeOf(viewer: Viewer): RequesterScope | null {
  if (viewer.role === "gestore_referente" && viewer.gestoreId)
    return { scope: { gestoreId: viewer.gestoreId, orgUnitId: null }, roles: ["gestore_operatore", "gestore_referente"], levels: [] };
  if (viewer.role === "dirigente" && viewer.orgUnitId)
    return { scope: { gestoreId: null, orgUnitId: viewer.orgUnitId }, roles: ["funzionario", "operatore_helpdesk"], levels: [] };
  const t = viewer.territory;
  if ((viewer.role === "referente_regionale" && t?.level === "regione") || (viewer.role === "amministratore_ats" && t?.level === "ats"))
    return { scope: { gestoreId: null, orgUnitId: null, territory: t }, roles: ["operatore_territoriale"], levels: REQUESTABLE_LEVELS[t.level] };
  return null;
}

type Scoped = { role: Role; gestoreId: string | null; orgUnitId: string | null; territoryLevel?: TerritoryLevel | null; territoryCode?: string | null };

/** The territory of an access or request, if it has one. */
export const territoryOfRow = (r: { territoryLevel?: TerritoryLevel | null; territoryCode?: string | null }): Territory | null =>
  r.territoryLevel && r.territoryCode ? { level: r.territoryLevel, code: r.territoryCode } : null;

async function inRequesterScope(db: DbOrTx, own: RequesterScope, target: Scoped): Promise<boolean> {
  if (own.scope.territory) {
    const t = territoryOfRow(target);
    return own.roles.includes(target.role) && t !== null && territoryInside(db, own.scope.territory, t, own.levels);
  }
  return own.scope.gestoreId ? target.gestoreId === own.scope.gestoreId : target.orgUnitId === own.scope.orgUnitId;
}

/** May the viewer act on (revoke, renew, withdraw) this access or request? Administrators on any. */
export async function mayActOn(db: DbOrTx, viewer: Viewer, target: Scoped): Promise<boolean> {
  if (viewer.role === "amministratore") return true;
  const own = requesterScopeOf(viewer);
  if (!own || !own.roles.includes(target.role)) return false;
  return inRequesterScope(db, own, target);
}

/** May the viewer see this access or request (its scope), though perhaps not act on it? */
async function maySee(db: DbOrTx, viewer: Viewer, target: Scoped): Promise<boolean> {
  if (viewer.role === "amministratore") return true;
  const own = requesterScopeOf(viewer);
  if (!own) return false;
  return inRequesterScope(db, own, target);
}

function scopeFilter(viewer: Viewer, table: typeof accesses | typeof enablementRequests): SQL | undefined {
  if (viewer.role === "amministratore") return undefined;
  const own = requesterScopeOf(viewer);
  if (!own) throw new OutOfScopeError("enablement");
  return scopeCondition(table, own.scope, own.levels, own.roles);
}

/** Rows of the scope: the gestore's, the org unit's, or (territorial) those inside the territory at the levels it names. */
function scopeCondition(table: typeof accesses | typeof enablementRequests, scope: EnablementScope, levels: readonly TerritoryLevel[], roles: Role[]): SQL {
  if (scope.territory)
    return and(inArray(table.role, roles), insideTerritorySql(sql`${table.territoryLevel}`, sql`${table.territoryCode}`, scope.territory, levels))!;
  return scope.gestoreId ? eq(table.gestoreId, scope.gestoreId) : eq(table.orgUnitId, scope.orgUnitId!);
}

/** One access's or request's own place: its gestore, org unit, or exact territory. */
function exactScope(table: typeof accesses | typeof enablementRequests, scope: { gestoreId: string | null; orgUnitId: string | null; territory?: Territory | null }): SQL {
  if (scope.territory) return and(sql`${table.territoryLevel}::text = ${scope.territory.level}`, eq(table.territoryCode, scope.territory.code))!;
  return scope.gestoreId ? eq(table.gestoreId, scope.gestoreId) : eq(table.orgUnitId, scope.orgUnitId!);
}

/** The users a territorial quota counts (ADR 105). */
const TERRITORIAL_QUOTA_ROLES: Role[] = ["operatore_territoriale"];

export function activeNow(now: Date) {
  return and(eq(accesses.status, "active"), or(isNull(accesses.expiresAt), gt(accesses.expiresAt, now)));
}

/**
 * Codici fiscali that count against a scope's quota: people with an active access there and
 * people with a pending request there.
 */
export async function quotaHolders(db: DbOrTx, scope: EnablementScope, now: Date, opts: { pending: boolean }) {
  const levels = scope.territory ? REQUESTABLE_LEVELS[scope.territory.level] : [];
  const accessScope = scopeCondition(accesses, scope, levels, TERRITORIAL_QUOTA_ROLES);
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
            scopeCondition(enablementRequests, scope, levels, TERRITORIAL_QUOTA_ROLES),
          ),
        )
    : [];
  return new Set([...active, ...pending].map((r) => r.fiscalCode));
}

/** Locks the scope's row (serialising concurrent requests for one scope) and returns its name and quota. */
export async function lockScope(db: DbOrTx, scope: EnablementScope) {
  if (scope.territory) {
    const t = await lockQuotaTerritory(db, scope.territory);
    return t ? { ...t, active: true, kind: "territory" as const } : null;
  }
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

export async function scopeLabel(db: DbOrTx, scope: { gestoreId: string | null; orgUnitId: string | null; territory?: Territory | null; territoryLevel?: TerritoryLevel | null; territoryCode?: string | null }) {
  const t = scope.territory ?? territoryOfRow(scope);
  if (t) return (await db.execute<{ name: string | null }>(sql`select ${territoryNameSql(sql`${t.level}`, sql`${t.code}`)} as name`))[0]?.name ?? t.code;
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
      territoryLevel: accesses.territoryLevel,
      territoryCode: accesses.territoryCode,
      scopeName: scopeNameOf(accesses),
      status: accesses.status,
      expiresAt: accesses.expiresAt,
      revokedAt: accesses.revokedAt,
    })
    .from(accesses)
    .innerJoin(users, eq(users.id, accesses.userId))
    .leftJoin(gestori, eq(gestori.id, accesses.gestoreId))
    .leftJoin(orgUnits, eq(orgUnits.id, accesses.orgUnitId))
    .where(scopeFilter(viewer, accesses))
    .orderBy(sql`${accesses.status} <> 'active'`, asc(users.surname), asc(users.name), desc(accesses.createdAt))
    .limit(500);
}

/** The name of an access's or request's scope: gestore, org unit or territory. */
function scopeNameOf(table: typeof accesses | typeof enablementRequests) {
  return sql<string>`coalesce(${gestori.name}, ${orgUnits.name}, ${territoryNameSql(sql`${table.territoryLevel}`, sql`${table.territoryCode}`)})`;
}

const requestColumns = {
  id: enablementRequests.id,
  state: enablementRequests.state,
  role: enablementRequests.role,
  gestoreId: enablementRequests.gestoreId,
  orgUnitId: enablementRequests.orgUnitId,
  territoryLevel: enablementRequests.territoryLevel,
  territoryCode: enablementRequests.territoryCode,
  fiscalCode: enablementRequests.fiscalCode,
  name: enablementRequests.name,
  surname: enablementRequests.surname,
  email: enablementRequests.email,
  nameMismatchConfirmed: enablementRequests.nameMismatchConfirmed,
  reason: enablementRequests.reason,
  createdAt: enablementRequests.createdAt,
  decidedAt: enablementRequests.decidedAt,
  userId: enablementRequests.userId,
  scopeName: scopeNameOf(enablementRequests),
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
  const accessRows = person.userId
    ? (await db
        .select({ access: accesses, scopeName: scopeNameOf(accesses) })
        .from(accesses)
        .leftJoin(gestori, eq(gestori.id, accesses.gestoreId))
        .leftJoin(orgUnits, eq(orgUnits.id, accesses.orgUnitId))
        .where(eq(accesses.userId, person.userId))
        .orderBy(desc(accesses.createdAt)))
    : [];
  const requestRows = await requestsQuery(db).where(eq(enablementRequests.fiscalCode, person.fiscalCode)).orderBy(desc(enablementRequests.createdAt));
  const seen = async <T,>(rows: T[], target: (r: T) => Scoped) => {
    const ok = await Promise.all(rows.map((r) => maySee(db, viewer, target(r))));
    return rows.filter((_, i) => ok[i]);
  };
  const personAccesses = await seen(accessRows, (a) => a.access);
  const requests = await seen(requestRows, (r) => r);
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

type ExactScope = { gestoreId: string | null; orgUnitId: string | null; territory?: Territory | null };

export async function hasPendingRequest(db: DbOrTx, fiscalCode: string, role: Role, scope: ExactScope) {
  const [row] = await db
    .select({ id: enablementRequests.id })
    .from(enablementRequests)
    .where(
      and(
        eq(enablementRequests.fiscalCode, fiscalCode),
        eq(enablementRequests.role, role),
        eq(enablementRequests.state, "submitted"),
        exactScope(enablementRequests, scope),
      ),
    );
  return Boolean(row);
}

export async function hasActiveAccess(db: DbOrTx, fiscalCode: string, role: Role, scope: ExactScope, now: Date) {
  const [row] = await db
    .select({ id: accesses.id })
    .from(accesses)
    .innerJoin(users, eq(users.id, accesses.userId))
    .where(
      and(
        eq(users.fiscalCode, fiscalCode),
        eq(accesses.role, role),
        exactScope(accesses, scope),
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
