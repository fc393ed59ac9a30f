import { z } from "zod";
import { audit } from "~/audit/audit.server";
import { forbidden, requireForm, requirePermission, type SignedIn } from "~/auth/guards.server";
import { applicationWorkAction } from "~/backoffice/pages.server";
import { handlingView } from "~/backoffice/worklist.server";
import { officialsOf } from "~db/queries/backoffice";
import { allFields, fieldLabel } from "~/forms/definition";
import { InputError } from "~/lib/errors";
import { clientIp } from "~/lib/request.server";
import { getDb } from "~db/client";
import { applicationCounts, applicationCountsByOffice, applicationHandlingOf, officialsReachingApplication, applicationTimeline, routingChoicesOf, orgUnitCodeOf, filesOfApplication, handlesApplication, searchApplications, type ApplicationFilters } from "~db/queries/applications";
import { APPLICATION_STATES } from "~db/schema";
import type { ApplicationContext } from "~workflows/application.machine";
import { openApplication } from "./applications.server";
import { applyOfficeEvent } from "./handling.server";
import { tableDownload } from "~/monitoring/monitoring.server";
import { readApplicationThread } from "./messages.server";
import { sendMessage, STATE_LABELS } from "./pages.server";
import { dateTimeMs, onBehalfText, shownAnswer } from "./receipt.server";

/** The officials' pages of online applications (/domande-ricevute): search, export, handling. */

/** Who has the application in charge, and the colleagues it may be assigned to (ADR 112): the practice page's handling box. */
async function applicationWorkPart(signedIn: SignedIn, id: string) {
  const db = getDb();
  const [[item], colleagues, reach] = await Promise.all([applicationHandlingOf(db, [id]), officialsOf(db, signedIn.actor.orgUnitId), officialsReachingApplication(db, id)]);
  const reached = new Set(reach);
  return {
    me: signedIn.actor.userId,
    workItem: item ? handlingView(item) : null,
    colleagues: colleagues.filter((c) => reached.has(c.userId)),
  };
}

const PAGE_SIZE = 50;
const blank = (v: unknown) => (v === "" || v === null ? undefined : v);
const filtersSchema = z.object({
  procedimento: z.preprocess(blank, z.uuid().optional()),
  anno: z.preprocess(blank, z.coerce.number().int().min(2000).max(2100).optional()),
  stato: z.preprocess(blank, z.enum(APPLICATION_STATES).optional()),
  ufficio: z.preprocess(blank, z.string().max(32).optional()),
  numero: z.preprocess(blank, z.string().max(30).optional()),
  richiedente: z.preprocess(blank, z.string().max(100).optional()),
  dal: z.preprocess(blank, z.iso.date().optional()),
  al: z.preprocess(blank, z.iso.date().optional()),
  pagina: z.preprocess(blank, z.coerce.number().int().min(1).max(100000).optional()),
});

function filtersOf(url: URL) {
  const parsed = filtersSchema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) throw new Response("Filtri non validi: correggere i valori e riprovare.", { status: 400 });
  const p = parsed.data;
  const filters: ApplicationFilters = { procedureId: p.procedimento, year: p.anno, state: p.stato, office: p.ufficio, number: p.numero, applicant: p.richiedente, from: p.dal, to: p.al };
  return { filters, page: p.pagina ?? 1 };
}

export async function officeListPage(request: Request) {
  const signedIn = await requirePermission(request, "applications.handle");
  const url = new URL(request.url);
  const { filters, page } = filtersOf(url);
  const db = getDb();
  const { rows, total } = await searchApplications(db, signedIn.actor, filters, { offset: (page - 1) * PAGE_SIZE, size: PAGE_SIZE });
  return {
    query: Object.fromEntries(url.searchParams),
    page,
    pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    total,
    states: APPLICATION_STATES.filter((s) => s !== "bozza").map((s) => ({ value: s, label: STATE_LABELS[s]! })),
    rows: rows.map((r) => ({ id: r.id, number: r.number, state: STATE_LABELS[r.state] ?? r.state, submittedAt: r.submittedAt.toISOString(), procedure: r.procedure, applicant: r.applicant, fiscalCode: r.fiscal_code, business: r.on_behalf_of?.name ?? null })),
    counts: (await applicationCounts(db, signedIn.actor)).map((c) => ({ procedure: c.procedure, state: STATE_LABELS[c.state] ?? c.state, n: Number(c.n) })),
    countsByOffice: (await applicationCountsByOffice(db, signedIn.actor)).map((c) => ({ procedure: c.procedure, office: c.office, state: STATE_LABELS[c.state] ?? c.state, n: Number(c.n) })),
  };
}

const formatSchema = z.enum(["csv", "xlsx"]).default("csv");

/**
 * The whole search (the official's reach, the page's filters) as CSV for Excel or XLSX, through
 * the monitoring exports' one table download; audited with the format and the row count: it names applicants.
 */
export async function officeExport(request: Request) {
  const signedIn = await requirePermission(request, "applications.handle");
  const url = new URL(request.url);
  const format = formatSchema.safeParse(url.searchParams.get("formato") ?? undefined);
  if (!format.success) throw new Response("Formato non valido: scegliere CSV o XLSX.", { status: 400 });
  url.searchParams.delete("formato");
  const { filters } = filtersOf(url);
  const { rows } = await searchApplications(getDb(), signedIn.actor, filters, { offset: 0, size: 100_000 });
  await audit(getDb(), { actor: signedIn.actor, ip: clientIp(request) }, { action: "application.export", objectType: "application", details: { rows: rows.length, format: format.data } });
  const table = {
    title: "Domande online",
    head: ["Numero", "Procedimento", "Richiedente", "Codice fiscale", "Per conto di", "Codice fiscale / partita IVA impresa", "Ricevuta il", "Stato"],
    rows: rows.map((r) => [r.number, r.procedure, r.applicant, r.fiscal_code, r.on_behalf_of?.name ?? "", r.on_behalf_of?.code ?? "", dateTimeMs(r.submittedAt), STATE_LABELS[r.state] ?? r.state]),
  };
  return tableDownload(table, "domande", format.data);
}

