import { italianDate, romeDate } from "~/lib/dates";
import { and, eq, isNull } from "drizzle-orm";
import type { TransactionSql } from "postgres";
import { audit, type ChangeAuthor } from "~/audit/audit.server";
import { ROLE_LABELS } from "~/auth/permissions";
import { getConfig } from "~/config.server";
import { InputError } from "~/lib/errors";
import { queueMail } from "~/mail/outbox.server";
import { drizzleOver, getDb, getSql, type Database } from "~db/client";
import {
  accessesDueToExpire,
  accessesExpiringBetween,
  administrators,
  findAccessWithPerson,
  findRequest,
  hasActiveAccess,
  hasOtherActiveAccessAtGestore,
  hasPendingRequest,
  lockScope,
  mayActOn,
  quotaHolders,
  requestersOfAccesses,
  requesterScopeOf,
  scopeLabel,
  territoryOfRow,
  type EnablementScope,
} from "~db/queries/enablement";
import { findUserByFiscalCode, findUserById } from "~db/queries/users";
import { quotaTerritoryOf, territoryInside } from "~db/queries/territories";
import type { Territory, Viewer } from "~db/scope";
import { TERRITORY_LEVELS } from "~db/schema";
import { accesses, apiTokens, enablementRequests, sessions, users, type Role } from "~db/schema";
import {
  ACCESS_BINDING,
  ENABLEMENT_REQUEST_BINDING,
  EventRefused,
  runMachineEvent,
  startMachine,
} from "~/machines/runner.server";
import { ACCESS_MACHINE_VERSION } from "~workflows/access.machine";
import { ENABLEMENT_REQUEST_MACHINE_VERSION } from "~workflows/enablement-request.machine";
import { nameMismatch, personInput, type PersonInput } from "./person";

/** The acting person, as guards yield them; `ip` for the audit log. */
export type EnablementActor = Viewer & { fiscalCode: string; name: string; surname: string; email: string };
type Who = { actor: EnablementActor; ip?: string | null };

/** One row a requester sent: a person and the role asked for; scope fields only from crafted posts. */
export type RequestEntry = {
  surname?: unknown;
  name?: unknown;
  fiscalCode?: unknown;
  email?: unknown;
  role?: unknown;
  gestoreId?: unknown;
  orgUnitId?: unknown;
  /** Territorial requesters: where the person works, "<livello>:<codice>" (default: the requester's territory). */
  territory?: unknown;
};

export type RowProblem = { row: number; message: string };

export type SubmitResult =
  | { ok: true; ids: string[] }
  | { ok: false; errors: RowProblem[]; warnings: RowProblem[] };

const auditWho = (who: Who): ChangeAuthor => ({
  actor: { userId: who.actor.userId, fiscalCode: who.actor.fiscalCode, role: who.actor.role },
  ip: who.ip ?? null,
});

/** Thrown inside a transaction to roll it back and hand the collected problems out. */
class Refusal extends Error {
  constructor(readonly errors: RowProblem[]) {
    super("refused");
  }
}

/** A deactivated gestore or org unit takes no new enablements (docs/decisions/0029). */
export const inactiveScopeMessage = (scope: { label: string; kind: "gestore" | "org_unit" | "territory" }) =>
  scope.kind === "territory"
    ? `${scope.label} non accetta nuove abilitazioni`
    : scope.kind === "gestore"
    ? `L'ente gestore ${scope.label} è disattivato: non si possono chiedere né approvare nuove abilitazioni per i suoi operatori`
    : `La struttura ${scope.label} non è attiva: non si possono chiedere né approvare nuove abilitazioni per i suoi funzionari`;

const fullName = (p: { name: string; surname: string }) => `${p.name} ${p.surname}`;
const dateIt = (d: Date) => italianDate(romeDate(d));
const link = (path: string) => `${getConfig().baseUrl}${path}`;

export function addMonths(d: Date, months: number): Date {
  const r = new Date(d.getTime());
  const day = r.getUTCDate();
  r.setUTCMonth(r.getUTCMonth() + months);
  // 31 January + 1 month is the last day of February, not 3 March.
  if (r.getUTCDate() < day) r.setUTCDate(0);
  return r;
}

