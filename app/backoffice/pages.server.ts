import { z } from "zod";
import { audit } from "~/audit/audit.server";
import { requireForm, requireInScope, type SignedIn } from "~/auth/guards.server";
import { can } from "~/auth/permissions";
import { HANDLING_LABELS, STATE_LABELS } from "~/components/labels";
import { CSV_BOM, csvLine } from "~/lib/csv";
import { italianDate } from "~/lib/dates";
import { italianDecimal } from "~/lib/decimal";
import { InputError } from "~/lib/errors";
import { clientIp } from "~/lib/request.server";
import { drizzleOver, getDb, getSql } from "~db/client";
import { applicationThreadsFor } from "~db/queries/applications";
import { getDocument, listPracticeDocuments, listThreads, officialsOf, workItemOf } from "~db/queries/backoffice";
import { OutOfScopeError, isGestoreRole } from "~db/scope";
import { DOCUMENT_TYPES, documentBytes, MAX_DOCUMENT_BYTES, storeDocument, type IncomingFile } from "./documents.server";
import { signatureViews } from "~/signatures/signatures.server";
import { loadDossier } from "./dossier.server";
import { bulkAssign, handleWork, previewBulkAssign, TakeOverNeedsConfirmation, WORK_ACTIONS, type WorkSubject } from "./handling.server";
import { openThread, readThread, reply } from "./threads.server";
import { worklist } from "./worklist.server";

type ItemOutcome = { practiceId: number; code?: string | null; ok: boolean; outcome: string };
export type ActionResult =
  | { ok: true; message: string; preview?: ItemOutcome[]; results?: ItemOutcome[] }
  | { ok: false; error: string; takeOver?: { practiceId?: number; applicationId?: string; code: string; holder: string } };

const blank = z.literal("").transform(() => undefined);
const isoDate = (msg: string) => z.string().regex(/^\d{4}-\d{2}-\d{2}$/, msg);
const docTypes = Object.keys(DOCUMENT_TYPES) as [keyof typeof DOCUMENT_TYPES, ...(keyof typeof DOCUMENT_TYPES)[]];

const workSchema = z.object({
  intent: z.literal("work"),
  action: z.enum(WORK_ACTIONS, "Azione non valida."),
  practiceId: z.coerce.number().int().positive("Pratica non valida.").optional().or(blank),
  applicationId: z.uuid("Domanda non valida.").optional().or(blank),
  assignee: z.uuid("Scegliere a chi assegnare.").optional().or(blank),
  priority: z.enum(["normale", "alta"], "Priorità non valida.").optional().or(blank),
  dueOn: isoDate("Data di scadenza non valida.").optional().or(blank),
  takeOver: z.literal("1", "Conferma non valida.").optional().or(blank),
});
const threadSchema = z.object({
  intent: z.literal("thread"),
  kind: z.enum(["messaggio", "chiarimento"], "Tipo di comunicazione non valido."),
  subject: z.string().trim().min(1, "Indicare l'oggetto.").max(200, "Oggetto: al massimo 200 caratteri."),
  body: z.string().trim().min(1, "Scrivere il testo del messaggio.").max(10_000, "Testo: al massimo 10.000 caratteri."),
  dueOn: isoDate("Data di scadenza non valida.").optional().or(blank),
});
const replySchema = z.object({
  body: z.string().trim().min(1, "Scrivere il testo del messaggio.").max(10_000, "Testo: al massimo 10.000 caratteri."),
  docType: z.enum(docTypes, "Tipo di documento non valido.").optional().or(blank),
});
const documentSchema = z.object({
  intent: z.literal("document"),
  docType: z.enum(docTypes, "Tipo di documento non valido."),
  seriesId: z.uuid("Documento non valido.").optional().or(blank),
});
const bulkSchema = z.object({
  intent: z.enum(["bulk-preview", "bulk-assign"]),
  assignee: z.uuid("Scegliere a chi assegnare le pratiche."),
  ids: z.array(z.coerce.number().int().positive()).min(1, "Selezionare almeno una pratica.").max(200, "Al massimo 200 pratiche alla volta."),
});

const firstIssue = (e: { issues: { message: string }[] }) => e.issues[0]?.message ?? "Richiesta non valida.";

/** Multipart bodies are read whole: refuse an oversized one before reading it. */
async function formOf(request: Request, signedIn: SignedIn) {
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > MAX_DOCUMENT_BYTES + 64 * 1024) throw new InputError("Il file supera la dimensione massima di 10 MB.");
  return requireForm(request, signedIn);
}