export async function officeDetailPage(request: Request, id: string) {
  const signedIn = await requirePermission(request, "applications.handle");
  const app = await openApplication(request, signedIn, id);
  const a = app.application;
  if (!a.number) throw new Response("Domanda non trovata.", { status: 404 });
  const db = getDb();
  await audit(db, { actor: signedIn.actor, ip: clientIp(request) }, { action: "application.view", objectType: "application", objectId: id });
  const context = (a.snapshot as { context: ApplicationContext }).context;
  const fields = allFields(app.form);
  return {
    id,
    myOffice: await orgUnitCodeOf(db, signedIn.actor.orgUnitId),
    handles: await handlesApplication(db, signedIn.actor, id),
    work: await applicationWorkPart(signedIn, id),
    number: a.number,
    procedure: app.procedure.title,
    applicant: `${app.applicant.surname} ${app.applicant.name} (${app.applicant.fiscalCode})`,
    onBehalfOf: onBehalfText(a.onBehalfOf),
    thread: await readApplicationThread(signedIn.actor, id),
    stateKey: a.state,
    state: STATE_LABELS[a.state] ?? a.state,
    submittedAt: dateTimeMs(a.submittedAt!),
    dataSha256: a.dataSha256,
    offices: context.offices.map((o) => ({ code: o, opinion: context.opinions[o] ?? null })),
    routing: await routingChoicesOf(db, id),
    integrationDueOn: context.integrationDueOn,
    decisionReasons: context.decisionReasons,
    timeline: (await applicationTimeline(db, id)).map((t) => ({ at: t.at.toISOString(), to: STATE_LABELS[t.toState] ?? t.toState, event: t.event })),
    files: (await filesOfApplication(db, id)).map((f) => ({ id: f.id, kind: f.kind, fileName: f.fileName, sizeBytes: f.sizeBytes })),
    answers: fields.filter((f) => a.data[f.key] !== undefined).map((f) => ({ label: fieldLabel(f), value: shownAnswer(f, a.data[f.key]) })),
  };
}

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("parere"), office: z.string().min(1).max(32), outcome: z.enum(["favorevole", "sfavorevole"], { message: "Scegliere l'esito del parere" }), notes: z.string().max(2000, "Note: al massimo 2000 caratteri").default("") }),
  z.object({ intent: z.literal("avvia") }),
  z.object({ intent: z.literal("work") }),
  z.object({ intent: z.literal("messaggio"), body: z.string() }),
  z.object({ intent: z.literal("integrazione"), dueOn: z.iso.date("Indicare la data entro cui rispondere") }),
  z.object({ intent: z.literal("esito"), outcome: z.enum(["accolta", "respinta"], { message: "Scegliere l'esito" }), reasons: z.string().trim().min(1, "Le motivazioni sono obbligatorie").max(4000, "Motivazioni: al massimo 4000 caratteri") }),
]);

export async function officeAction(request: Request, id: string) {
  const signedIn = await requirePermission(request, "applications.handle");
  const form = await requireForm(request, signedIn);
  const parsed = actionSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { ok: false as const, error: parsed.error.issues[0]!.message };
  await openApplication(request, signedIn, id);
  const who = { actor: signedIn.actor, ip: clientIp(request) };
  const at = new Date().toISOString();
  const input = parsed.data;
  if (input.intent === "messaggio") return sendMessage(request, signedIn, id, form);
  // Taking in charge is open to every office the application reaches, as its worklist rows are (ADR 112).
  if (input.intent === "work") return applicationWorkAction(request, signedIn, id, form);
  // Opinion offices only give their opinion: the page offers them nothing else (ADR 90).
  if (input.intent !== "parere" && !(await handlesApplication(getDb(), signedIn.actor, id))) {
    throw await forbidden(request, signedIn.actor, "not the handling office", { applicationId: id, intent: input.intent });
  }
  try {
    if (input.intent === "parere") {
      if ((await orgUnitCodeOf(getDb(), signedIn.actor.orgUnitId)) !== input.office) return { ok: false as const, error: "Puoi esprimere il parere solo per il tuo ufficio." };
      await applyOfficeEvent(who, id, { type: "OPINION", at, office: input.office, outcome: input.outcome, notes: input.notes, userId: signedIn.actor.userId });
      return { ok: true as const, message: "Parere registrato." };
    }
    if (input.intent === "avvia") {
      await applyOfficeEvent(who, id, { type: "START_REVIEW", at });
      return { ok: true as const, message: "Istruttoria avviata." };
    }
    if (input.intent === "integrazione") {
      await applyOfficeEvent(who, id, { type: "REQUEST_INTEGRATION", at, dueOn: input.dueOn });
      return { ok: true as const, message: "Integrazione richiesta: il richiedente è stato avvisato." };
    }
    await applyOfficeEvent(who, id, { type: "DECIDE", at, outcome: input.outcome, reasons: input.reasons });
    return { ok: true as const, message: `Esito registrato: domanda ${input.outcome}.` };
  } catch (e) {
    if (e instanceof InputError) return { ok: false as const, error: e.message };
    throw e;
  }
}