/**
 * Sends one or more enablement requests (the single form is a list of one). Each row is
 * validated; a codice fiscale whose letters do not match the names is a warning the requester
 * must confirm; a row outside the requester's scope or role, a duplicate pending request, a
 * person already active in the scope, or going beyond the scope's quota refuses the whole
 * submission with every problem listed and nothing written.
 */
export async function submitEnablementRequests(
  who: Who,
  entries: RequestEntry[],
  opts: { confirmMismatch?: boolean; now?: Date } = {},
): Promise<SubmitResult> {
  const now = opts.now ?? new Date();
  const own = requesterScopeOf(who.actor);
  if (!own) throw new InputError("Solo i referenti degli enti gestori, i dirigenti, i referenti regionali e gli amministratori di ATS possono chiedere abilitazioni");
  const errors: RowProblem[] = [];
  const warnings: RowProblem[] = [];
  const people: (PersonInput & { role: Role; row: number; territory: Territory | null })[] = [];
  let crafted = false;
  for (const [i, entry] of entries.entries()) {
    const row = i + 1;
    const gestoreId = entry.gestoreId || null;
    const orgUnitId = entry.orgUnitId || null;
    if ((gestoreId && gestoreId !== own.scope.gestoreId) || (orgUnitId && orgUnitId !== own.scope.orgUnitId) || (entry.territory && !own.scope.territory)) {
      crafted = true;
      errors.push({ row, message: own.scope.gestoreId ? "Puoi chiedere abilitazioni solo per il tuo ente gestore" : own.scope.orgUnitId ? "Puoi chiedere abilitazioni solo per la tua struttura" : "Puoi chiedere abilitazioni solo per il tuo territorio" });
      continue;
    }
    const territory = own.scope.territory ? await requestedTerritory(entry.territory, own) : null;
    if (own.scope.territory && !territory) {
      crafted = true;
      errors.push({ row, message: "Puoi chiedere abilitazioni solo per il tuo territorio" });
      continue;
    }
    // Without a role, the first the requester may ask for: operator for a gestore, official for an org unit.
    const role = (entry.role || own.roles[0]) as Role;
    if (!own.roles.includes(role)) {
      crafted ||= Boolean(entry.role);
      errors.push({ row, message: `Ruolo non ammesso: puoi chiedere ${own.roles.map((r) => ROLE_LABELS[r]).join(" o ")}` });
      continue;
    }
    const parsed = personInput.safeParse(entry);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) errors.push({ row, message: issue.message });
      continue;
    }
    const mismatch = nameMismatch(parsed.data);
    if (mismatch && !opts.confirmMismatch) warnings.push({ row, message: mismatch });
    people.push({ ...parsed.data, role, row, territory });
  }
  if (crafted) {
    await audit(null, auditWho(who), {
      action: "enablement_request.submit",
      outcome: "denied",
      objectType: "enablement_request",
      details: { reason: "out_of_scope" },
    });
  }
  if (errors.length || warnings.length) return { ok: false, errors, warnings };

  try {
    const ids = await getSql().begin(async (tx) => {
      const db = drizzleOver(tx);
      const scope = await lockScope(db, own.scope);
      if (!scope) throw new Error("requester scope not found");
      if (!scope.active) throw new Refusal([{ row: 0, message: inactiveScopeMessage(scope) }]);
      const problems: RowProblem[] = [];
      const seen = new Set<string>();
      for (const p of people) {
        const key = `${p.fiscalCode}|${p.role}`;
        if (seen.has(key)) problems.push({ row: p.row, message: `${p.fiscalCode}: persona ripetuta nell'elenco con lo stesso ruolo` });
        seen.add(key);
        const exact = p.territory ? { gestoreId: null, orgUnitId: null, territory: p.territory } : own.scope;
        if (await hasPendingRequest(db, p.fiscalCode, p.role, exact)) problems.push({ row: p.row, message: `${p.fiscalCode}: esiste già una richiesta in attesa per questa persona con questo ruolo` });
        if (await hasActiveAccess(db, p.fiscalCode, p.role, exact, now))
          problems.push({ row: p.row, message: `${p.fiscalCode}: la persona è già abilitata con questo ruolo` });
      }
      const holders = await quotaHolders(db, own.scope, now, { pending: true });
      const newcomers = new Set(people.map((p) => p.fiscalCode).filter((cf) => !holders.has(cf)));
      if (holders.size + newcomers.size > scope.quota)
        problems.push({
          row: 0,
          message: `Quota superata: ${scope.label} ha ${holders.size} utenti abilitati o in attesa su un massimo di ${scope.quota}; con questa richiesta sarebbero ${holders.size + newcomers.size}`,
        });
      if (problems.length) throw new Refusal(problems);

      const created: string[] = [];
      for (const p of people) {
        const { row } = await startMachine(tx, ENABLEMENT_REQUEST_BINDING, {
          input: { submittedAt: now.toISOString() },
          at: now,
          who: auditWho(who),
          details: { role: p.role, nameMismatchConfirmed: Boolean(nameMismatch(p)) },
          create: async (d, snapshot) =>
            (await d
              .insert(enablementRequests)
              .values({
                state: snapshot.value as "submitted",
                role: p.role,
                gestoreId: own.scope.gestoreId,
                orgUnitId: own.scope.orgUnitId,
                territoryLevel: p.territory?.level ?? null,
                territoryCode: p.territory?.code ?? null,
                fiscalCode: p.fiscalCode,
                name: p.name,
                surname: p.surname,
                email: p.email,
                nameMismatchConfirmed: Boolean(nameMismatch(p)),
                requestedBy: who.actor.userId,
                snapshot: { ...snapshot, version: ENABLEMENT_REQUEST_MACHINE_VERSION },
                createdAt: now,
                updatedAt: now,
              })
              .returning())[0]!,
        });
        created.push(row.id);
      }
      for (const admin of await administrators(db, now)) {
        await queueMail(tx, {
          to: admin.email,
          template: "enablement-requested",
          data: {
            recipientName: fullName(admin),
            requesterName: fullName(who.actor),
            scopeLabel: scope.label,
            count: people.length,
            people: people.map((p) => ({ fullName: fullName(p), roleLabel: ROLE_LABELS[p.role] })),
            link: link("/admin/abilitazioni"),
          },
        });
      }
      return created;
    });
    return { ok: true, ids };
  } catch (e) {
    if (e instanceof Refusal) return { ok: false, errors: e.errors, warnings: [] };
    // Two submissions raced past the pending check: the partial unique index stopped the second.
    if (isUniqueViolation(e, "enablement_requests_one_pending"))
      return { ok: false, errors: [{ row: 0, message: "Esiste già una richiesta in attesa per questa persona con questo ruolo" }], warnings: [] };
    throw e;
  }
}

