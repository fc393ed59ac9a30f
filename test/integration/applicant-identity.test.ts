import crypto from "node:crypto";
import { and, count, desc, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { BUSINESS_CODE_INVALID, CONTACT_LINK_EXPIRED, CONTACT_LINK_INVALID } from "~/applications/applicant-profile.server";
import { sendApplication, startDraft } from "~/applications/applications.server";
import { makeReceipt } from "~/applications/receipt.server";
import { actorOf, type SignedIn } from "~/auth/guards.server";
import { worklist } from "~/backoffice/worklist.server";
import { fillDemoPages, seedDemoApplications } from "~/demo/applications";
import { seedDemoCatalogue } from "~/demo/catalogue";
import { personalFiscalCodeCheckChar } from "~/lib/fiscal-code";
import { addOrgUnit, addUserWithAccess } from "~/registry/registry.server";
import * as area from "~/routes/area-personale._index";
import * as confirm from "~/routes/area-personale.contatto";
import * as officeFile from "~/routes/domande-ricevute.documenti.$fileId";
import * as officeExport from "~/routes/domande-ricevute.esporta";
import * as officeList from "~/routes/domande-ricevute._index";
import * as office from "~/routes/domande-ricevute.$id";
import * as summary from "~/routes/domande.$id.riepilogo";
import { getDb } from "~db/client";
import { applicantProfiles, applicationFiles, applications, auditLog, contactEmailLinks, mailOutbox, procedures, threadMessages } from "~db/schema";
import { PEOPLE, seedDemo } from "../support/actors";
import { call, personAs, signedInAs, type Who } from "../support/applicants";
import { pdfText } from "../support/pdf-text";

/** Issue 15, the applicant's identity and the officials' side: ADRs 90 (contact, office reach), 91 (business), 92 (messages). */

const SOFIA = "RMNSFO88C52H501R";
const MARTA = "GRCMRT84H50A271E";
const cf = (first15: string) => first15 + personalFiscalCodeCheckChar(first15);
const OUTSIDER = cf("BNCLSE80A41A271");

let sofia: Who;
let marta: Who;
let laura: Who;
let outsider: Who;
let procedureId: string;

const signedInOf = (w: Who): SignedIn => ({ actor: actorOf(w.user, w.access), session: null as never });
const tokenOf = (text: string) => /contatto\?t=([\w-]+)/.exec(text)![1]!;
const profileOf = async (userId: string) => (await getDb().select().from(applicantProfiles).where(eq(applicantProfiles.userId, userId)))[0]!;
const linkCount = async (userId: string) => (await getDb().select({ n: count() }).from(contactEmailLinks).where(eq(contactEmailLinks.userId, userId)))[0]!.n;
const sofiaApps = async () => getDb().select().from(applications).where(eq(applications.applicantUserId, sofia.user.id));

async function lastMailTo(to: string, template: string) {
  const [m] = await getDb().select().from(mailOutbox).where(and(eq(mailOutbox.recipient, to), eq(mailOutbox.template, template))).orderBy(desc(mailOutbox.createdAt)).limit(1);
  return m;
}

async function sentApplicationOf(who: Who) {
  const id = await startDraft(new Request("http://localhost/"), signedInOf(who), procedureId);
  await fillDemoPages(signedInOf(who), id);
  await sendApplication(new Request("http://localhost/"), signedInOf(who), id);
  return id;
}

beforeAll(async () => {
  await seedDemo();
  await seedDemoCatalogue(process.env.DATABASE_URL!);
  await seedDemoApplications();
  sofia = await signedInAs(SOFIA, "Sofia");
  marta = await personAs(MARTA);
  laura = await personAs(PEOPLE.funzionario);
  await addOrgUnit(getDb(), { system: "test" }, { code: "UFF-ALTRO", name: "Ufficio estraneo" });
  await addUserWithAccess(getDb(), { system: "test" }, { cf: OUTSIDER, name: "Elisa", surname: "Bianchi", email: "elisa.bianchi@regione.example.it", role: "funzionario", orgUnit: "UFF-ALTRO" });
  outsider = await personAs(OUTSIDER);
  const [p] = await getDb().select().from(procedures).where(eq(procedures.title, "Contributo per nuove assunzioni 2026"));
  procedureId = p!.id;
}, 120_000);

describe("contact e-mail confirmed with a single-use link (ADR 90)", () => {
  const CONTACT = "sofia.contatti@example.it";
  let token: string;

  it("shows the contact as not verified, and refuses a bad address in Italian writing nothing", async () => {
    const page = await call(area.loader, sofia, "/area-personale", {});
    expect((page.data as unknown as { contact: { verified: boolean; email: string } }).contact).toMatchObject({ verified: false, email: "sofia.romano@example.it" });
    const mails = (await getDb().select({ n: count() }).from(mailOutbox))[0]!.n;
    const r = await call(area.action, sofia, "/area-personale", {}, { intent: "contatto", email: "posta@" });
    expect(r.data).toMatchObject({ ok: false, fields: { email: "Indirizzo e-mail non valido" } });
    expect(await linkCount(sofia.user.id)).toBe(0);
    expect((await getDb().select({ n: count() }).from(mailOutbox))[0]!.n).toBe(mails);
  });

  it("mails a link through the outbox; only the token's hash is stored; nothing changes yet", async () => {
    const r = await call(area.action, sofia, "/area-personale", {}, { intent: "contatto", email: CONTACT });
    expect(r.data).toMatchObject({ ok: true, message: expect.stringContaining(`Ti abbiamo inviato un collegamento a ${CONTACT}`) });
    const mail = (await lastMailTo(CONTACT, "contatto-verifica"))!;
    token = tokenOf(mail.text);
    const [link] = await getDb().select().from(contactEmailLinks).where(eq(contactEmailLinks.userId, sofia.user.id));
    expect(link!.tokenHash).toBe(crypto.createHash("sha256").update(token).digest("hex"));
    expect(JSON.stringify(link)).not.toContain(token);
    expect((await profileOf(sofia.user.id)).contactEmailVerifiedAt).toBeNull();
    const page = await call(area.loader, sofia, "/area-personale", {});
    expect((page.data as unknown as { contact: { pending: { email: string } } }).contact.pending.email).toBe(CONTACT);
  });

  it("refuses the link to another applicant, changing nothing", async () => {
    const luca = await signedInAs(cf("SPSLCU90A01F839"), "Luca");
    const r = await call(confirm.action, luca, "/area-personale/contatto", {}, { t: token });
    expect(r.data).toEqual({ ok: false, error: CONTACT_LINK_INVALID });
    expect((await profileOf(sofia.user.id)).contactEmailVerifiedAt).toBeNull();
    expect((await profileOf(luca.user.id)).contactEmail).not.toBe(CONTACT);
  });

  it("confirms once; the same link again is refused in Italian and nothing changes", async () => {
    expect((await call(confirm.loader, sofia, `/area-personale/contatto?t=${token}`, {})).data).toMatchObject({ t: token });
    // Opening the page changed nothing: a mail scanner following the link confirms nothing.
    expect((await profileOf(sofia.user.id)).contactEmailVerifiedAt).toBeNull();
    const ok = await call(confirm.action, sofia, "/area-personale/contatto", {}, { t: token });
    expect(ok.data).toEqual({ ok: true, message: `Indirizzo di contatto confermato: ${CONTACT}. Le comunicazioni sulle tue domande arriveranno qui.` });
    const after = await profileOf(sofia.user.id);
    expect(after.contactEmail).toBe(CONTACT);
    const again = await call(confirm.action, sofia, "/area-personale/contatto", {}, { t: token });
    expect(again.data).toEqual({ ok: false, error: CONTACT_LINK_INVALID });
    expect(await profileOf(sofia.user.id)).toEqual(after);
    const page = await call(area.loader, sofia, "/area-personale", {});
    expect((page.data as unknown as { contact: unknown }).contact).toMatchObject({ verified: true, email: CONTACT, pending: null });
  });

  it("refuses an expired link in Italian, keeping the confirmed contact", async () => {
    await call(area.action, sofia, "/area-personale", {}, { intent: "contatto", email: "altro.contatto@example.it" });
    const expired = tokenOf((await lastMailTo("altro.contatto@example.it", "contatto-verifica"))!.text);
    await getDb().update(contactEmailLinks).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(contactEmailLinks.email, "altro.contatto@example.it"));
    const before = await profileOf(sofia.user.id);
    const r = await call(confirm.action, sofia, "/area-personale/contatto", {}, { t: expired });
    expect(r.data).toEqual({ ok: false, error: CONTACT_LINK_EXPIRED });
    expect(await profileOf(sofia.user.id)).toEqual(before);
    expect((await call(confirm.action, sofia, "/area-personale/contatto", {}, { t: "not a token" })).data).toEqual({ ok: false, error: CONTACT_LINK_INVALID });
  });

  it("sends the confirmation mail of an application to the verified contact", async () => {
    const id = await sentApplicationOf(sofia);
    const [row] = await getDb().select().from(applications).where(eq(applications.id, id));
    const mail = (await getDb().select().from(mailOutbox).where(eq(mailOutbox.dedupeKey, `application-sent:${id}`)))[0]!;
    expect(mail.recipient).toBe(CONTACT);
    expect(mail.text).toContain(row!.number!);
  });
});

