import { isUuid } from "~db/uuid";
import crypto from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { TransactionSql } from "postgres";
import { audit, type ChangeAuthor } from "~/audit/audit.server";
import { requireInScope, type SignedIn } from "~/auth/guards.server";
import { getBranding } from "~/branding/branding.server";
import { getConfig } from "~/config.server";
import { allFields, pageKeys, parseFileSize, parseFormDefinition, type FormDefinition } from "~/forms/definition";
import { missingAnswers, readPage, shownAnswers, type FileRef, type Posted } from "~/forms/validate";
import { enqueueMany } from "~/jobs/queue.server";
import { RECEIPT_QUEUE } from "~/jobs/queues";
import { romeDate, todayInRome } from "~/lib/dates";
import { InputError } from "~/lib/errors";
import { clientIp } from "~/lib/request.server";
import { APPLICATION_BINDING, EventRefused, runMachineEvents, startMachine } from "~/machines/runner.server";
import { queueMails } from "~/mail/outbox.server";
import { drizzleOver, getDb, getSql, type Database } from "~db/client";
import { applicantEmails, applicationFileForViewer, applicationForViewer, declaredBusinessesOf, publishedModelOf } from "~db/queries/applications";
import { applicationCounters, applicationFiles, applications, clickDayEntries, procedures } from "~db/schema";
import { APPLICATION_MACHINE_VERSION } from "~workflows/application.machine";
import { routeApplication, routingRulesSchema } from "./routing";

export const NOT_FOUND = "Domanda non trovata.";
export const ALREADY_SENT = "La domanda è già stata inviata: non può essere modificata né inviata di nuovo.";
export const CLOSED = "Il termine per presentare domanda per questo procedimento è scaduto: la domanda non può essere inviata.";
export const CLICK_DAY_ONLY = "La domanda è pronta per il click day: sarà inviata con il pulsante della pagina del click day, all'apertura.";
/** No case of a routing rule matched and the rule names no fallback office: the sending is refused (ADR 95). */
export const noOffice = (rule: string, value: string | null) =>
  `Non è possibile individuare l'ufficio competente (${rule}) per ${value === null ? "la risposta mancante" : `la risposta «${value}»`}: la domanda non è stata inviata. Verificare la risposta o contattare l'assistenza.`;
export const BAD_PAGE = "Pagina del modulo non valida: ricaricare la domanda e riprovare.";

const who = (request: Request, signedIn: SignedIn) => ({ actor: signedIn.actor, ip: clientIp(request) });

function formOf(definition: unknown): FormDefinition {
  const parsed = parseFormDefinition(definition);
  // Stored definitions passed this check on import; failing here is a data error, not input.
  if (!parsed.ok) throw new Error("stored form definition no longer valid");
  return parsed.form;
}

/** Whether the procedure takes applications today (Europe/Rome): published, with a published model, not closed. */
export function isOpen(procedure: typeof procedures.$inferSelect, today = todayInRome()) {
  return procedure.status === "published" && (!procedure.applicationsCloseOn || today <= procedure.applicationsCloseOn);
}

/** "Presenta domanda online": a new draft on the procedure's published model, started as the machine. */
export async function startDraft(request: Request, signedIn: SignedIn, procedureId: string, now = new Date()) {
  const db = getDb();
  const [procedure] = isUuid(procedureId) ? await db.select().from(procedures).where(eq(procedures.id, procedureId)) : [];
  const model = procedure ? await publishedModelOf(db, procedure.id) : null;
  if (!procedure || !model) throw new Response("Procedimento non trovato o senza modulo online.", { status: 404 });
  if (!isOpen(procedure, todayInRome(now))) throw new InputError(CLOSED);
  const { row } = await getSql().begin((tx) =>
    startMachine(tx, APPLICATION_BINDING, {
      input: {},
      at: now,
      who: who(request, signedIn),
      details: { procedureId: procedure.id, formModelVersion: model.version },
      create: async (d, snapshot) =>
        (await d
          .insert(applications)
          .values({
            procedureId: procedure.id,
            formModelId: model.id,
            applicantUserId: signedIn.actor.userId,
            state: "bozza",
            snapshot: { ...snapshot, version: APPLICATION_MACHINE_VERSION },
            createdAt: now,
            updatedAt: now,
          })
          .returning())[0]!,
    }),
  );
  return row.id;
}