async function fileOf(form: FormData): Promise<IncomingFile | null> {
  const f = form.get("file");
  if (!f || typeof f === "string" || (f.size === 0 && !f.name)) return null;
  return { name: f.name, bytes: Buffer.from(await f.arrayBuffer()) };
}

async function guarded(run: () => Promise<ActionResult>): Promise<ActionResult> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof InputError) return { ok: false, error: e.message };
    if (e instanceof TakeOverNeedsConfirmation) return { ok: false, error: e.message, takeOver: { ...e.subject, code: e.code, holder: e.holder } };
    if (e instanceof OutOfScopeError) return { ok: false, error: "Non hai i permessi per questa operazione." };
    throw e;
  }
}

export async function worklistPage(signedIn: SignedIn, url: URL) {
  const [data, colleagues] = await Promise.all([worklist(signedIn.actor, url), officialsOf(getDb(), signedIn.actor.orgUnitId)]);
  return { ...data, colleagues, me: signedIn.actor.userId };
}

export async function worklistAction(request: Request, signedIn: SignedIn): Promise<ActionResult> {
  return guarded(async () => {
    const form = await formOf(request, signedIn);
    const who = { actor: signedIn.actor, ip: clientIp(request) };
    if (form.get("intent") === "work") return workAction(who, form);
    const parsed = bulkSchema.safeParse({ intent: form.get("intent"), assignee: form.get("assignee"), ids: form.getAll("ids") });
    if (!parsed.success) return { ok: false, error: firstIssue(parsed.error) };
    const { intent, assignee, ids } = parsed.data;
    if (intent === "bulk-preview") {
      const preview = await previewBulkAssign(signedIn.actor, ids, assignee);
      return { ok: true, message: "Anteprima: nulla è ancora cambiato. Confermare per assegnare.", preview };
    }
    const results = await bulkAssign(who, ids, assignee);
    return { ok: true, message: `Assegnate ${results.filter((r) => r.ok).length} pratiche su ${results.length}.`, results };
  });
}

/**
 * One handling action (take, assign, release, complete, reopen) on the practice or online
 * application the form names: the worklist's rows, the practice page and the application's page
 * (ADR 112) all come here.
 */
async function workAction(who: Parameters<typeof handleWork>[0], form: FormData): Promise<ActionResult> {
  const parsed = workSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { ok: false, error: firstIssue(parsed.error) };
  const d = parsed.data;
  const subject: WorkSubject | null = d.applicationId && !d.practiceId ? { applicationId: d.applicationId } : d.practiceId && !d.applicationId ? { practiceId: d.practiceId } : null;
  if (!subject) return { ok: false, error: "Indicare la pratica o la domanda da lavorare." };
  await handleWork(who, { ...subject, action: d.action, assigneeUserId: d.assignee, priority: d.priority, dueOn: d.dueOn, takeOver: d.takeOver === "1" });
  const noun = subject.applicationId ? "Domanda" : "Pratica";
  const done = { take: `${noun} presa in carico.`, assign: `${noun} assegnata.`, release: `${noun} rilasciata.`, complete: "Lavorazione conclusa.", reopen: "Lavorazione riaperta." };
  return { ok: true, message: done[d.action] };
}

/** The handling actions of an online application's page (ADR 112), with the page's application id. */
export async function applicationWorkAction(request: Request, signedIn: SignedIn, applicationId: string, form: FormData): Promise<ActionResult> {
  return guarded(async () => {
    form.delete("practiceId");
    form.set("applicationId", applicationId);
    return workAction({ actor: signedIn.actor, ip: clientIp(request) }, form);
  });
}