/**
 * Where a territorial requester asks a user to work: "<livello>:<codice>" inside its territory at
 * a level it may name (ADR 105); none named is its own territory. Null: outside, or not a territory.
 */
async function requestedTerritory(raw: unknown, own: NonNullable<ReturnType<typeof requesterScopeOf>>): Promise<Territory | null> {
  const mine = own.scope.territory!;
  if (raw === undefined || raw === null || raw === "") return own.levels.includes(mine.level) ? mine : null;
  const m = typeof raw === "string" ? /^([a-z]+):([A-Za-z0-9-]{2,20})$/.exec(raw) : null;
  if (!m || !(TERRITORY_LEVELS as readonly string[]).includes(m[1]!)) return null;
  const t = { level: m[1] as Territory["level"], code: m[2]! };
  return (await territoryInside(getDb(), mine, t, own.levels)) ? t : null;
}

function isUniqueViolation(e: unknown, constraint: string) {
  const err = e as { code?: string; constraint_name?: string };
  return err?.code === "23505" && err.constraint_name === constraint;
}

const STALE_REQUEST = "La richiesta non è più in attesa: è già stata decisa o ritirata. Nessuna modifica è stata fatta.";

/** Loads a request for a decision or withdrawal, refusing one outside the actor's scope. */
async function requestFor(db: Database, actor: EnablementActor, id: string) {
  const row = await findRequest(db, id);
  if (!row) throw new InputError("Richiesta non trovata");
  if (!(await mayActOn(db, actor, row))) throw new InputError("Richiesta non trovata");
  return row;
}