/** An application the signed-in person may open; audited 403 for anyone else's, 404 for none. */
export async function openApplication(request: Request, signedIn: SignedIn, id: string) {
  const row = await requireInScope(request, signedIn.actor, () => applicationForViewer(getDb(), signedIn.actor, id), NOT_FOUND);
  return { ...row, form: formOf(row.model.definition) };
}

/** The wizard's page to show: the one asked for if it exists, else the first. */
export function pageOf(form: FormDefinition, asked: string | null) {
  const keys = pageKeys(form);
  return asked && keys.includes(asked) ? asked : keys[0]!;
}

export type LockedDraft = Awaited<ReturnType<typeof lockDraft>>;
/** What the sending reads of a locked draft. */
export type SendableDraft = Pick<LockedDraft, "form" | "application" | "procedure">;

export type PageOutcome =
  | { ok: true; redirect: string }
  | { ok: false; errors: Record<string, string>; values: Record<string, unknown>; message: string };

/**
 * Locks the applicant's own draft in `db`'s transaction; anything else is refused, nothing written.
 * A draft a click day has acknowledged (ranked, its sending still to be completed, ADR 64) is sent:
 * refused too. Its click-day entry is locked as well, so a send waits for an edit to commit.
 */
export async function lockDraft(request: Request, signedIn: SignedIn, db: Database, id: string) {
  const row = await requireInScope(request, signedIn.actor, () => applicationForViewer(db, signedIn.actor, id), NOT_FOUND);
  const [locked] = await db.select().from(applications).where(eq(applications.id, row.application.id)).for("update");
  if (locked!.state !== "bozza") throw new InputError(ALREADY_SENT);
  const [entry] = await db.select({ rank: clickDayEntries.rank }).from(clickDayEntries).where(eq(clickDayEntries.applicationId, locked!.id)).for("update");
  if (entry && entry.rank !== null) throw new InputError(ALREADY_SENT);
  return { ...row, application: locked!, form: formOf(row.model.definition), readyForClickDay: Boolean(entry) };
}

/**
 * After an edit of a draft marked ready for a click day: the answers' checks of the marking
 * (completeness, an office to route to) run again here, so the peak need not re-parse the form;
 * what fails is kept on the entry and the send is refused with it (ADR 64).
 */
async function recheckReady(db: Database, draft: LockedDraft, data: Record<string, unknown>) {
  if (!draft.readyForClickDay) return;
  const refusal = answersRefusal({ ...draft, application: { ...draft.application, data } });
  await db.update(clickDayEntries).set({ readyRefusal: refusal }).where(eq(clickDayEntries.applicationId, draft.application.id));
}

const sha256 = (bytes: Buffer | string) => crypto.createHash("sha256").update(bytes).digest("hex");

/**
 * The file checks of a `file` field, and of a message's attachment (ADR 113, with the default
 * limits): size, and type by extension and by the bytes' signature. A string is the refusal.
 */
export function checkAttachment(field: { label?: string; filePattern?: string; fileMaxSize?: string }, file: File, bytes: Buffer) {
  const label = field.label ?? "Allegato";
  const max = parseFileSize(field.fileMaxSize ?? "10MB")!;
  if (bytes.length === 0) return `${label}: il file è vuoto`;
  if (bytes.length > max) return `${label}: il file supera la dimensione massima di ${field.fileMaxSize ?? "10MB"}`;
  const ext = (/\.([A-Za-z0-9]+)$/.exec(file.name)?.[1] ?? "").toLowerCase();
  const allowed = (field.filePattern ?? "").split(",").map((p) => p.trim().toLowerCase()).filter(Boolean);
  const byExt: Record<string, string> = { pdf: "application/pdf", jpg: "image/jpeg", jpeg: "image/jpeg", png: "image/png" };
  const type = byExt[ext];
  const signature: Record<string, (b: Buffer) => boolean> = {
    "application/pdf": (b) => b.subarray(0, 5).toString("latin1") === "%PDF-",
    "image/jpeg": (b) => b[0] === 0xff && b[1] === 0xd8,
    "image/png": (b) => b.subarray(0, 4).toString("latin1") === "\x89PNG",
  };
  const accepted = type && (allowed.length === 0 || allowed.includes(`.${ext}`) || allowed.includes(type));
  if (!accepted || !signature[type](bytes)) return `${label}: tipo di file non ammesso (${allowed.join(", ") || "PDF, JPEG, PNG"})`;
  return { type, ext };
}

