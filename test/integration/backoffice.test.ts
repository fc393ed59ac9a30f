import { and, count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { storeDocument } from "~/backoffice/documents.server";
import { bulkAssign, handleWork, previewBulkAssign, TakeOverNeedsConfirmation } from "~/backoffice/handling.server";
import { openThread, readThread, reply } from "~/backoffice/threads.server";
import { worklist } from "~/backoffice/worklist.server";
import type { Actor } from "~/auth/guards.server";
import { getDb, getSql } from "~db/client";
import { getDocument, getThread, listPracticeDocuments, listThreads } from "~db/queries/backoffice";
import { OutOfScopeError } from "~db/scope";
import { auditLog, documents, machineHistory, mailOutbox, orgUnits, practices, threadMessages, threads, workItems } from "~db/schema";
import { GESTORE_ALTRO, GESTORE_DEMO, PEOPLE, seedDemo, userOf, viewerOf } from "../support/actors";
import { fixture, uploadAndProcess } from "../support/uploads";

const TODAY = "2026-11-20";
const url = (q = "") => new URL(`http://localhost/lavorazione${q}`);
const pdf = (text = "documento") => Buffer.from(`%PDF-1.4\n% ${text}\n%%EOF\n`);

async function actor(cf: string): Promise<Actor> {
  const v = await viewerOf(cf);
  const u = await userOf(cf);
  return { ...v, fiscalCode: cf, name: u.name, surname: u.surname, email: u.email, accessId: "" };
}

let laura: Actor, paolo: Actor, anna: Actor, giulia: Actor, ferri: Actor;
let practiceId: number;
let gestoreId: string;
let ownUploadId: string;

const auditActions = async (objectId: string) =>
  (await getDb().select().from(auditLog).where(eq(auditLog.objectId, objectId)).orderBy(auditLog.id)).map((r) => r.action);

/** Everything a refused back-office action could have written. */
async function backOfficeState() {
  const db = getDb();
  const [a] = await db.select({ n: count() }).from(workItems);
  const [b] = await db.select({ n: count() }).from(machineHistory);
  const [c] = await db.select({ n: count() }).from(threads);
  const [d] = await db.select({ n: count() }).from(threadMessages);
  const [e] = await db.select({ n: count() }).from(documents);
  const [f] = await db.select({ n: count() }).from(mailOutbox);
  const items = await db.select().from(workItems);
  return JSON.stringify({ counts: [a!.n, b!.n, c!.n, d!.n, e!.n, f!.n], items });
}

beforeAll(async () => {
  await seedDemo();
  ownUploadId = (await uploadAndProcess(GESTORE_DEMO, fixture("valid-first.txt"))).upload.id;
  const [p] = await getDb().select().from(practices).where(eq(practices.code, "PR-0002"));
  practiceId = p!.id;
  gestoreId = p!.gestoreId;
  const [unit] = await getDb().select().from(orgUnits).where(eq(orgUnits.code, "SETT-CREDITO"));
  await getSql()`update measures set max_days_istruttoria = 90, max_days_sospesa = 60, org_unit_id = ${unit!.id} where code = 'COVID-LIQ'`;
  // An amount anomaly: disbursed above approved, as a later correction would report it.
  await getSql()`update practices set amount_approved = 30000, amount_disbursed = 35000 where code = 'PR-0003'`;
  [laura, paolo, anna, giulia, ferri] = await Promise.all(
    [PEOPLE.funzionario, PEOPLE.dirigente, PEOPLE.amministratore, PEOPLE.operatore, PEOPLE.altroOperatore].map(actor),
  );
});

describe("worklist", () => {
  it("lists over-limit practices (the timeliness computation) and amount anomalies, own unit first, with counts", async () => {
    const w = await worklist(laura, url(), TODAY);
    const codes = w.rows.filter((r) => r.category === "oltre_limite").map((r) => r.code);
    expect(codes).toContain("PR-0002");
    expect(w.rows.find((r) => r.code === "PR-0002")!.ownUnit).toBe(true);
    expect(w.rows.find((r) => r.category === "anomalia")!.code).toBe("PR-0003");
    expect(w.counts.oltre_limite).toBe(codes.length);
    expect(w.counts.anomalia).toBe(1);
    const filtered = await worklist(laura, url("?categoria=anomalia"), TODAY);
    expect(filtered.rows.map((r) => r.category)).toEqual(["anomalia"]);
  });

  it("is refused to gestore users in the data layer", async () => {
    await expect(worklist(giulia, url(), TODAY)).rejects.toThrow(/Solo i funzionari/);
  });
});

describe("taking in charge, assigning, releasing", () => {
  it("takes a practice in charge through the machine runner, with history and audit", async () => {
    const r = await handleWork({ actor: laura }, { practiceId, action: "take", priority: "alta", dueOn: "2026-12-01" });
    expect(r).toEqual({ state: "in_charge", assigneeUserId: laura.userId });
    const [item] = await getDb().select().from(workItems).where(eq(workItems.practiceId, practiceId));
    expect(item).toMatchObject({ state: "in_charge", assigneeUserId: laura.userId, priority: "alta", dueOn: "2026-12-01" });
    const hist = await getDb().select().from(machineHistory).where(and(eq(machineHistory.machine, "work_item"), eq(machineHistory.objectId, item!.id)));
    expect(hist.map((h) => [h.event, h.toState, h.actorUserId])).toEqual([
      ["START", "open", laura.userId],
      ["TAKE", "in_charge", laura.userId],
    ]);
    expect(await auditActions(item!.id)).toEqual(["work_item.start", "work_item.take"]);
    const w = await worklist(laura, url("?mie=1"), TODAY);
    expect(w.rows.map((r) => r.code)).toEqual(["PR-0002"]);
    expect(w.rows[0]!.handling).toMatchObject({ assignee: `${laura.name} ${laura.surname}`, priority: "alta" });
  });

  it("refuses taking again what one already holds, in Italian, changing nothing", async () => {
    const before = await backOfficeState();
    await expect(handleWork({ actor: laura }, { practiceId, action: "take" })).rejects.toThrow("La pratica è già in carico a te.");
    expect(await backOfficeState()).toBe(before);
  });

  it("assigns to a colleague of the same unit and refuses anyone else", async () => {
    const before = await backOfficeState();
    await expect(handleWork({ actor: laura }, { practiceId, action: "assign", assigneeUserId: anna.userId })).rejects.toThrow(
      "Si può assegnare la pratica solo a un funzionario o dirigente della propria struttura.",
    );
    await expect(handleWork({ actor: laura }, { practiceId, action: "assign", assigneeUserId: giulia.userId })).rejects.toThrow(/propria struttura/);
    expect(await backOfficeState()).toBe(before);
    await handleWork({ actor: laura }, { practiceId, action: "assign", assigneeUserId: paolo.userId });
    const [item] = await getDb().select().from(workItems).where(eq(workItems.practiceId, practiceId));
    expect(item!.assigneeUserId).toBe(paolo.userId);
    const [row] = (await getDb().select().from(auditLog).where(and(eq(auditLog.objectId, item!.id), eq(auditLog.action, "work_item.assign"))));
    expect(row).toMatchObject({ actorFiscalCode: PEOPLE.funzionario, details: { from: "in_charge", to: "in_charge", assignee: paolo.userId } });
  });

  it("releases and completes, and refuses releasing what nobody holds", async () => {
    await handleWork({ actor: paolo }, { practiceId, action: "release" });
    const before = await backOfficeState();
    await expect(handleWork({ actor: paolo }, { practiceId, action: "release" })).rejects.toThrow("La pratica non è in carico a nessuno.");
    expect(await backOfficeState()).toBe(before);
    await handleWork({ actor: laura }, { practiceId, action: "take" });
    const [item] = await getDb().select().from(workItems).where(eq(workItems.practiceId, practiceId));
    expect(await auditActions(item!.id)).toEqual(["work_item.start", "work_item.take", "work_item.assign", "work_item.release", "work_item.take"]);
  });

  it("refuses gestore users", async () => {
    const before = await backOfficeState();
    await expect(handleWork({ actor: giulia }, { practiceId, action: "take" })).rejects.toThrow(/Solo i funzionari/);
    expect(await backOfficeState()).toBe(before);
  });

  it("bulk-assigns after a preview, with a result per item and the refused ones with their reason", async () => {
    const [p3] = await getDb().select().from(practices).where(eq(practices.code, "PR-0003"));
    const preview = await previewBulkAssign(laura, [p3!.id, 999999], paolo.userId);
    expect(preview.map((p) => p.ok)).toEqual([true, false]);
    expect(preview[1]!.outcome).toBe("Pratica non trovata.");
    expect(await getDb().select().from(workItems).where(eq(workItems.practiceId, p3!.id))).toEqual([]);
    const results = await bulkAssign({ actor: laura }, [p3!.id, 999999], paolo.userId);
    expect(results).toEqual([
      { practiceId: p3!.id, ok: true, outcome: "Assegnata." },
      { practiceId: 999999, ok: false, outcome: "Pratica non trovata." },
    ]);
  });
});

describe("clarification requests and messages", () => {
  let threadId: string;

  it("an official asks for clarification: the gestore's people get a mail with a link and no personal data", async () => {
    ({ threadId } = await openThread(
      { actor: laura },
      { practiceId, kind: "chiarimento", subject: "Documenti di Rossi Mario", body: "Inviare la visura di Rossi Mario ditta individuale.", dueOn: "2026-11-10" },
    ));
    const mails = await getDb().select().from(mailOutbox).where(eq(mailOutbox.template, "nuovo-messaggio"));
    expect(mails.map((m) => m.recipient).sort()).toEqual(["giulia.bianchi@confidi-demo.example.it", "marco.verdi@confidi-demo.example.it"]);
    for (const m of mails) {
      expect(m.text).toContain(`/messaggi/${threadId}`);
      expect(m.text).toContain("10/11/2026");
      for (const secret of ["Rossi", "RSSMRA80A01H501U", "visura", "PR-0002"]) {
        expect(m.text).not.toContain(secret);
        expect(m.html).not.toContain(secret);
        expect(m.subject).not.toContain(secret);
      }
    }
    expect(await auditActions(threadId)).toEqual(["thread.clarification_request"]);
  });

  it("unanswered past its due date, it appears in the worklist", async () => {
    const w = await worklist(laura, url("?categoria=chiarimento_scaduto"), TODAY);
    expect(w.rows.map((r) => [r.code, r.detail])).toEqual([["PR-0002", "richiesta di chiarimenti scaduta il 10/11/2026"]]);
  });

  it("refuses a request without a due date, changing nothing", async () => {
    const before = await backOfficeState();
    await expect(openThread({ actor: laura }, { practiceId, kind: "chiarimento", subject: "x", body: "y", dueOn: null })).rejects.toThrow(
      "Una richiesta di chiarimenti deve avere una scadenza.",
    );
    expect(await backOfficeState()).toBe(before);
  });

  it("another gestore can never see the thread, its documents or the practice's documents", async () => {
    const db = getDb();
    expect(await listThreads(db, ferri)).toEqual([]);
    await expect(getThread(db, ferri, threadId)).rejects.toBeInstanceOf(OutOfScopeError);
    await expect(listPracticeDocuments(db, ferri, { id: practiceId, gestoreId })).rejects.toBeInstanceOf(OutOfScopeError);
    const before = await backOfficeState();
    await expect(reply({ actor: ferri }, threadId, "curioso")).rejects.toBeInstanceOf(OutOfScopeError);
    expect(await backOfficeState()).toBe(before);
  });

  it("the gestore reads it (read status, audited) and answers with an attachment", async () => {
    const read = await readThread({ actor: giulia }, threadId);
    expect(read!.messages[0]!.readAt).toBeNull(); // as it was when opened…
    const [m] = await getDb().select().from(threadMessages).where(eq(threadMessages.threadId, threadId));
    expect(m!.readAt).not.toBeNull(); // …and now marked read
    const before = await getDb().select().from(mailOutbox);
    await reply({ actor: giulia }, threadId, "Ecco la visura.", { file: { name: "visura.pdf", bytes: pdf("visura") }, docType: "chiarimenti" });
    const [t] = await getDb().select().from(threads).where(eq(threads.id, threadId));
    expect(t!.answeredAt).not.toBeNull();
    expect(await auditActions(threadId)).toEqual(["thread.clarification_request", "thread.view", "thread.clarification_answer"]);
    const docs = await listPracticeDocuments(getDb(), giulia, { id: practiceId, gestoreId });
    expect(docs.map((d) => [d.fileName, d.side, d.version, d.sha256.length])).toEqual([["visura.pdf", "gestore", 1, 64]]);
    const after = await getDb().select().from(mailOutbox);
    expect(after.length - before.length).toBeGreaterThanOrEqual(1);
    expect(after.map((x) => x.recipient)).toContain("laura.neri@regione.example.it");
    // Answered: out of the worklist.
    expect((await worklist(laura, url("?categoria=chiarimento_scaduto"), TODAY)).rows).toEqual([]);
    // The other gestore cannot fetch the attachment.
    await expect(getDocument(getDb(), ferri, docs[0]!.id)).rejects.toBeInstanceOf(OutOfScopeError);
    expect((await getDocument(getDb(), giulia, docs[0]!.id))!.fileName).toBe("visura.pdf");
  });

  it("refuses bad attachments in Italian and writes nothing, not even the message", async () => {
    const cases: [string, Buffer, string, string][] = [
      ["programma.exe", Buffer.from("MZ"), "chiarimenti", "Formato non ammesso"],
      ["vuoto.pdf", Buffer.alloc(0), "chiarimenti", "Il file è vuoto."],
      ["finto.pdf", Buffer.from("non sono un pdf"), "chiarimenti", "Il contenuto del file non corrisponde al formato .pdf."],
      ["grande.txt", Buffer.alloc(10 * 1024 * 1024 + 1, 65), "chiarimenti", "Il file supera la dimensione massima di 10 MB."],
      ["ok.pdf", pdf(), "segreto", "Tipo di documento non valido."],
    ];
    for (const [name, bytes, docType, message] of cases) {
      const before = await backOfficeState();
      await expect(reply({ actor: giulia }, threadId, "allegato", { file: { name, bytes }, docType })).rejects.toThrow(message);
      expect(await backOfficeState()).toBe(before);
    }
  });
});

describe("threads about an upload or an obligation", () => {
  it("a rejected file with no accepted one after it is in the worklist, with what to write about", async () => {
    const { upload } = await uploadAndProcess(GESTORE_ALTRO, fixture("valid-first.txt"));
    expect(upload.status).toBe("rejected");
    const w = await worklist(laura, url("?categoria=file_scartato"), TODAY);
    expect(w.rows.map((r) => [r.gestoreId, r.about])).toEqual([[upload.gestoreId, { uploadId: upload.id }]]);
  });

  it("refuses an upload of another gestore, in Italian, writing nothing; accepts the gestore's own", async () => {
    const { upload } = await uploadAndProcess(GESTORE_ALTRO, fixture("valid-first.txt"));
    const before = await backOfficeState();
    await expect(openThread({ actor: laura }, { gestoreId, kind: "messaggio", subject: "Flusso", body: "x", uploadId: upload.id })).rejects.toThrow(
      "Caricamento non trovato per questo ente.",
    );
    expect(await backOfficeState()).toBe(before);
    const { threadId } = await openThread({ actor: laura }, { gestoreId, kind: "messaggio", subject: "Flusso", body: "x", uploadId: ownUploadId });
    const [t] = await getDb().select().from(threads).where(eq(threads.id, threadId));
    expect(t!.uploadId).toBe(ownUploadId);
  });
});

describe("a gestore writes to the office", () => {
  it("opens a thread of its own gestore; the officials of the measure's unit are told by mail", async () => {
    const before = (await getDb().select().from(mailOutbox)).length;
    const { threadId } = await openThread({ actor: giulia }, { gestoreId: "00000000-0000-4000-8000-000000000000", kind: "messaggio", subject: "Domanda", body: "Come inviamo le rettifiche?" });
    const [t] = await getDb().select().from(threads).where(eq(threads.id, threadId));
    expect(t!.gestoreId).toBe(gestoreId);
    const mails = (await getDb().select().from(mailOutbox)).slice(before);
    expect(mails.map((m) => m.recipient).sort()).toEqual(["laura.neri@regione.example.it", "paolo.rossi@regione.example.it"]);
    expect(await auditActions(threadId)).toEqual(["thread.open"]);
  });

  it("cannot ask for clarifications nor write about another gestore's practice, and nothing is written", async () => {
    const before = await backOfficeState();
    await expect(openThread({ actor: giulia }, { practiceId, kind: "chiarimento", subject: "x", body: "y", dueOn: "2026-12-01" })).rejects.toThrow(
      "Solo gli uffici possono chiedere chiarimenti.",
    );
    await expect(openThread({ actor: ferri }, { practiceId, kind: "messaggio", subject: "x", body: "y" })).rejects.toBeInstanceOf(OutOfScopeError);
    expect(await backOfficeState()).toBe(before);
  });
});

describe("documents", () => {
  it("keeps every version, never overwritten", async () => {
    const first = await getSql().begin((tx) =>
      storeDocument(tx, { file: { name: "verbale.pdf", bytes: pdf("v1") }, docType: "verbale", gestoreId, practiceId, side: "ufficio", uploadedBy: laura.userId }),
    );
    const second = await getSql().begin((tx) =>
      storeDocument(tx, { file: { name: "verbale.pdf", bytes: pdf("v2") }, docType: "verbale", gestoreId, practiceId, side: "ufficio", uploadedBy: laura.userId, seriesId: first.seriesId }),
    );
    expect(second.version).toBe(2);
    expect(second.sha256).not.toBe(first.sha256);
    const rows = await getDb().select().from(documents).where(eq(documents.seriesId, first.seriesId));
    expect(rows.map((r) => r.version).sort()).toEqual([1, 2]);
    await expect(getSql()`update documents set file_name = 'x' where id = ${first.id}`).rejects.toThrow();
    await expect(getSql()`delete from document_chunks where document_id = ${first.id}`).rejects.toThrow();
  });
});

describe("the worklist of issue 14 (docs/decisions/0058)", () => {
  it("shows a change of the data at once, though its conditions are computed once per change", async () => {
    const before = await worklist(laura, url(), TODAY);
    const again = await worklist(laura, url(), TODAY);
    expect(again.computedAt).toBe(before.computedAt); // nothing changed: not recomputed
    await getSql()`update practices set amount_approved = 1000, amount_disbursed = 2000 where code = 'PR-0004'`;
    const after = await worklist(laura, url(), TODAY);
    expect(after.counts.anomalia).toBe(before.counts.anomalia + 1);
    await getSql()`update practices set amount_approved = null, amount_disbursed = null where code = 'PR-0004'`;
    expect((await worklist(laura, url(), TODAY)).counts.anomalia).toBe(before.counts.anomalia);
  });

  it("comes in pages of 50 with counts per category; every row on exactly one page", async () => {
    const first = await worklist(laura, url(), TODAY);
    const keys: string[] = [];
    for (let page = 1; page <= first.pages; page++) {
      const w = await worklist(laura, url(`?pagina=${page}`), TODAY);
      expect(w.rows.length).toBeLessThanOrEqual(50);
      keys.push(...w.rows.map((r) => r.key));
    }
    expect(keys.length).toBe(first.total);
    expect(new Set(keys).size).toBe(first.total);
    expect(Object.values(first.counts).reduce((a, b) => a + b, 0)).toBe(first.total);
    expect((await worklist(laura, url("?pagina=9999"), TODAY)).page).toBe(first.pages);
  });

  it("taking over a practice a colleague holds asks for confirmation naming who holds it, changing nothing", async () => {
    const [free] = await getSql()<{ id: string }[]>`
      select p.id from practices p where not exists (select 1 from work_items w where w.practice_id = p.id) order by p.id limit 1`;
    const id = Number(free!.id);
    await handleWork({ actor: paolo }, { practiceId: id, action: "take" });
    const before = await backOfficeState();
    const refused = await handleWork({ actor: laura }, { practiceId: id, action: "take" }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TakeOverNeedsConfirmation);
    expect((refused as TakeOverNeedsConfirmation).holder).toBe(`${paolo.name} ${paolo.surname}`);
    expect((refused as Error).message).toMatch(new RegExp(`è in carico a ${paolo.name} ${paolo.surname}\\. Confermare`));
    expect(await backOfficeState()).toBe(before);
    expect(await handleWork({ actor: laura }, { practiceId: id, action: "take", takeOver: true })).toEqual({ state: "in_charge", assigneeUserId: laura.userId });
    // Taking again what one holds, or an open practice, needs no confirmation.
    await handleWork({ actor: laura }, { practiceId: id, action: "release" });
    expect((await handleWork({ actor: paolo }, { practiceId: id, action: "take" })).assigneeUserId).toBe(paolo.userId);
  });
});