/** The requester's side takes back a request not yet decided. */
export async function withdrawEnablementRequest(who: Who, requestId: string, opts: { now?: Date } = {}) {
  const now = opts.now ?? new Date();
  try {
    return await getSql().begin(async (tx) => {
      const db = drizzleOver(tx);
      await requestFor(db, who.actor, requestId);
      return runMachineEvent(tx, ENABLEMENT_REQUEST_BINDING, {
        id: requestId,
        event: { type: "WITHDRAW", at: now.toISOString(), by: who.actor.userId },
        who: auditWho(who),
      });
    });
  } catch (e) {
    if (e instanceof EventRefused) throw new InputError(STALE_REQUEST);
    throw e;
  }
}

export type Decision = { decision: "approve" } | { decision: "reject"; reason: string };

/**
 * An administrator approves (the person's access becomes active, the user is created if new) or
 * rejects with a reason. A request decided or withdrawn meanwhile is refused, never applied twice.
 */
export async function decideEnablementRequest(who: Who, requestId: string, decision: Decision, opts: { now?: Date } = {}) {
  if (who.actor.role !== "amministratore") throw new InputError("Solo un amministratore decide le richieste di abilitazione");
  const now = opts.now ?? new Date();
  const at = now.toISOString();
  try {
    return await getSql().begin(async (tx) => {
      const event =
        decision.decision === "approve"
          ? ({ type: "APPROVE", at, by: who.actor.userId } as const)
          : ({ type: "REJECT", at, by: who.actor.userId, reason: decision.reason } as const);
      if (event.type === "REJECT" && !event.reason.trim()) throw new InputError("Indicare il motivo del rifiuto");
      return runMachineEvent(tx, ENABLEMENT_REQUEST_BINDING, {
        id: requestId,
        event,
        who: auditWho(who),
        details: event.type === "REJECT" ? { reason: event.reason.trim() } : {},
        followUp: async ({ row, db }) => {
          const label = await scopeLabel(db, row);
          let expiresOn = "";
          if (event.type === "APPROVE") {
            const access = await grantAccess(tx, db, who, row, now);
            expiresOn = dateIt(access.expiresAt!);
          }
          const requester = (await findUserById(db, row.requestedBy))!;
          const common = {
            personName: fullName(row),
            roleLabel: ROLE_LABELS[row.role],
            scopeLabel: label,
            approved: event.type === "APPROVE",
            reason: event.type === "REJECT" ? event.reason.trim() : "",
            expiresOn,
            link: link("/"),
          };
          await queueMail(tx, { to: requester.email, template: "enablement-decided", data: { ...common, recipientName: fullName(requester) } });
          if (requester.email !== row.email)
            await queueMail(tx, { to: row.email, template: "enablement-decided", data: { ...common, recipientName: fullName(row) } });
        },
      });
    });
  } catch (e) {
    if (e instanceof EventRefused) throw new InputError(STALE_REQUEST);
    throw e;
  }
}