/**
 * One page of the wizard, posted: "avanti"/"indietro" validate it whole, "salva" ("Salva e
 * continua più tardi") checks formats but not required fields. A page with any error stores
 * nothing; a posted name the page does not hold refuses the whole post.
 */
export async function savePage(request: Request, signedIn: SignedIn, id: string, form: FormData, now = new Date()): Promise<PageOutcome> {
  const intent = String(form.get("intent") ?? "");
  if (!["avanti", "indietro", "salva", "allegato"].includes(intent)) throw new InputError(BAD_PAGE);
  return getSql().begin(async (tx) => {
    const db = drizzleOver(tx);
    const draft = await lockDraft(request, signedIn, db, id);
    const page = String(form.get("page") ?? "");
    const pages = pageKeys(draft.form);
    // A tampered hidden field: the page must be one of the model's.
    if (!pages.includes(page)) throw new InputError(BAD_PAGE);
    const { posted, files } = postedOf(form);
    const saved = draft.application.data;
    const result = readPage(draft.form, page, posted, saved, { required: intent === "avanti" });
    if ("unknown" in result) return refuseUnknown(db, request, signedIn, id, result.unknown);
    const errors = result.ok ? {} : { ...result.errors };
    const values = { ...result.values };
    const fileFields = allFields(draft.form).filter((f) => f.page === page && f.type === "file");
    const accepted: { key: string; file: File; bytes: Buffer; type: string }[] = [];
    for (const [name, file] of files) {
      const field = fileFields.find((f) => f.key === name);
      if (!field) throw new InputError(`Il modulo contiene campi non previsti (${name}): nessun dato è stato salvato.`);
      if (file.size === 0 && !file.name) continue;
      const bytes = Buffer.from(await file.arrayBuffer());
      const checked = checkAttachment(field, file, bytes);
      if (typeof checked === "string") errors[name] = checked;
      else accepted.push({ key: name, file, bytes, type: checked.type });
    }
    if (intent === "avanti") {
      for (const f of fileFields) {
        if (f.validate?.required && !saved[f.key] && !accepted.some((a) => a.key === f.key) && !errors[f.key]) errors[f.key] = `${f.label}: allegato obbligatorio`;
      }
    }
    if (Object.keys(errors).length) {
      return { ok: false as const, errors, values: { ...saved, ...flatPosted(posted) }, message: "Correggere gli errori indicati: nessun dato di questa pagina è stato salvato." };
    }
    for (const a of accepted) {
      const row = await storeApplicationFile(db, { applicationId: id, kind: "allegato", fieldKey: a.key, name: a.file.name, type: a.type, bytes: a.bytes, uploadedBy: signedIn.actor.userId });
      values[a.key] = { id: row.id, name: row.fileName, size: row.sizeBytes, type: row.contentType, sha256: row.sha256 } satisfies FileRef;
    }
    // This page's answers replace what it held; other pages' answers stay as they are.
    const next: Record<string, unknown> = { ...saved };
    for (const f of allFields(draft.form).filter((x) => x.page === page)) {
      if (f.type === "file" && !(f.key in values)) continue;
      delete next[f.key];
    }
    Object.assign(next, values);
    await db.update(applications).set({ data: next, updatedAt: now }).where(eq(applications.id, id));
    await recheckReady(db, draft, next);
    const i = pages.indexOf(page);
    const target =
      intent === "salva" ? `/area-personale?salvata=${id}` :
      intent === "allegato" ? `/domande/${id}?pagina=${page}` :
      intent === "indietro" ? `/domande/${id}?pagina=${pages[Math.max(0, i - 1)]}` :
      i + 1 < pages.length ? `/domande/${id}?pagina=${pages[i + 1]}` : `/domande/${id}/invio`;
    return { ok: true as const, redirect: target };
  });
}