describe("legal representative of a business (ADR 91)", () => {
  let mario: Who;
  beforeAll(async () => {
    mario = await signedInAs(cf("RSSMRA80A01H501"), "Mario");
  });

  for (const [what, fields, key, message] of [
    ["a partita IVA with a wrong check digit", { businessName: "Rossi srl", businessCode: "01234567890" }, "businessCode", BUSINESS_CODE_INVALID],
    ["a malformed code", { businessName: "Rossi srl", businessCode: "ABC123" }, "businessCode", BUSINESS_CODE_INVALID],
    ["a missing name", { businessName: " ", businessCode: "01234567897" }, "businessName", "Ragione sociale dell'impresa: campo obbligatorio"],
  ] as const) {
    it(`refuses ${what} beside the field, writing nothing`, async () => {
      const audits = (await getDb().select({ n: count() }).from(auditLog).where(eq(auditLog.action, "applicant.business")))[0]!.n;
      const r = await call(area.action, mario, "/area-personale", {}, { intent: "impresa", ...fields });
      expect(r.data).toMatchObject({ ok: false, fields: { [key]: message } });
      expect(await profileOf(mario.user.id)).toMatchObject({ businessName: null, businessCode: null });
      expect((await getDb().select({ n: count() }).from(auditLog).where(eq(auditLog.action, "applicant.business")))[0]!.n).toBe(audits);
    });
  }

  it("is declared, fixed on the application when sent, and shown on its page, the officials' page and the receipt", async () => {
    const r = await call(area.action, mario, "/area-personale", {}, { intent: "impresa", businessName: "Rossi Impianti srl", businessCode: "IT 01234567897" });
    expect(r.data).toMatchObject({ ok: true });
    expect(await profileOf(mario.user.id)).toMatchObject({ businessName: "Rossi Impianti srl", businessCode: "01234567897" });
    const id = await sentApplicationOf(mario);
    // A later change of the declaration does not change an application already sent.
    await call(area.action, mario, "/area-personale", {}, { intent: "impresa-rimuovi" });
    const text = "Rossi Impianti srl (codice fiscale / partita IVA 01234567897), come legale rappresentante";
    const mine = await call(summary.loader, mario, `/domande/${id}/riepilogo`, { id });
    expect((mine.data as unknown as { onBehalfOf: string }).onBehalfOf).toBe(text);
    const theirs = await call(office.loader, laura, `/domande-ricevute/${id}`, { id });
    expect((theirs.data as unknown as { onBehalfOf: string }).onBehalfOf).toBe(text);
    const fileId = await makeReceipt(id);
    const [file] = await getDb().select().from(applicationFiles).where(eq(applicationFiles.id, fileId!));
    expect(pdfText(new Uint8Array(file!.content)).replace(/\s+/g, " ")).toContain(`Per conto di: ${text}`);
    const draft = await startDraft(new Request("http://localhost/"), signedInOf(mario), procedureId);
    expect((await call(summary.loader, mario, `/domande/${draft}/riepilogo`, { id: draft })).data).toMatchObject({ onBehalfOf: null });
  });
});