/** Approval's follow-up: the user (found or created) and a new active access, started as a machine. */
async function grantAccess(tx: TransactionSql, db: Database, who: Who, request: typeof enablementRequests.$inferSelect, now: Date) {
  const territory = territoryOfRow(request);
  // A territorial access counts against its territory's quota: a municipality's is its ATS's (ADR 105).
  const scope = (
    territory ? { gestoreId: null, orgUnitId: null, territory: await quotaTerritoryOf(db, territory) } : { gestoreId: request.gestoreId, orgUnitId: request.orgUnitId }
  ) as EnablementScope;
  const locked = await lockScope(db, scope);
  if (!locked) throw new InputError("Il territorio della richiesta non esiste più: la richiesta non può essere approvata");
  if (!locked.active) throw new InputError(inactiveScopeMessage(locked));
  if (await hasActiveAccess(db, request.fiscalCode, request.role, { gestoreId: request.gestoreId, orgUnitId: request.orgUnitId, territory }, now))
    throw new InputError("La persona è già abilitata con questo ruolo in questo ambito: la richiesta non può essere approvata");
  const holders = await quotaHolders(db, scope, now, { pending: false });
  if (!holders.has(request.fiscalCode) && holders.size >= locked.quota)
    throw new InputError(`Quota raggiunta: ${locked.label} ha già ${holders.size} utenti abilitati su un massimo di ${locked.quota}`);
  let user = await findUserByFiscalCode(db, request.fiscalCode);
  if (!user) {
    [user] = await db
      .insert(users)
      .values({ fiscalCode: request.fiscalCode, name: request.name, surname: request.surname, email: request.email })
      .returning();
    await audit(db, auditWho(who), { action: "user.create", objectType: "user", objectId: user!.id, details: { enablementRequestId: request.id } });
  }
  // An access revoked or expired earlier stays as history; a new one starts its own machine.
  const expiresAt = addMonths(now, getConfig().accessTermMonths);
  const { row: access } = await startMachine(tx, ACCESS_BINDING, {
    input: { expiresAt: expiresAt.toISOString() },
    at: now,
    who: auditWho(who),
    details: { enablementRequestId: request.id, role: request.role },
    create: async (d, snapshot) =>
      (await d
        .insert(accesses)
        .values({
          userId: user!.id,
          role: request.role,
          gestoreId: request.gestoreId,
          orgUnitId: request.orgUnitId,
          territoryLevel: request.territoryLevel,
          territoryCode: request.territoryCode,
          status: "active",
          validFrom: now,
          expiresAt,
          snapshot: { ...snapshot, version: ACCESS_MACHINE_VERSION },
        })
        .returning())[0]!,
  });
  await db.update(enablementRequests).set({ userId: user!.id, accessId: access.id }).where(eq(enablementRequests.id, request.id));
  return access;
}

async function accessFor(db: Database, actor: EnablementActor, accessId: string) {
  const row = await findAccessWithPerson(db, accessId);
  if (!row || !(await mayActOn(db, actor, row.access))) throw new InputError("Abilitazione non trovata");
  return row;
}

/**
 * Ends an access's effects at once: its sessions, and the person's API tokens for the gestore
 * when no other active access of theirs remains there.
 */
async function endAccessEffects(db: Database, access: typeof accesses.$inferSelect, now: Date) {
  await db.delete(sessions).where(eq(sessions.accessId, access.id));
  if (!access.gestoreId) return;
  if (await hasOtherActiveAccessAtGestore(db, access as typeof access & { gestoreId: string }, now)) return;
  await db
    .update(apiTokens)
    .set({ revokedAt: now })
    .where(and(eq(apiTokens.userId, access.userId), eq(apiTokens.gestoreId, access.gestoreId), isNull(apiTokens.revokedAt)));
}

/**
 * Deactivation reduces access, so it needs no approval: it takes effect when asked. The
 * requester is told by mail, and the administrators too when they did not do it themselves.
 */
export async function revokeAccess(who: Who, accessId: string, opts: { reason?: string; now?: Date } = {}) {
  const now = opts.now ?? new Date();
  const reason = opts.reason?.trim() ?? "";
  try {
    return await getSql().begin(async (tx) => {
      const db = drizzleOver(tx);
      const { user } = await accessFor(db, who.actor, accessId);
      if (user.id === who.actor.userId) throw new InputError("Non puoi revocare la tua stessa abilitazione");
      return runMachineEvent(tx, ACCESS_BINDING, {
        id: accessId,
        event: { type: "REVOKE", at: now.toISOString(), reason },
        who: auditWho(who),
        details: reason ? { reason } : {},
        followUp: async ({ row }) => {
          await endAccessEffects(db, row, now);
          const data = {
            personName: fullName(user),
            roleLabel: ROLE_LABELS[row.role],
            scopeLabel: await scopeLabel(db, row),
            byName: fullName(who.actor),
            when: dateIt(now),
            reason: reason || "non indicato",
          };
          await queueMail(tx, { to: who.actor.email, template: "access-revoked", data: { ...data, recipientName: fullName(who.actor) } });
          // Whoever asked for this access is told too, when someone else revoked it.
          const [origin] = await requestersOfAccesses(db, [row.id]);
          if (origin && origin.requester.id !== who.actor.userId)
            await queueMail(tx, { to: origin.requester.email, template: "access-revoked", data: { ...data, recipientName: fullName(origin.requester) } });
          if (who.actor.role !== "amministratore")
            for (const admin of await administrators(db, now))
              await queueMail(tx, { to: admin.email, template: "access-revoked", data: { ...data, recipientName: fullName(admin) } });
        },
      });
    });
  } catch (e) {
    if (e instanceof EventRefused) throw new InputError("L'abilitazione non è più attiva: nessuna modifica è stata fatta");
    throw e;
  }
}