/**
 * Stores a checked file of an application (a field's attachment, or a message's, ADR 113) with
 * its SHA-256, in the caller's transaction: the one way application files are written by hand.
 */
export async function storeApplicationFile(
  db: Database,
  f: { applicationId: string; kind: "allegato" | "messaggio"; fieldKey?: string; messageId?: string; name: string; type: string; bytes: Buffer; uploadedBy: string },
) {
  const [row] = await db
    .insert(applicationFiles)
    .values({
      applicationId: f.applicationId,
      kind: f.kind,
      fieldKey: f.fieldKey ?? null,
      messageId: f.messageId ?? null,
      fileName: f.name.replace(/[^\p{L}\p{N}._ -]/gu, "_").slice(0, 200),
      contentType: f.type,
      sizeBytes: f.bytes.length,
      sha256: sha256(f.bytes),
      content: f.bytes,
      uploadedBy: f.uploadedBy,
    })
    .returning();
  return row!;
}

/** The wizard's posted fields by name, and its files; the wizard's own controls left out. */
function postedOf(form: FormData) {
  const posted: Posted = {};
  const files: [string, File][] = [];
  for (const [name, value] of form) {
    if (name === "csrf" || name === "intent" || name === "page") continue;
    if (typeof value === "string") (posted[name] ??= []).push(value);
    else if (value.size > 0 || value.name) files.push([name, value]);
  }
  return { posted, files };
}

/** A posted name the page does not hold: audited, and the whole post refused. */
async function refuseUnknown(db: Database, request: Request, signedIn: SignedIn, id: string, unknown: string[]): Promise<never> {
  await audit(db, who(request, signedIn), { action: "application.refused_fields", objectType: "application", objectId: id, details: { fields: unknown.slice(0, 10) } });
  throw new InputError(`Il modulo contiene campi non previsti (${unknown.slice(0, 5).join(", ")}): nessun dato è stato salvato.`);
}

/**
 * The autosave of the wizard with JavaScript (ADR 94): the page as typed so far, checked by the
 * same `readPage` without the required fields. A field whose value does not pass yet (an IBAN
 * half typed) keeps what was stored; the others are stored. Unknown names refuse the whole post,
 * and attachments are only sent by the page's own buttons.
 */
export async function autosavePage(request: Request, signedIn: SignedIn, id: string, form: FormData, now = new Date()) {
  return getSql().begin(async (tx) => {
    const db = drizzleOver(tx);
    const draft = await lockDraft(request, signedIn, db, id);
    const page = String(form.get("page") ?? "");
    if (!pageKeys(draft.form).includes(page)) throw new InputError(BAD_PAGE);
    const { posted, files } = postedOf(form);
    const saved = draft.application.data;
    const result = readPage(draft.form, page, posted, saved, { required: false });
    if ("unknown" in result) return refuseUnknown(db, request, signedIn, id, result.unknown);
    if (files.length) return refuseUnknown(db, request, signedIn, id, files.map(([name]) => name));
    const errors = result.ok ? {} : result.errors;
    const failed = (key: string) => Object.keys(errors).some((e) => e === key || e.startsWith(`${key}[`));
    const next: Record<string, unknown> = { ...saved };
    const held: string[] = [];
    for (const f of allFields(draft.form).filter((x) => x.page === page && x.type !== "file")) {
      if (failed(f.key)) {
        held.push(f.key);
        continue;
      }
      delete next[f.key];
      if (result.values[f.key] !== undefined) next[f.key] = result.values[f.key];
    }
    await db.update(applications).set({ data: next, updatedAt: now }).where(eq(applications.id, id));
    await recheckReady(db, draft, next);
    return { savedAt: now, held };
  });
}

function flatPosted(posted: Posted) {
  return Object.fromEntries(Object.entries(posted).map(([k, v]) => [k, v.length > 1 ? v : v[0]]));
}