/** The practice page's actions: handling, clarification requests and messages, documents. */
export async function practiceAction(request: Request, signedIn: SignedIn, id: string): Promise<ActionResult> {
  return guarded(async () => {
    const form = await formOf(request, signedIn);
    const who = { actor: signedIn.actor, ip: clientIp(request) };
    const { detail } = await loadDossier(request, signedIn.actor, id);
    const practiceId = detail.practice.id;
    const intent = form.get("intent");
    if (intent === "work") {
      form.delete("applicationId");
      form.set("practiceId", String(practiceId));
      return workAction(who, form);
    }
    if (intent === "thread") {
      const parsed = threadSchema.safeParse(Object.fromEntries(form));
      if (!parsed.success) return { ok: false, error: firstIssue(parsed.error) };
      const d = parsed.data;
      await openThread(who, { practiceId, kind: d.kind, subject: d.subject, body: d.body, dueOn: d.dueOn ?? null });
      return { ok: true, message: d.kind === "chiarimento" ? "Richiesta di chiarimenti inviata." : "Messaggio inviato." };
    }
    const parsed = documentSchema.safeParse({ intent, docType: form.get("docType"), seriesId: form.get("seriesId") ?? undefined });
    if (!parsed.success) return { ok: false, error: firstIssue(parsed.error) };
    const file = await fileOf(form);
    if (!file) return { ok: false, error: "Scegliere il file da allegare." };
    const doc = await getSql().begin(async (tx) => {
      const stored = await storeDocument(tx, {
        file,
        docType: parsed.data.docType,
        gestoreId: detail.practice.gestoreId,
        practiceId,
        side: isGestoreRole(signedIn.actor.role) ? "gestore" : "ufficio",
        uploadedBy: signedIn.actor.userId,
        seriesId: parsed.data.seriesId,
      });
      await audit(drizzleOver(tx), who, {
        action: "document.add",
        objectType: "document",
        objectId: stored.id,
        gestoreId: detail.practice.gestoreId,
        details: { practiceId, version: stored.version, sha256: stored.sha256, size: stored.sizeBytes },
      });
      return stored;
    });
    return { ok: true, message: doc.version > 1 ? `Nuova versione (v${doc.version}) di ${doc.fileName} salvata.` : `Documento ${doc.fileName} salvato.` };
  });
}

/**
 * The messages page's conversations, newest first: the gestori threads the viewer may read and,
 * for officials, the threads of the online applications their offices reach (ADR 114), each
 * with the other side's messages not yet read.
 */
export async function threadsPage(signedIn: SignedIn) {
  const db = getDb();
  const rows = (await listThreads(db, signedIn.actor)).map((r) => ({
    ...r,
    href: `/messaggi/${r.id}`,
    with: r.gestoreName,
    about: r.practiceCode,
    lastMessageAt: r.lastMessageAt.toISOString(),
    answeredAt: r.answeredAt?.toISOString() ?? null,
  }));
  if (!can(signedIn.actor.role, "applications.handle")) return rows;
  const applicationRows = (await applicationThreadsFor(db, signedIn.actor)).map((t) => ({
    id: t.id,
    kind: "domanda" as const,
    subject: t.subject,
    href: `/domande-ricevute/${t.application_id}#messaggi`,
    with: `${t.applicant} (richiedente)`,
    about: `${t.number} — ${t.procedure}`,
    dueOn: null,
    answeredAt: null,
    lastMessageAt: t.lastMessageAt.toISOString(),
    unread: t.unread,
  }));
  return [...rows, ...applicationRows].sort((a, b) => b.lastMessageAt.localeCompare(a.lastMessageAt)).slice(0, 200);
}

export async function threadPage(request: Request, signedIn: SignedIn, id: string) {
  const t = await requireInScope(request, signedIn.actor, () => readThread({ actor: signedIn.actor, ip: clientIp(request) }, id), "Conversazione non trovata.");
  return {
    id: t.thread.id,
    kind: t.thread.kind,
    subject: t.thread.subject,
    dueOn: t.thread.dueOn,
    answeredAt: t.thread.answeredAt?.toISOString() ?? null,
    practiceId: t.thread.practiceId,
    practiceCode: t.practiceCode,
    uploadId: t.thread.uploadId,
    measureCode: t.measureCode,
    gestoreName: t.gestoreName,
    side: t.side,
    messages: t.messages.map((m) => ({ ...m, createdAt: m.createdAt.toISOString(), readAt: m.readAt?.toISOString() ?? null })),
    attachments: t.attachments,
    docTypes: DOCUMENT_TYPES,
  };
}

export async function threadAction(request: Request, signedIn: SignedIn, id: string): Promise<ActionResult> {
  return guarded(async () => {
    const form = await formOf(request, signedIn);
    const parsed = replySchema.safeParse({ body: form.get("body"), docType: form.get("docType") ?? undefined });
    if (!parsed.success) return { ok: false, error: firstIssue(parsed.error) };
    const file = await fileOf(form);
    if (file && !parsed.data.docType) return { ok: false, error: "Indicare il tipo del documento allegato." };
    await reply({ actor: signedIn.actor, ip: clientIp(request) }, id, parsed.data.body, file ? { file, docType: parsed.data.docType! } : null);
    return { ok: true, message: file ? "Risposta inviata con l'allegato." : "Risposta inviata." };
  });
}

