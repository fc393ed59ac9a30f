import { z } from "zod";
import { audit } from "~/audit/audit.server";
import { requireInScope, type SignedIn } from "~/auth/guards.server";
import { ROLE_LABELS } from "~/auth/permissions";
import { InputError } from "~/lib/errors";
import { uploadedOrPastedText } from "~/lib/form-action.server";
import { clientIp } from "~/lib/request.server";
import { getDb } from "~db/client";
import { comuniOfAts, territoryName } from "~db/queries/territories";
import type { Territory } from "~db/scope";
import {
  listPendingRequests,
  listPeopleInScope,
  listRequestsInScope,
  mayActOn,
  personTimeline,
  requesterScopeOf,
  scopeLabel,
  scopeState,
  searchPeople,
} from "~db/queries/enablement";
import { parseBulkCsv } from "./bulk";
import {
  decideEnablementRequest,
  inactiveScopeMessage,
  renewAccess,
  revokeAccess,
  submitEnablementRequests,
  withdrawEnablementRequest,
  type RowProblem,
} from "./enablement.server";

const iso = (d: Date | null) => d?.toISOString() ?? null;
const DAY_MS = 86_400_000;

/** Accesses whose term ends within this many days are offered for renewal. */
export const RENEWAL_WINDOW_DAYS = 60;

export async function requesterPageData(signedIn: SignedIn) {
  const { actor } = signedIn;
  const own = requesterScopeOf(actor)!;
  const db = getDb();
  const now = Date.now();
  const [people, requests, label, state, places] = await Promise.all([
    listPeopleInScope(db, actor),
    listRequestsInScope(db, actor),
    scopeLabel(db, own.scope),
    scopeState(db, own.scope),
    own.scope.territory ? territoriesToName(own.scope.territory) : Promise.resolve([]),
  ]);
  const actionable = await Promise.all(people.map((p) => mayActOn(db, actor, p)));
  return {
    /** Territorial requesters: where the requested user works (an ATS administrator: the ATS or one of its municipalities). */
    territories: places,
    scopeLabel: label,
    /** Shown above the request forms when the scope takes no new enablements (ADR 29). */
    inactiveNotice: state && !state.active ? `${inactiveScopeMessage(state)}.` : null,
    roles: own.roles.map((r) => ({ value: r, label: ROLE_LABELS[r] })),
    people: people.map((p, i) => {
      const active = p.status === "active" && (!p.expiresAt || p.expiresAt.getTime() > now);
      const canAct = active && actionable[i]! && p.userId !== actor.userId;
      return {
        accessId: p.accessId,
        userId: p.userId,
        fullName: `${p.surname} ${p.name}`,
        fiscalCode: p.fiscalCode,
        email: p.email,
        roleLabel: ROLE_LABELS[p.role],
        scopeName: p.scopeName,
        status: active ? "active" : p.status === "active" ? "expired" : p.status,
        expiresAt: iso(p.expiresAt),
        daysLeft: p.expiresAt ? Math.ceil((p.expiresAt.getTime() - now) / DAY_MS) : null,
        canRevoke: canAct,
        canRenew: canAct && p.expiresAt !== null && p.expiresAt.getTime() - now < RENEWAL_WINDOW_DAYS * DAY_MS,
      };
    }),
    requests: requests.map((r) => ({
      id: r.id,
      personKey: r.userId ?? r.id,
      fullName: `${r.surname} ${r.name}`,
      fiscalCode: r.fiscalCode,
      roleLabel: ROLE_LABELS[r.role],
      scopeName: r.scopeName,
      state: r.state,
      reason: r.reason,
      requesterName: r.requesterName,
      createdAt: r.createdAt.toISOString(),
      decidedAt: iso(r.decidedAt),
      nameMismatchConfirmed: r.nameMismatchConfirmed,
    })),
  };
}

/** The places a territorial requester may name: its Region; or its ATS and the ATS's municipalities. */
async function territoriesToName(t: Territory) {
  const own = { value: `${t.level}:${t.code}`, label: await territoryName(getDb(), t) };
  if (t.level !== "ats") return [own];
  return [own, ...(await comuniOfAts(getDb(), t.code)).map((c) => ({ value: `comune:${c.code}`, label: `Comune di ${c.name}` }))];
}

const text = z.string().default("");