/** Canonical JSON (keys sorted at every level): the bytes the data's SHA-256 is taken over. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object")
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(value);
}

/**
 * The next `count` numbers of the procedure's year, in order: one update of the counter row, whose
 * lock is held to the commit, so no gaps (the click day's batch takes a block at once, ADR 96).
 */
export async function reserveNumbers(db: Database, procedure: typeof procedures.$inferSelect, year: number, count = 1) {
  const [row] = await db
    .insert(applicationCounters)
    .values({ procedureId: procedure.id, year, last: count })
    .onConflictDoUpdate({ target: [applicationCounters.procedureId, applicationCounters.year], set: { last: sql`${applicationCounters.last} + ${count}` } })
    .returning({ last: applicationCounters.last });
  return Array.from({ length: count }, (_, i) => `${procedure.applicationPrefix ?? "DOM"}-${year}-${String(row!.last - count + 1 + i).padStart(6, "0")}`);
}

/**
 * Sends a draft, in one transaction: completeness, the procedure still open, the gapless
 * number, the time of receipt to the millisecond, the SHA-256 of the answers, the machine to
 * `inviata`, the confirmation mail (number and link only) and the receipt job. The row lock
 * makes a double click send once: the second finds the application already sent.
 */
export async function sendApplication(request: Request, signedIn: SignedIn, id: string, now = new Date()) {
  return getSql().begin(async (tx) => {
    const db = drizzleOver(tx);
    const draft = await lockDraft(request, signedIn, db, id);
    const [entry] = await db.select({ id: clickDayEntries.applicationId }).from(clickDayEntries).where(eq(clickDayEntries.applicationId, id));
    if (entry) throw new InputError(CLICK_DAY_ONLY);
    return submitLocked(tx, draft, who(request, signedIn), now);
  });
}

/** Why a locked draft cannot be sent now (the procedure closed, answers missing), or null. */
export function sendingRefusal(draft: LockedDraft, now: Date): string | null {
  return isOpen(draft.procedure, todayInRome(now)) ? answersRefusal(draft) : CLOSED;
}

/** Why a draft's answers cannot be sent (answers missing, no office to route to), or null. */
export function answersRefusal(draft: SendableDraft): string | null {
  const missing = missingAnswers(draft.form, draft.application.data);
  if (missing.length) return `La domanda è incompleta: mancano ${missing.length} risposte obbligatorie.`;
  const routed = routeOf(draft);
  return routed.ok ? null : noOffice(routed.rule, routed.value);
}

/** Routing by rule (ADR 95): the offices chosen from the answers sent. */
function routeOf(draft: SendableDraft, answers = shownAnswers(draft.form, draft.application.data)) {
  return routeApplication(draft.procedure.applicationOffices, routingRulesSchema.parse(draft.procedure.applicationRoutingRules), answers);
}

/**
 * The sending of a draft already locked in `tx` (issue 15's sending): completeness, the procedure
 * still open, then `submitMany`'s writes with the number taken here, last, since the counter
 * row's lock is held to the commit.
 */
export async function submitLocked(tx: TransactionSql, draft: LockedDraft, author: ChangeAuthor, now: Date) {
  const refused = sendingRefusal(draft, now);
  if (refused) throw new InputError(refused);
  return (await submitMany(tx, [{ draft, author }], now))[0]!;
}

/**
 * The writes of sending drafts locked in `tx` and already checked (`sendingRefusal`), a few
 * statements for the whole lot: the machine to `inviata` (history and audit rows), the answers'
 * SHA-256, the receipt jobs, the gapless numbers, the time of receipt and the confirmation mails
 * (number and link only). A click day's completion (ADR 64) passes each send's `assigned` number
 * and receipt time, taken when the send was acknowledged.
 */