/** A document's original bytes, audited as an export of individual data. */
export async function documentDownload(request: Request, signedIn: SignedIn, id: string) {
  const doc = await requireInScope(request, signedIn.actor, () => getDocument(getDb(), signedIn.actor, id), "Documento non trovato.");
  const bytes = await documentBytes(getSql(), doc.id);
  await audit(getDb(), { actor: signedIn.actor, ip: clientIp(request) }, {
    action: "document.download",
    objectType: "document",
    objectId: doc.id,
    gestoreId: doc.gestoreId,
  });
  return new Response(bytes, {
    headers: {
      "content-type": doc.contentType,
      "content-disposition": `attachment; filename="${doc.fileName.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
      "x-content-sha256": doc.sha256,
      "cache-control": "private, no-store",
    },
  });
}

/** What the practice page adds for the dossier tab and the handling box. */
export async function practiceDossierPart(signedIn: SignedIn, practice: { id: number; gestoreId: string }) {
  const db = getDb();
  const canWork = !isGestoreRole(signedIn.actor.role);
  const [docs, threadRows, item, colleagues] = await Promise.all([
    listPracticeDocuments(db, signedIn.actor, practice),
    listThreads(db, signedIn.actor, { practiceId: practice.id }),
    workItemOf(db, practice.id),
    canWork ? officialsOf(db, signedIn.actor.orgUnitId) : Promise.resolve([]),
  ]);
  return {
    canWork,
    me: signedIn.actor.userId,
    docTypes: DOCUMENT_TYPES,
    signatures: await signatureViews(db, docs.map((d) => d.id)),
    documents: docs.map((d) => ({ ...d, createdAt: d.createdAt.toISOString() })),
    threads: threadRows.map((t) => ({ ...t, lastMessageAt: t.lastMessageAt.toISOString(), answeredAt: t.answeredAt?.toISOString() ?? null })),
    workItem: item
      ? { state: item.item.state, assigneeUserId: item.item.assigneeUserId, assignee: item.assigneeName ? `${item.assigneeName} ${item.assigneeSurname}` : null, priority: item.item.priority, dueOn: item.item.dueOn }
      : null,
    colleagues,
  };
}

const bulkMessageSchema = z.object({
  intent: z.enum(["message-preview", "message-send"]),
  gestori: z.array(z.uuid("Ente gestore non valido.")).min(1, "Selezionare almeno un ente gestore.").max(100, "Al massimo 100 enti alla volta."),
  subject: z.string().trim().min(1, "Indicare l'oggetto.").max(200, "Oggetto: al massimo 200 caratteri."),
  body: z.string().trim().min(1, "Scrivere il testo del messaggio.").max(10_000, "Testo: al massimo 10.000 caratteri."),
  uploadId: z.uuid("Caricamento non valido.").optional().or(blank),
  measureId: z.uuid("Misura non valida.").optional().or(blank),
});

/** What the new-message form starts from (a worklist row's "Scrivi all'ente"). */
export function messageDraftOf(url: URL) {
  const uuid = z.uuid();
  const get = (k: string) => {
    const v = url.searchParams.get(k);
    return v && uuid.safeParse(v).success ? v : null;
  };
  return { gestoreId: get("ente"), uploadId: get("caricamento"), measureId: get("misura") };
}

/** The gestori an official may write to, for the new-message form. */
export async function gestoriForMessages(signedIn: SignedIn) {
  if (isGestoreRole(signedIn.actor.role)) return [];
  const rows = await getSql()<{ id: string; name: string; active: boolean }[]>`select id, name, active from gestori order by name`;
  return rows.map((r) => ({ id: r.id, name: r.name, active: r.active }));
}

const gestoreMessageSchema = z.object({
  subject: z.string().trim().min(1, "Indicare l'oggetto.").max(200, "Oggetto: al massimo 200 caratteri."),
  body: z.string().trim().min(1, "Scrivere il testo del messaggio.").max(10_000, "Testo: al massimo 10.000 caratteri."),
});

/** A gestore user writes to the office (a new thread of its own gestore). */
export async function gestoreMessageAction(request: Request, signedIn: SignedIn): Promise<ActionResult> {
  return guarded(async () => {
    const form = await formOf(request, signedIn);
    const parsed = gestoreMessageSchema.safeParse({ subject: form.get("subject"), body: form.get("body") });
    if (!parsed.success) return { ok: false, error: firstIssue(parsed.error) };
    await openThread({ actor: signedIn.actor, ip: clientIp(request) }, { kind: "messaggio", subject: parsed.data.subject, body: parsed.data.body });
    return { ok: true, message: "Messaggio inviato all'ufficio." };
  });
}

/**
 * A message to several gestori at once: a preview (who would get it, who is refused and why),
 * then one thread per gestore, each with its own result.
 */
export async function bulkMessageAction(request: Request, signedIn: SignedIn): Promise<ActionResult> {
  return guarded(async () => {
    const form = await formOf(request, signedIn);
    const parsed = bulkMessageSchema.safeParse({
      intent: form.get("intent"),
      gestori: form.getAll("gestori"),
      subject: form.get("subject"),
      body: form.get("body"),
      uploadId: form.get("uploadId") ?? undefined,
      measureId: form.get("measureId") ?? undefined,
    });
    if (!parsed.success) return { ok: false, error: firstIssue(parsed.error) };
    const { intent, gestori: ids, subject, body, uploadId, measureId } = parsed.data;
    if ((uploadId || measureId) && ids.length !== 1) return { ok: false, error: "Un messaggio su un caricamento o un obbligo va a un solo ente gestore." };
    const known = new Map((await gestoriForMessages(signedIn)).map((g) => [g.id, g]));
    const plan = ids.map((id) => {
      const g = known.get(id);
      if (!g) return { id, name: null, refusal: "Ente gestore non trovato." };
      if (!g.active) return { id, name: g.name, refusal: "Ente gestore non attivo." };
      return { id, name: g.name, refusal: null };
    });
    if (intent === "message-preview") {
      return {
        ok: true,
        message: "Anteprima: nulla è ancora stato inviato. Confermare per inviare.",
        preview: plan.map((p, i) => ({ practiceId: i, code: p.name, ok: !p.refusal, outcome: p.refusal ?? "Riceverà il messaggio." })),
      };
    }
    const results: ItemOutcome[] = [];
    for (const [i, p] of plan.entries()) {
      if (p.refusal) {
        results.push({ practiceId: i, code: p.name, ok: false, outcome: p.refusal });
        continue;
      }
      await openThread({ actor: signedIn.actor, ip: clientIp(request) }, { gestoreId: p.id, kind: "messaggio", subject, body, uploadId, measureId });
      results.push({ practiceId: i, code: p.name, ok: true, outcome: "Inviato." });
    }
    return { ok: true, message: `Messaggio inviato a ${results.filter((r) => r.ok).length} enti su ${results.length}.`, results };
  });
}

/**
 * Export of the selected practices (code, gestore, measure, state, amounts, handling) as CSV:
 * audited as an export with the number of practices; refused ids are listed in the file too.
 */
export async function exportSelected(request: Request, signedIn: SignedIn) {
  const form = await requireForm(request, signedIn);
  const parsed = z.array(z.coerce.number().int().positive()).min(1).max(1000).safeParse(form.getAll("ids"));
  if (!parsed.success) return new Response("Selezionare almeno una pratica (al massimo 1000).", { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
  const ids = parsed.data;
  const rows = await getSql()<{ id: string; code: string; gestore: string; measure: string; state: string; state_date: string; amount_requested: string; amount_approved: string | null; amount_disbursed: string | null; handling: string | null; assignee: string | null }[]>`
    select p.id, p.code, g.name as gestore, m.code as measure, p.state, p.state_date::text as state_date,
           p.amount_requested, p.amount_approved, p.amount_disbursed, w.state as handling, u.surname || ' ' || u.name as assignee
    from practices p join gestori g on g.id = p.gestore_id join measures m on m.id = p.measure_id
    left join work_items w on w.practice_id = p.id left join users u on u.id = w.assignee_user_id
    where p.id = any(${ids}::bigint[]) order by p.code`;
  const found = new Set(rows.map((r) => Number(r.id)));
  let csv = CSV_BOM + csvLine(["pratica", "ente gestore", "misura", "stato", "data stato", "richiesto", "deliberato", "erogato", "lavorazione", "assegnata a", "esito"]);
  for (const r of rows) {
    // For Excel in Italian: words, dd/mm/yyyy and comma decimals, as the monitoring exports.
    const amount = (a: string | null) => (a === null ? "" : italianDecimal(a, false));
    csv += csvLine([r.code, r.gestore, r.measure, STATE_LABELS[r.state] ?? r.state, italianDate(r.state_date), amount(r.amount_requested), amount(r.amount_approved), amount(r.amount_disbursed), HANDLING_LABELS[r.handling ?? "open"] ?? r.handling, r.assignee ?? "", "esportata"]);
  }
  for (const id of ids.filter((i) => !found.has(i))) csv += csvLine([id, "", "", "", "", "", "", "", "", "", "esclusa: pratica non trovata"]);
  await audit(getDb(), { actor: signedIn.actor, ip: clientIp(request) }, {
    action: "work_item.bulk_export",
    objectType: "practice",
    details: { requested: ids.length, exported: rows.length },
  });
  return new Response(csv, {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": 'attachment; filename="pratiche-selezionate.csv"', "cache-control": "private, no-store" },
  });
}