describe("officials reach the applications of their offices (ADR 90)", () => {
  it("lists in the search only what the official's unit handles or is routed to", async () => {
    const total = (await sofiaApps()).filter((a) => a.number).length;
    const ofMarta = await call(officeList.loader, marta, "/domande-ricevute", {});
    expect((ofMarta.data as unknown as { total: number }).total).toBeGreaterThanOrEqual(total);
    const ofOutsider = await call(officeList.loader, outsider, "/domande-ricevute", {});
    expect(ofOutsider.data).toMatchObject({ total: 0, counts: [], countsByOffice: [] });
  });

  it("counts sent applications per office: each routed office and the handling unit", async () => {
    const byOffice = ((await call(officeList.loader, laura, "/domande-ricevute", {})).data as unknown as { countsByOffice: { office: string; n: number }[] }).countsByOffice;
    const sum = (office: string) => byOffice.filter((c) => c.office === office).reduce((t, c) => t + c.n, 0);
    const [routed] = await getDb().execute<{ n: number }>(sql`select count(*)::int as n from applications where number is not null and snapshot->'context'->'offices' ? 'SPORTELLO-IMPRESE'`);
    expect(sum("SPORTELLO-IMPRESE")).toBe(routed!.n);
    expect(routed!.n).toBeGreaterThan(0);
    const [handled] = await getDb().execute<{ code: string; n: number }>(sql`
      select u.code, count(*)::int as n from applications a join procedures p on p.id = a.procedure_id join org_units u on u.id = p.org_unit_id
      where a.number is not null group by u.code order by n desc limit 1`);
    expect(sum(handled!.code)).toBe(handled!.n);
  });

  it("answers 403 (audited) to an official of another unit, also for attachments; attachments download for the office, audited", async () => {
    const sent = (await sofiaApps()).find((a) => a.state === "inviata")!;
    expect((await call(office.loader, outsider, `/domande-ricevute/${sent.id}`, { id: sent.id })).status).toBe(403);
    const [attachment] = await getDb().select().from(applicationFiles).where(and(eq(applicationFiles.applicationId, sent.id), eq(applicationFiles.kind, "allegato")));
    expect((await call(officeFile.loader, outsider, `/domande-ricevute/documenti/${attachment!.id}`, { fileId: attachment!.id })).status).toBe(403);
    const denied = await getDb().select().from(auditLog).where(and(eq(auditLog.action, "access.denied"), eq(auditLog.actorUserId, outsider.user.id)));
    expect(denied.map((d) => (d.details as { reason: string }).reason)).toEqual(["application_scope", "application_scope"]);
    const got = await call(officeFile.loader, marta, `/domande-ricevute/documenti/${attachment!.id}`, { fileId: attachment!.id });
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.response!.arrayBuffer()).subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const [audited] = await getDb().select().from(auditLog).where(and(eq(auditLog.action, "application.file_download"), eq(auditLog.actorUserId, marta.user.id)));
    expect(audited).toMatchObject({ objectId: sent.id });
    // An applicant's own download route is not the officials' door, and the reverse.
    expect((await call(officeFile.loader, sofia, `/domande-ricevute/documenti/${attachment!.id}`, { fileId: attachment!.id })).status).toBe(302);
  });

  it("exports the search as XLSX next to CSV, audited with the format; a bad format is a 400", async () => {
    const x = await call(officeExport.loader, marta, "/domande-ricevute/esporta?formato=xlsx", {});
    expect(x.response!.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    const bytes = Buffer.from(await x.response!.arrayBuffer());
    expect(bytes.subarray(0, 2).toString("latin1")).toBe("PK");
    const csv = await call(officeExport.loader, marta, "/domande-ricevute/esporta?formato=csv", {});
    const text = await csv.response!.text();
    expect(text).toContain("Numero;Procedimento;Richiedente;Codice fiscale;Per conto di;");
    expect(text).toContain(";Romano Servizi srl;01234567897;");
    const formats = (await getDb().select().from(auditLog).where(and(eq(auditLog.action, "application.export"), eq(auditLog.actorUserId, marta.user.id)))).map((a) => (a.details as { format: string }).format);
    expect(formats.sort()).toEqual(["csv", "xlsx"]);
    expect((await call(officeExport.loader, marta, "/domande-ricevute/esporta?formato=pdf", {})).status).toBe(400);
    const none = await call(officeExport.loader, outsider, "/domande-ricevute/esporta?formato=csv", {});
    expect((await none.response!.text()).trim().split("\n")).toHaveLength(1);
  });

  it("puts them in the worklist of their offices with due dates, and an integration request once overdue", async () => {
    const url = new URL("http://localhost/lavorazione?categoria=domanda");
    const sent = (await sofiaApps()).find((a) => a.state === "inviata")!;
    const ofMarta = await worklist(actorOf(marta.user, marta.access), url);
    const row = ofMarta.rows.find((r) => r.application?.id === sent.id)!;
    expect(row.detail).toMatch(/^Parere del tuo ufficio atteso/);
    expect(row.application!.dueOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect((await worklist(actorOf(outsider.user, outsider.access), url)).rows.filter((r) => r.application)).toEqual([]);

    const asked = (await sofiaApps()).find((a) => a.state === "integrazione_richiesta")!;
    const due = (asked.snapshot as { context: { integrationDueOn: string } }).context.integrationDueOn;
    const overdue = new URL("http://localhost/lavorazione?categoria=integrazione_scaduta");
    const lauraActor = actorOf(laura.user, laura.access);
    expect((await worklist(lauraActor, overdue, due)).rows.filter((r) => r.application?.id === asked.id)).toEqual([]);
    const dayAfter = new Date(Date.parse(`${due}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const late = (await worklist(lauraActor, overdue, dayAfter)).rows.find((r) => r.application?.id === asked.id)!;
    expect(late).toMatchObject({ category: "integrazione_scaduta", days: 1, application: { dueOn: due } });
    expect(late.detail).toContain("Integrazione richiesta scaduta il");
  });
});

describe("only the handling office starts the review, asks integrations and decides (ADR 90)", () => {
  it("an opinion office's official is offered none of it, and a forged post is 403, audited, nothing changed", async () => {
    const sent = (await sofiaApps()).find((a) => a.state === "integrazione_richiesta")!;
    const seen = async (w: Who) => (await call(office.loader, w, `/domande-ricevute/${sent.id}`, { id: sent.id })).data as unknown as { handles: boolean; routing: { office: string }[] };
    expect((await seen(marta)).handles).toBe(false);
    // The offices the routing rule chose at sending (ADR 95) are shown to the office.
    expect((await seen(marta)).routing.map((c) => c.office)).toEqual(["UFF-LAVORO"]);
    expect((await seen(laura)).handles).toBe(true);
    const forms: Record<string, string>[] = [{ intent: "esito", outcome: "accolta", reasons: "Forzata" }, { intent: "integrazione", dueOn: "2026-12-31" }, { intent: "avvia" }];
    for (const form of forms) {
      expect((await call(office.action, marta, `/domande-ricevute/${sent.id}`, { id: sent.id }, form)).status).toBe(403);
    }
    const [after] = await getDb().select().from(applications).where(eq(applications.id, sent.id));
    expect(after!.state).toBe("integrazione_richiesta");
    const denied = await getDb().select().from(auditLog).where(and(eq(auditLog.action, "access.denied"), eq(auditLog.actorUserId, marta.user.id)));
    expect(denied.filter((d) => (d.details as { reason?: string }).reason === "not the handling office")).toHaveLength(3);
  });
});

describe("one message thread per application (ADR 92)", () => {
  const messages = async (applicationId: string) => (await call(summary.loader, sofia, `/domande/${applicationId}/riepilogo`, { id: applicationId })).data as unknown as { thread: { messages: { side: string; body: string; readAt: string | null }[] } };
  const messageCount = async () => (await getDb().select({ n: count() }).from(threadMessages))[0]!.n;

  it("lets the applicant write from the application's page; the office is told by mail without the text", async () => {
    const sent = (await sofiaApps()).find((a) => a.state === "integrazione_richiesta")!;
    const r = await call(summary.action, sofia, `/domande/${sent.id}/riepilogo`, { id: sent.id }, { intent: "messaggio", body: "Il DURC arriva entro venerdì." });
    expect(r.data).toEqual({ ok: true, message: "Messaggio inviato." });
    const mail = (await lastMailTo("laura.neri@regione.example.it", "nuovo-messaggio"))!;
    expect(mail.text).toContain(`/domande-ricevute/${sent.id}#messaggi`);
    for (const secret of ["DURC", "Sofia", "Romano", SOFIA, "Romano Servizi"]) expect(mail.subject + mail.text + mail.html).not.toContain(secret);
  });

  it("refuses an empty message, a draft and another applicant's application (403, audited), writing nothing", async () => {
    const [sent, draft] = [(await sofiaApps()).find((a) => a.state === "integrazione_richiesta")!, (await sofiaApps()).find((a) => a.state === "bozza")!];
    const before = await messageCount();
    expect((await call(summary.action, sofia, `/domande/${sent.id}/riepilogo`, { id: sent.id }, { intent: "messaggio", body: "  " })).data).toEqual({ ok: false, error: "Scrivere il testo del messaggio" });
    expect((await call(summary.action, sofia, `/domande/${draft.id}/riepilogo`, { id: draft.id }, { intent: "messaggio", body: "Domanda" })).data).toEqual({ ok: false, error: "Potrai scrivere all'ufficio dopo l'invio della domanda." });
    const luca = await signedInAs(cf("SPSLCU90A01F839"), "Luca");
    expect((await call(summary.action, luca, `/domande/${sent.id}/riepilogo`, { id: sent.id }, { intent: "messaggio", body: "Intruso" })).status).toBe(403);
    expect((await call(office.action, outsider, `/domande-ricevute/${sent.id}`, { id: sent.id }, { intent: "messaggio", body: "Intruso" })).status).toBe(403);
    expect(await messageCount()).toBe(before);
    const denied = await getDb().select().from(auditLog).where(and(eq(auditLog.action, "access.denied"), eq(auditLog.actorUserId, luca.user.id)));
    expect(denied.length).toBeGreaterThanOrEqual(1);
  });

  it("lets the handling office answer from the back office; the applicant reads it and the office sees it read", async () => {
    const sent = (await sofiaApps()).find((a) => a.state === "integrazione_richiesta")!;
    const seen = await call(office.loader, laura, `/domande-ricevute/${sent.id}`, { id: sent.id });
    expect((seen.data as unknown as { thread: { messages: { body: string }[] } }).thread.messages.map((m) => m.body)).toEqual(["Il DURC arriva entro venerdì."]);
    const r = await call(office.action, laura, `/domande-ricevute/${sent.id}`, { id: sent.id }, { intent: "messaggio", body: "Grazie, attendiamo il documento." });
    expect(r.data).toEqual({ ok: true, message: "Messaggio inviato." });
    // To the contact Sofia confirmed above, with no text.
    const mail = (await lastMailTo("sofia.contatti@example.it", "nuovo-messaggio"))!;
    expect(mail.text).toContain(`/domande/${sent.id}/riepilogo#messaggi`);
    expect(mail.text).not.toContain("attendiamo");
    const thread = (await messages(sent.id)).thread;
    expect(thread.messages.map((m) => [m.side, m.body])).toEqual([["richiedente", "Il DURC arriva entro venerdì."], ["ufficio", "Grazie, attendiamo il documento."]]);
    const afterRead = await call(office.loader, laura, `/domande-ricevute/${sent.id}`, { id: sent.id });
    const officeMessages = (afterRead.data as unknown as { thread: { messages: { side: string; readAt: string | null }[] } }).thread.messages;
    expect(officeMessages.find((m) => m.side === "ufficio")!.readAt).not.toBeNull();
  });
});
