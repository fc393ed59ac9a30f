import { z } from "zod";
import { audit } from "~/audit/audit.server";
import { requireForm, requirePermission, type SignedIn } from "~/auth/guards.server";
import { allFields, fieldLabel } from "~/forms/definition";
import { missingAnswers } from "~/forms/validate";
import { romeTime, todayInRome } from "~/lib/dates";
import { InputError } from "~/lib/errors";
import { clientIp } from "~/lib/request.server";
import type { DbOrTx } from "~db/client";
import { getDb } from "~db/client";
import { applicationsOfApplicant, applicationTimeline, declaredBusinessOf, filesOfApplication, publishedModelOf } from "~db/queries/applications";
import type { procedures } from "~db/schema";
import { autosavePage, NEXT_STEP, openApplication, pageOf, savePage, sendApplication, startDraft } from "./applications.server";
import { applyOfficeEvent } from "./handling.server";
import { profileView } from "./applicant-profile.server";
import { messageAttachmentOf, messageSchema, readApplicationThread, writeApplicationMessage } from "./messages.server";
import { dateTimeMs, onBehalfText, shownAnswer } from "./receipt.server";
import type { ApplicationContext } from "~workflows/application.machine";

/** Data and actions of the applicant's pages (/area-personale, /domande/…): routes stay thin. */

export const STATE_LABELS: Record<string, string> = {
  bozza: "Bozza",
  inviata: "Inviata",
  in_istruttoria: "In istruttoria",
  integrazione_richiesta: "Integrazione richiesta",
  integrata: "Integrata",
  accolta: "Accolta",
  respinta: "Respinta",
  ritirata: "Ritirata",
  archiviata: "Archiviata",
};

/** Whether a procedure's page offers "Presenta domanda online": a published model and still open. */
export async function acceptsApplications(db: DbOrTx, procedure: typeof procedures.$inferSelect) {
  if (procedure.applicationsCloseOn && todayInRome() > procedure.applicationsCloseOn) return false;
  return (await publishedModelOf(db, procedure.id)) !== null;
}

export async function applicantHome(request: Request) {
  const signedIn = await requirePermission(request, "applications.own");
  const rows = await applicationsOfApplicant(getDb(), signedIn.actor);
  const saved = new URL(request.url).searchParams.get("salvata");
  return {
    name: signedIn.actor.name,
    ...(await profileView(signedIn)),
    saved: saved && rows.some((r) => r.id === saved) ? true : false,
    applications: rows.map((r) => ({
      id: r.id,
      procedure: r.procedureTitle,
      state: STATE_LABELS[r.state] ?? r.state,
      draft: r.state === "bozza",
      next: r.completing ? COMPLETING_STEP : (NEXT_STEP[r.state] ?? ""),
      number: r.number,
      submittedAt: r.submittedAt?.toISOString() ?? null,
      updatedAt: r.updatedAt.toISOString(),
      receiptFileId: r.receiptFileId,
    })),
  };
}

export async function newDraftPage(request: Request) {
  await requirePermission(request, "applications.own");
  const procedureId = new URL(request.url).searchParams.get("procedimento") ?? "";
  return { procedureId };
}

export async function newDraftAction(request: Request) {
  const signedIn = await requirePermission(request, "applications.own");
  const form = await requireForm(request, signedIn);
  try {
    return { ok: true as const, id: await startDraft(request, signedIn, String(form.get("procedureId") ?? "")) };
  } catch (e) {
    if (e instanceof InputError) return { ok: false as const, error: e.message };
    throw e;
  }
}

export async function wizardPage(request: Request, id: string) {
  const signedIn = await requirePermission(request, "applications.own");
  const app = await openApplication(request, signedIn, id);
  const page = pageOf(app.form, new URL(request.url).searchParams.get("pagina"));
  await audit(getDb(), { actor: signedIn.actor, ip: clientIp(request) }, { action: "application.view", objectType: "application", objectId: id });
  return {
    id,
    state: app.application.state,
    procedure: app.procedure.title,
    form: app.form,
    page,
    values: app.application.data,
  };
}

export async function wizardAction(request: Request, id: string) {
  const signedIn = await requirePermission(request, "applications.own");
  const form = await requireForm(request, signedIn);
  try {
    return await savePage(request, signedIn, id, form);
  } catch (e) {
    if (e instanceof InputError) return { ok: false as const, errors: {}, values: null, message: e.message };
    throw e;
  }
}

/**
 * The wizard's autosave (ADR 94): JSON for the page's script. Someone else's draft is an audited
 * 403 (requireInScope), a refusal a 422 with the Italian message; nothing is written then.
 */
export async function autosaveAction(request: Request, id: string) {
  const signedIn = await requirePermission(request, "applications.own");
  const form = await requireForm(request, signedIn);
  try {
    const app = await autosavePage(request, signedIn, id, form);
    const held = app.held.length ? ` (non salvati finché non sono corretti: ${app.held.length === 1 ? "un campo" : `${app.held.length} campi`})` : "";
    return Response.json({ ok: true, message: `Bozza salvata alle ${romeTime(app.savedAt)}${held}`, held: app.held });
  } catch (e) {
    if (e instanceof InputError) return Response.json({ ok: false, message: e.message }, { status: 422 });
    throw e;
  }
}

export async function sendPage(request: Request, id: string) {
  const signedIn = await requirePermission(request, "applications.own");
  const app = await openApplication(request, signedIn, id);
  const fields = allFields(app.form);
  return {
    id,
    state: app.application.state,
    number: app.application.number,
    procedure: app.procedure.title,
    missing: missingAnswers(app.form, app.application.data).map((m) => ({ ...m, page: m.page })),
    pages: app.form.components.map((p) => ({
      key: p.key,
      title: fieldLabel(p),
      answers: fields.filter((f) => f.page === p.key && app.application.data[f.key] !== undefined).map((f) => ({ label: fieldLabel(f), value: shownAnswer(f, app.application.data[f.key]) })),
    })),
  };
}