export const requesterAction = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("request"),
    surname: text,
    name: text,
    fiscalCode: text,
    email: text,
    role: text,
    // Never in our form: a crafted post may carry them, and is refused unless they are the requester's own.
    gestoreId: z.string().optional(),
    orgUnitId: z.string().optional(),
    territory: z.string().max(30).optional(),
    confirm: z.literal("1").optional(),
  }),
  z.object({ intent: z.literal("bulk"), csv: text, confirm: z.literal("1").optional() }),
  z.object({ intent: z.literal("withdraw"), requestId: z.uuid("Richiesta non valida") }),
  z.object({ intent: z.literal("revoke"), accessId: z.uuid("Abilitazione non valida"), reason: z.string().trim().max(500, "Motivo: al massimo 500 caratteri").default("") }),
  z.object({ intent: z.literal("renew"), accessId: z.uuid("Abilitazione non valida") }),
]);

export type ActionResult =
  | { ok: true; message: string }
  | { ok: false; error: string; errors?: RowProblem[]; warnings?: RowProblem[]; values?: Record<string, string> };

/** The requester's page and the person page share these actions. */
export async function handleRequesterAction(request: Request, signedIn: SignedIn, form: FormData): Promise<ActionResult> {
  const fields: Record<string, unknown> = {};
  for (const [k, v] of form) if (typeof v === "string") fields[k] = v;
  if (form.get("intent") === "bulk") fields.csv = await uploadedOrPastedText(form).catch((e) => (e instanceof InputError ? "" : Promise.reject(e)));
  const parsed = requesterAction.safeParse(fields);
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0]?.message ?? "Richiesta non valida" };
  const who = { actor: signedIn.actor, ip: clientIp(request) };
  const input = parsed.data;
  try {
    switch (input.intent) {
      case "request": {
        const { intent: _, confirm, ...entry } = input;
        const result = await submitEnablementRequests(who, [entry], { confirmMismatch: confirm === "1" });
        if (result.ok) return { ok: true, message: `Richiesta inviata per ${entry.name} ${entry.surname}: attende la decisione di un amministratore.` };
        const values = { surname: entry.surname, name: entry.name, fiscalCode: entry.fiscalCode, email: entry.email, role: entry.role, territory: entry.territory ?? "" };
        if (result.errors.length) return { ok: false, error: result.errors.map((e) => e.message).join(" "), values };
        return { ok: false, error: "Controllare i dati prima di inviare.", warnings: result.warnings.map((w) => ({ row: 0, message: w.message })), values };
      }
      case "bulk": {
        const parsedCsv = parseBulkCsv(input.csv);
        const lineOf = (row: number) => parsedCsv.rows[row - 1]?.line ?? 0;
        const result =
          parsedCsv.rows.length && !parsedCsv.errors.length
            ? await submitEnablementRequests(who, parsedCsv.rows, { confirmMismatch: input.confirm === "1" })
            : null;
        if (result?.ok) return { ok: true, message: `${result.ids.length} richieste inviate: attendono la decisione di un amministratore.` };
        const errors = result
          ? result.errors.map((e) => ({ row: e.row ? lineOf(e.row) : 0, message: e.message }))
          : parsedCsv.errors.map((e) => ({ row: e.line, message: e.message }));
        const warnings = result ? result.warnings.map((w) => ({ row: lineOf(w.row), message: w.message })) : [];
        if (!parsedCsv.errors.length && parsedCsv.rows.length === 0) errors.push({ row: 0, message: "Il file non contiene persone" });
        return {
          ok: false,
          error: errors.length ? "Nessuna richiesta inviata: correggere le righe indicate e inviare di nuovo l'elenco." : "Nessuna richiesta inviata: confermare i codici fiscali segnalati o correggerli.",
          errors,
          warnings,
          values: { csv: input.csv },
        };
      }
      case "withdraw":
        await withdrawEnablementRequest(who, input.requestId);
        return { ok: true, message: "Richiesta ritirata." };
      case "revoke":
        await revokeAccess(who, input.accessId, { reason: input.reason });
        return { ok: true, message: "Abilitazione revocata: le sessioni e i token API della persona per questo ambito non sono più validi." };
      case "renew":
        await renewAccess(who, input.accessId);
        return { ok: true, message: "Abilitazione rinnovata." };
    }
  } catch (e) {
    if (e instanceof InputError) return { ok: false, error: e.message };
    throw e;
  }
}

export async function adminPageData(signedIn: SignedIn, url: URL) {
  const db = getDb();
  const q = (url.searchParams.get("q") ?? "").slice(0, 100);
  const now = Date.now();
  const [pending, found] = await Promise.all([listPendingRequests(db, signedIn.actor), q ? searchPeople(db, signedIn.actor, q) : Promise.resolve([])]);
  return {
    q,
    pending: pending.map((r) => ({
      id: r.id,
      personKey: r.userId ?? r.id,
      fullName: `${r.surname} ${r.name}`,
      fiscalCode: r.fiscalCode,
      email: r.email,
      roleLabel: ROLE_LABELS[r.role],
      scopeName: r.scopeName,
      requesterName: r.requesterName,
      createdAt: r.createdAt.toISOString(),
      ageDays: Math.floor((now - r.createdAt.getTime()) / DAY_MS),
      nameMismatchConfirmed: r.nameMismatchConfirmed,
    })),
    found: found.map((p) => ({ key: p.key, fullName: `${p.surname} ${p.name}`, fiscalCode: p.fiscalCode })),
  };
}