/** The requester's side extends an access before it expires: a full term from today. */
export async function renewAccess(who: Who, accessId: string, opts: { now?: Date } = {}) {
  const now = opts.now ?? new Date();
  const expiresAt = addMonths(now, getConfig().accessTermMonths);
  try {
    return await getSql().begin(async (tx) => {
      const db = drizzleOver(tx);
      await accessFor(db, who.actor, accessId);
      return runMachineEvent(tx, ACCESS_BINDING, {
        id: accessId,
        event: { type: "RENEW", at: now.toISOString(), expiresAt: expiresAt.toISOString() },
        who: auditWho(who),
        details: { expiresAt: expiresAt.toISOString() },
      });
    });
  } catch (e) {
    if (e instanceof EventRefused)
      throw new InputError("L'abilitazione non si può rinnovare: è già scaduta o revocata, oppure non ha una scadenza");
    throw e;
  }
}

const EXPIRY_SYSTEM = "enablement-expiry";

/** The expiry job: every active access whose term is over becomes expired, with its effects. */
export async function expireAccesses(now = new Date()) {
  const db = getDb();
  const due = await accessesDueToExpire(db, now);
  let expired = 0;
  for (const { id } of due) {
    try {
      await getSql().begin((tx) =>
        runMachineEvent(tx, ACCESS_BINDING, {
          id,
          event: { type: "EXPIRE", at: now.toISOString() },
          who: { system: EXPIRY_SYSTEM },
          followUp: async ({ row, db: d }) => endAccessEffects(d, row, now),
        }),
      );
      expired++;
    } catch (e) {
      // Renewed or revoked between the read and the lock: nothing to expire.
      if (!(e instanceof EventRefused)) throw e;
    }
  }
  return { expired };
}

export const REMINDER_DAYS = [30, 7] as const;
const DAY_MS = 86_400_000;

/**
 * The reminder job: tells the requester of each access expiring within 30 days, and again within
 * 7. The dedupe key names the access, its current expiry and the step, so a job that runs twice
 * sends one message, and a renewed access gets fresh reminders before its new expiry.
 */
export async function sendExpiryReminders(now = new Date()) {
  const sqlc = getSql();
  const db = getDb();
  const due = await accessesExpiringBetween(db, now, new Date(now.getTime() + REMINDER_DAYS[0] * DAY_MS));
  if (due.length === 0) return { queued: 0 };
  const requests = await requestersOfAccesses(db, due.map((d) => d.access.id));
  let queued = 0;
  for (const { access, person } of due) {
    const requester = requests.find((r) => r.accessId === access.id)?.requester;
    if (!requester) continue; // granted outside a request (command line): nobody asked for it
    const daysLeft = Math.ceil((access.expiresAt!.getTime() - now.getTime()) / DAY_MS);
    const step = daysLeft <= REMINDER_DAYS[1] ? REMINDER_DAYS[1] : REMINDER_DAYS[0];
    const sent = await sqlc.begin(async (tx) =>
      queueMail(tx, {
        to: requester.email,
        template: "access-expiring",
        dedupeKey: `access-expiring:${access.id}:${access.expiresAt!.toISOString()}:${step}`,
        data: {
          recipientName: fullName(requester),
          personName: fullName(person),
          roleLabel: ROLE_LABELS[access.role],
          scopeLabel: await scopeLabel(drizzleOver(tx), access),
          expiresOn: dateIt(access.expiresAt!),
          daysLeft,
          link: link("/abilitazioni"),
        },
      }),
    );
    if (sent) queued++;
  }
  return { queued };
}