export async function sendAction(request: Request, id: string) {
  const signedIn = await requirePermission(request, "applications.own");
  await requireForm(request, signedIn);
  try {
    const { number } = await sendApplication(request, signedIn, id);
    return { ok: true as const, number };
  } catch (e) {
    if (e instanceof InputError) return { ok: false as const, error: e.message };
    throw e;
  }
}

export async function summaryPage(request: Request, id: string) {
  const signedIn = await requirePermission(request, "applications.own");
  const app = await openApplication(request, signedIn, id);
  const db = getDb();
  await audit(db, { actor: signedIn.actor, ip: clientIp(request) }, { action: "application.view", objectType: "application", objectId: id });
  const fields = allFields(app.form);
  const a = app.application;
  return {
    id,
    procedure: app.procedure.title,
    state: STATE_LABELS[a.state] ?? a.state,
    draft: a.state === "bozza",
    next: app.completing ? COMPLETING_STEP : (NEXT_STEP[a.state] ?? ""),
    number: a.number,
    submittedAt: a.submittedAt ? dateTimeMs(a.submittedAt) : null,
    dataSha256: a.dataSha256,
    receiptFileId: a.receiptFileId,
    timeline: (await applicationTimeline(db, id)).map((t) => ({ at: t.at.toISOString(), to: STATE_LABELS[t.toState] ?? t.toState, event: t.event })),
    files: (await filesOfApplication(db, id)).map((f) => ({ id: f.id, kind: f.kind, fileName: f.fileName, sizeBytes: f.sizeBytes, sha256: f.sha256 })),
    answers: fields.filter((f) => a.data[f.key] !== undefined).map((f) => ({ label: fieldLabel(f), value: shownAnswer(f, a.data[f.key]) })),
    // A click day's send acknowledged but not yet completed (ADR 64) is withdrawn once completed, seconds later.
    withdrawable: WITHDRAWABLE.includes(a.state) && !app.completing,
    integrationDueOn: a.state === "integrazione_richiesta" ? (a.snapshot as { context: ApplicationContext }).context.integrationDueOn : null,
    decisionReasons: (a.snapshot as { context: ApplicationContext }).context.decisionReasons,
    // A sent application keeps the business it was sent for; a draft shows the one declared now.
    onBehalfOf: onBehalfText(a.number && !app.completing ? a.onBehalfOf : await declaredBusinessOf(db, a.applicantUserId)),
    thread: a.number && !app.completing ? await readApplicationThread(signedIn.actor, id) : null,
  };
}

/** The next step of a click day's send acknowledged, its sending still completing (ADR 64): seconds at most. */
const COMPLETING_STEP = "Domanda ricevuta: ricevuta in preparazione";
export const COMPLETING = "La domanda è stata ricevuta e il suo invio è in completamento: riprovare tra qualche istante.";

const WITHDRAWABLE = ["bozza", "inviata", "in_istruttoria", "integrazione_richiesta", "integrata"];

const answerSchema = z.object({ answer: z.string().trim().min(1, "Scrivere la risposta all'integrazione").max(4000, "Risposta: al massimo 4000 caratteri") });

/**
 * The applicant's moves from the application's page: answering an integration request (the
 * machine moves to `integrata`) or withdrawing the application before a decision.
 */
export async function answerIntegration(request: Request, id: string) {
  const signedIn = await requirePermission(request, "applications.own");
  const form = await requireForm(request, signedIn);
  if (form.get("intent") === "messaggio") return sendMessage(request, signedIn, id, form);
  if (form.get("intent") === "ritira") {
    if ((await openApplication(request, signedIn, id)).completing) return { ok: false as const, error: COMPLETING };
    try {
      await applyOfficeEvent({ actor: signedIn.actor, ip: clientIp(request) }, id, { type: "WITHDRAW", at: new Date().toISOString() });
      return { ok: true as const, message: "Domanda ritirata." };
    } catch (e) {
      if (e instanceof InputError) return { ok: false as const, error: e.message };
      throw e;
    }
  }
  const parsed = answerSchema.safeParse({ answer: form.get("answer") ?? "" });
  if (!parsed.success) return { ok: false as const, error: parsed.error.issues[0]!.message };
  await openApplication(request, signedIn, id);
  try {
    await applyOfficeEvent({ actor: signedIn.actor, ip: clientIp(request) }, id, { type: "ANSWER_INTEGRATION", at: new Date().toISOString() }, { answer: parsed.data.answer });
    return { ok: true as const, message: "Integrazione inviata all'ufficio." };
  } catch (e) {
    if (e instanceof InputError) return { ok: false as const, error: e.message };
    throw e;
  }
}

/** A message on an application's thread, from its applicant or from an official who reaches it (ADR 92). */
export async function sendMessage(request: Request, signedIn: SignedIn, id: string, form: FormData) {
  const parsed = messageSchema.safeParse({ body: form.get("body") ?? "" });
  if (!parsed.success) return { ok: false as const, error: parsed.error.issues[0]!.message };
  await openApplication(request, signedIn, id);
  const attachment = await messageAttachmentOf(form);
  if (typeof attachment === "string") return { ok: false as const, error: `${attachment}: il messaggio non è stato inviato.` };
  try {
    await writeApplicationMessage({ actor: signedIn.actor, ip: clientIp(request) }, id, parsed.data.body, attachment);
    return { ok: true as const, message: attachment ? "Messaggio inviato con l'allegato." : "Messaggio inviato." };
  } catch (e) {
    if (e instanceof InputError) return { ok: false as const, error: e.message };
    throw e;
  }
}