export async function submitMany(tx: TransactionSql, sends: { draft: SendableDraft; author: ChangeAuthor; assigned?: { number: string; at: Date } }[], now: Date) {
  const db = drizzleOver(tx);
  const prepared = sends.map(({ draft }) => {
    const data = shownAnswers(draft.form, draft.application.data);
    // Chosen in this transaction and kept in the history; sendingRefusal refused a draft no rule routes.
    const routed = routeOf(draft, data);
    if (!routed.ok) throw new InputError(noOffice(routed.rule, routed.value));
    return { id: draft.application.id, data, dataSha256: sha256(canonicalJson(data)), routed };
  });
  const applicants = sends.map((s) => s.draft.application.applicantUserId);
  const emails = await applicantEmails(db, applicants);
  const businesses = await declaredBusinessesOf(db, applicants);
  const branding = await getBranding(db);
  try {
    await runMachineEvents(
      tx,
      APPLICATION_BINDING,
      sends.map((s, i) => ({
        id: prepared[i]!.id,
        row: s.draft.application,
        event: { type: "SUBMIT", at: (s.assigned?.at ?? now).toISOString(), offices: prepared[i]!.routed.offices },
        who: s.author,
        details: { dataSha256: prepared[i]!.dataSha256, ...(prepared[i]!.routed.choices.length ? { routing: prepared[i]!.routed.choices } : {}) },
      })),
    );
  } catch (e) {
    if (e instanceof EventRefused) throw new InputError(ALREADY_SENT);
    throw e;
  }
  await enqueueMany(RECEIPT_QUEUE, prepared.map((p) => ({ applicationId: p.id })), { within: tx });
  const numbers: string[] = [];
  for (const s of sends) numbers.push(s.assigned?.number ?? (await reserveNumbers(db, s.draft.procedure, Number(romeDate(now).slice(0, 4))))[0]!);
  const rows = prepared.map((p, i) => ({ ...p, number: numbers[i]!, at: sends[i]!.assigned?.at ?? now, onBehalfOf: businesses.get(applicants[i]!) ?? null }));
  // The `= any` finds the rows by the primary key: joined with the recordset alone, PostgreSQL read every application (ADR 64).
  await db.execute(sql`
    update applications a set data = v.data, data_sha256 = v.sha, on_behalf_of = v.on_behalf_of, number = v.number, submitted_at = v.at
    from jsonb_to_recordset(${JSON.stringify(rows.map((r) => ({ id: r.id, data: r.data, sha: r.dataSha256, on_behalf_of: r.onBehalfOf, number: r.number, at: r.at.toISOString() })))}::jsonb) as v(id uuid, data jsonb, sha text, on_behalf_of jsonb, number text, at timestamptz)
    where a.id = v.id and a.id = any(${sql.param(rows.map((r) => r.id))}::uuid[])`);
  await queueMails(
    tx,
    "domanda-inviata",
    sends.flatMap((s, i) => {
      const to = emails.get(s.draft.application.applicantUserId);
      return to ? [{ to, dedupeKey: `application-sent:${rows[i]!.id}`, data: { piattaforma: branding.bodyName, numero: rows[i]!.number, link: `${getConfig().baseUrl}/domande/${rows[i]!.id}/riepilogo` } }] : [];
    }),
  );
  return rows.map((r) => ({ number: r.number, at: r.at }));
}

/** The applicant's home: their applications with state and next step. */
export const NEXT_STEP: Record<string, string> = {
  bozza: "Completa e invia la domanda",
  inviata: "In attesa delle verifiche degli uffici",
  in_istruttoria: "In istruttoria: nessuna azione richiesta",
  integrazione_richiesta: "Rispondi alla richiesta di integrazione",
  integrata: "Integrazione inviata: in attesa dell'esito",
  accolta: "Domanda accolta",
  respinta: "Domanda respinta: leggi le motivazioni",
  ritirata: "Domanda ritirata",
  archiviata: "Domanda archiviata",
};

/**
 * A file of an application (attachment or receipt) as a download, audited: for its applicant,
 * and for the officials whose office reaches the application (ADR 90); anyone else an audited 403.
 */
export async function downloadFile(request: Request, signedIn: SignedIn, fileId: string) {
  const file = await requireInScope(request, signedIn.actor, () => applicationFileForViewer(getDb(), signedIn.actor, fileId), "Documento non trovato.");
  await audit(getDb(), who(request, signedIn), { action: "application.file_download", objectType: "application", objectId: file.applicationId, details: { fileId: file.id, kind: file.kind } });
  return new Response(new Uint8Array(file.content), {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": `attachment; filename="${file.fileName.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