export const adminAction = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("approve"), requestId: z.uuid("Richiesta non valida") }),
  z.object({ intent: z.literal("reject"), requestId: z.uuid("Richiesta non valida"), reason: z.string().trim().min(1, "Indicare il motivo del rifiuto").max(500, "Motivo: al massimo 500 caratteri") }),
  z.object({ intent: z.literal("approve-many"), requestIds: z.array(z.uuid("Richiesta non valida")).min(1, "Selezionare almeno una richiesta").max(200) }),
]);

/** Approves one, rejects one with a reason, or approves several (each on its own: one refusal does not stop the others). */
export async function handleAdminAction(request: Request, signedIn: SignedIn, form: FormData): Promise<ActionResult> {
  const parsed = adminAction.safeParse({ ...Object.fromEntries(form), requestIds: form.getAll("requestIds") });
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0]?.message ?? "Richiesta non valida" };
  const who = { actor: signedIn.actor, ip: clientIp(request) };
  const input = parsed.data;
  try {
    if (input.intent === "approve") {
      await decideEnablementRequest(who, input.requestId, { decision: "approve" });
      return { ok: true, message: "Richiesta approvata: l'abilitazione è attiva." };
    }
    if (input.intent === "reject") {
      await decideEnablementRequest(who, input.requestId, { decision: "reject", reason: input.reason });
      return { ok: true, message: "Richiesta respinta." };
    }
    const refused: RowProblem[] = [];
    let approved = 0;
    for (const [i, id] of input.requestIds.entries()) {
      try {
        await decideEnablementRequest(who, id, { decision: "approve" });
        approved++;
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        refused.push({ row: i + 1, message: e.message });
      }
    }
    if (refused.length) return { ok: false, error: `${approved} richieste approvate, ${refused.length} non approvate.`, errors: refused };
    return { ok: true, message: `${approved} richieste approvate.` };
  } catch (e) {
    if (e instanceof InputError) return { ok: false, error: e.message };
    throw e;
  }
}

export async function personPageData(request: Request, signedIn: SignedIn, key: string) {
  const { actor } = signedIn;
  if (!z.uuid().safeParse(key).success) throw new Response("Persona non trovata", { status: 404 });
  const t = await requireInScope(request, actor, () => personTimeline(getDb(), actor, key), "Persona non trovata");
  // Every view of a person's data is audited (the key, never the codice fiscale, names the object).
  await audit(getDb(), { actor, ip: clientIp(request) }, {
    action: "person.view",
    objectType: t.person.userId ? "user" : "enablement_request",
    objectId: key,
    gestoreId: actor.gestoreId,
  });
  const now = Date.now();
  const mayAct = await Promise.all(t.accesses.map(({ access }) => mayActOn(getDb(), actor, access)));
  return {
    person: t.person,
    accesses: t.accesses.map(({ access, scopeName }, i) => {
      const active = access.status === "active" && (!access.expiresAt || access.expiresAt.getTime() > now);
      const actionable = active && mayAct[i]! && access.userId !== actor.userId;
      return {
        id: access.id,
        roleLabel: ROLE_LABELS[access.role],
        scopeName,
        status: active ? "active" : access.status === "active" ? "expired" : access.status,
        expiresAt: iso(access.expiresAt),
        canRevoke: actionable,
        canRenew: actionable && access.expiresAt !== null,
      };
    }),
    requests: t.requests.map((r) => ({
      id: r.id,
      roleLabel: ROLE_LABELS[r.role],
      scopeName: r.scopeName,
      state: r.state,
      reason: r.reason,
      createdAt: r.createdAt.toISOString(),
      nameMismatchConfirmed: r.nameMismatchConfirmed,
    })),
    timeline: t.timeline.map((h) => ({
      id: h.id,
      machine: h.machine,
      event: h.event,
      fromState: h.fromState,
      toState: h.toState,
      at: h.at.toISOString(),
      by: h.actorName ?? (h.actorRole?.startsWith("system:") ? "Sistema" : "—"),
      reason: typeof h.details.reason === "string" ? h.details.reason : null,
    })),
  };
}
