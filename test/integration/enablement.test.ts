import { and, count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "~/auth/api-tokens.server";
import { commitSessionCookie, createSession, loadSession } from "~/auth/session.server";
import {
  decideEnablementRequest,
  expireAccesses,
  renewAccess,
  revokeAccess,
  sendExpiryReminders,
  submitEnablementRequests,
  withdrawEnablementRequest,
  type EnablementActor,
} from "~/enablement/enablement.server";
import { personalFiscalCodeCheckChar } from "~/lib/fiscal-code";
import { getDb } from "~db/client";
import { personTimeline } from "~db/queries/enablement";
import { OutOfScopeError } from "~db/scope";
import { accesses, apiTokens, auditLog, enablementRequests, gestori, machineHistory, mailOutbox, orgUnits, sessions, users } from "~db/schema";
import { enablementActorOf, GESTORE_ALTRO, GESTORE_DEMO, PEOPLE, seedDemo, userOf } from "../support/actors";

/** A valid codice fiscale for a surname and name (born 1 January 1980 in Rome, man). */
function cf(surnameLetters: string, nameLetters: string, tail = "80A01H501") {
  const first15 = surnameLetters + nameLetters + tail;
  return first15 + personalFiscalCodeCheckChar(first15);
}

const actor = (fiscalCode: string): Promise<{ actor: EnablementActor; ip: string }> => enablementActorOf(fiscalCode);

const db = () => getDb();
const requestCount = async () => (await db().select({ n: count() }).from(enablementRequests))[0]!.n;
const historyOf = (objectId: string) => db().select().from(machineHistory).where(eq(machineHistory.objectId, objectId)).orderBy(machineHistory.id);
const mailsTo = (recipient: string, template: string) =>
  db().select().from(mailOutbox).where(and(eq(mailOutbox.recipient, recipient), eq(mailOutbox.template, template)));
const requestRow = async (id: string) => (await db().select().from(enablementRequests).where(eq(enablementRequests.id, id)))[0]!;
const accessRow = async (id: string) => (await db().select().from(accesses).where(eq(accesses.id, id)))[0]!;

let referente: Awaited<ReturnType<typeof actor>>;
let referenteAltro: Awaited<ReturnType<typeof actor>>;
let dirigente: Awaited<ReturnType<typeof actor>>;
let admin: Awaited<ReturnType<typeof actor>>;
let operatore: Awaited<ReturnType<typeof actor>>;

const NOW = new Date("2026-11-20T10:00:00.000Z");
const ROSSI = { surname: "Rossi", name: "Mario", fiscalCode: cf("RSS", "MRA"), email: "mario.rossi@confidi-demo.example.it", role: "gestore_operatore" };

beforeAll(async () => {
  await seedDemo();
  referente = await actor(PEOPLE.referente);
  dirigente = await actor(PEOPLE.dirigente);
  admin = await actor(PEOPLE.amministratore);
  operatore = await actor(PEOPLE.operatore);
  // A referente of the other gestore, so scope refusals have someone to come from.
  const other = await db().select().from(gestori).where(eq(gestori.fiscalCode, GESTORE_ALTRO));
  const ferri = await userOf(PEOPLE.altroOperatore);
  await db().update(accesses).set({ role: "gestore_referente" }).where(and(eq(accesses.userId, ferri.id), eq(accesses.gestoreId, other[0]!.id)));
  referenteAltro = await actor(PEOPLE.altroOperatore);
});

describe("submitting enablement requests", () => {
  it("a referente requests an operator of their gestore: submitted, with history, audit and mail to administrators", async () => {
    const result = await submitEnablementRequests(referente, [ROSSI], { now: NOW });
    expect(result).toEqual({ ok: true, ids: [expect.any(String)] });
    const id = (result as { ids: string[] }).ids[0]!;
    const row = await requestRow(id);
    expect(row).toMatchObject({ state: "submitted", role: "gestore_operatore", fiscalCode: ROSSI.fiscalCode, gestoreId: referente.actor.gestoreId, requestedBy: referente.actor.userId, nameMismatchConfirmed: false });
    expect(row.snapshot).toMatchObject({ value: "submitted" });
    expect((await historyOf(id)).map((h) => [h.event, h.fromState, h.toState])).toEqual([["START", null, "submitted"]]);
    const audited = await db().select().from(auditLog).where(and(eq(auditLog.objectId, id), eq(auditLog.action, "enablement_request.start")));
    expect(audited).toHaveLength(1);
    const mail = await mailsTo("anna.gallo@regione.example.it", "enablement-requested");
    expect(mail).toHaveLength(1);
    expect(mail[0]!.text).toContain("Mario Rossi — Operatore ente gestore");
  });

  it.each([
    [{ ...ROSSI, fiscalCode: ROSSI.fiscalCode.slice(0, 15) + (ROSSI.fiscalCode[15] === "A" ? "B" : "A") }, expect.stringMatching(/^Codice fiscale non valido: il carattere di controllo è «[AB]» ma dovrebbe essere «[A-Z]»/)],
    [{ ...ROSSI, fiscalCode: cf("VRD", "LCU"), email: "non-una-mail" }, "Indirizzo e-mail non valido"],
    [{ ...ROSSI, fiscalCode: cf("VRD", "LCU"), surname: "" }, "Cognome obbligatorio"],
    [{ ...ROSSI, fiscalCode: cf("VRD", "LCU"), name: "Luca3" }, "Nome: solo lettere, spazi, apostrofi e trattini"],
  ])("refuses bad input with an Italian message and writes nothing (%#)", async (entry, message) => {
    const before = await requestCount();
    const result = await submitEnablementRequests(referente, [entry], { now: NOW });
    expect(result.ok).toBe(false);
    expect((result as { errors: { message: string }[] }).errors.map((e) => e.message)).toEqual(expect.arrayContaining([message]));
    expect(await requestCount()).toBe(before);
  });

  it("flags a codice fiscale whose letters do not match the names, and sends only once confirmed", async () => {
    const typo = { surname: "Verdi", name: "Luca", fiscalCode: cf("VRD", "LCA"), email: "luca.verdi@confidi-demo.example.it", role: "gestore_operatore" };
    const before = await requestCount();
    const warned = await submitEnablementRequests(referente, [typo], { now: NOW });
    expect(warned).toMatchObject({ ok: false, errors: [] });
    expect((warned as { warnings: { message: string }[] }).warnings[0]!.message).toMatch(/non corrisponde a cognome e nome indicati .*VRDLCU/);
    expect(await requestCount()).toBe(before);
    const sent = await submitEnablementRequests(referente, [typo], { now: NOW, confirmMismatch: true });
    expect(sent.ok).toBe(true);
    expect((await requestRow((sent as { ids: string[] }).ids[0]!)).nameMismatchConfirmed).toBe(true);
  });

  it("refuses a duplicate pending request for the same person and scope", async () => {
    const before = await requestCount();
    const result = await submitEnablementRequests(referente, [ROSSI], { now: NOW });
    expect(result).toMatchObject({ ok: false, errors: [{ message: expect.stringMatching(/esiste già una richiesta in attesa/) }] });
    expect(await requestCount()).toBe(before);
  });

  it("refuses enabling a person already active in that scope", async () => {
    const before = await requestCount();
    const giulia = { surname: "Bianchi", name: "Giulia", fiscalCode: PEOPLE.operatore, email: "giulia.bianchi@confidi-demo.example.it", role: "gestore_operatore" };
    const result = await submitEnablementRequests(referente, [giulia], { now: NOW });
    expect(result).toMatchObject({ ok: false, errors: [{ message: expect.stringMatching(/già abilitata con questo ruolo/) }] });
    expect(await requestCount()).toBe(before);
  });

  it("refuses a requester acting outside their gestore (a crafted scope), auditing the attempt", async () => {
    const before = await requestCount();
    const [altro] = await db().select().from(gestori).where(eq(gestori.fiscalCode, GESTORE_ALTRO));
    const result = await submitEnablementRequests(referente, [{ ...ROSSI, fiscalCode: cf("BRN", "LSU"), gestoreId: altro!.id }], { now: NOW });
    expect(result).toMatchObject({ ok: false, errors: [{ message: "Puoi chiedere abilitazioni solo per il tuo ente gestore" }] });
    expect(await requestCount()).toBe(before);
    const denied = await db().select().from(auditLog).where(and(eq(auditLog.action, "enablement_request.submit"), eq(auditLog.outcome, "denied")));
    expect(denied.length).toBeGreaterThan(0);
  });

  it("refuses roles outside the requester's remit: a referente asking for an official, a dirigente for an operator", async () => {
    const before = await requestCount();
    const a = await submitEnablementRequests(referente, [{ ...ROSSI, fiscalCode: cf("BRN", "LSU"), role: "funzionario" }], { now: NOW });
    expect(a).toMatchObject({ ok: false, errors: [{ message: expect.stringMatching(/^Ruolo non ammesso/) }] });
    const b = await submitEnablementRequests(dirigente, [{ ...ROSSI, fiscalCode: cf("BRN", "LSU"), role: "gestore_operatore" }], { now: NOW });
    expect(b).toMatchObject({ ok: false, errors: [{ message: "Ruolo non ammesso: puoi chiedere Funzionario o Operatore help desk" }] });
    await expect(submitEnablementRequests(operatore, [ROSSI], { now: NOW })).rejects.toThrow(/Solo i referenti/);
    expect(await requestCount()).toBe(before);
  });

  it("refuses a request beyond the org unit's quota of active users", async () => {
    // Laura, Paolo and the help-desk operator Silvia Marchetti are active there.
    await db().update(orgUnits).set({ userQuota: 3 }).where(eq(orgUnits.code, "SETT-CREDITO"));
    const before = await requestCount();
    const result = await submitEnablementRequests(dirigente, [{ surname: "Conti", name: "Sara", fiscalCode: cf("CNT", "SRA", "85M41H501"), email: "sara.conti@regione.example.it" }], { now: NOW });
    expect(result).toMatchObject({ ok: false, errors: [{ message: expect.stringMatching(/^Quota superata: Settore Credito .* 3 utenti abilitati o in attesa su un massimo di 3/) }] });
    expect(await requestCount()).toBe(before);
    await db().update(orgUnits).set({ userQuota: 8 }).where(eq(orgUnits.code, "SETT-CREDITO"));
    const ok = await submitEnablementRequests(dirigente, [{ surname: "Conti", name: "Sara", fiscalCode: cf("CNT", "SRA", "85M41H501"), email: "sara.conti@regione.example.it" }], { now: NOW });
    expect(ok.ok).toBe(true);
  });

  it("refuses a list beyond the gestore's quota, naming the numbers, and sends none of it", async () => {
    await db().update(gestori).set({ operatorQuota: 5 }).where(eq(gestori.fiscalCode, GESTORE_DEMO));
    const before = await requestCount();
    const rows = ["BNCNDR", "GLLFBA", "MRNLSN"].map((letters, i) => ({ surname: "X", name: "Y", fiscalCode: cf(letters.slice(0, 3), letters.slice(3), `8${i}A01H501`), email: `p${i}@example.it`, role: "gestore_operatore" }));
    const result = await submitEnablementRequests(referente, rows, { now: NOW, confirmMismatch: true });
    expect(result).toMatchObject({ ok: false, errors: [{ row: 0, message: expect.stringMatching(/^Quota superata: Confidi Demo Marche ha 4 utenti .* massimo di 5; con questa richiesta sarebbero 7$/) }] });
    expect(await requestCount()).toBe(before);
    await db().update(gestori).set({ operatorQuota: 8 }).where(eq(gestori.fiscalCode, GESTORE_DEMO));
  });
});

describe("deciding, withdrawing", () => {
  let rossiRequest: string;
  let rossiAccess: string;

  it("approval activates the person's access (creating the user) for the configured term and tells requester and person", async () => {
    [rossiRequest] = (await db().select({ id: enablementRequests.id }).from(enablementRequests).where(eq(enablementRequests.fiscalCode, ROSSI.fiscalCode))).map((r) => r.id);
    const decidedAt = new Date("2026-11-21T09:00:00.000Z");
    await decideEnablementRequest(admin, rossiRequest!, { decision: "approve" }, { now: decidedAt });
    const row = await requestRow(rossiRequest!);
    expect(row).toMatchObject({ state: "approved", decidedBy: admin.actor.userId, decidedAt });
    const user = await userOf(ROSSI.fiscalCode);
    expect(user).toMatchObject({ name: "Mario", surname: "Rossi", email: ROSSI.email });
    expect(row.userId).toBe(user.id);
    rossiAccess = row.accessId!;
    const access = await accessRow(rossiAccess);
    expect(access).toMatchObject({ status: "active", role: "gestore_operatore", gestoreId: referente.actor.gestoreId, expiresAt: new Date("2027-11-21T09:00:00.000Z") });
    expect((await historyOf(rossiRequest!)).map((h) => h.event)).toEqual(["START", "APPROVE"]);
    expect((await historyOf(rossiAccess)).map((h) => [h.event, h.toState])).toEqual([["START", "active"]]);
    expect((await mailsTo(ROSSI.email, "enablement-decided"))[0]!.subject).toBe("Richiesta di abilitazione approvata: Mario Rossi");
    expect(await mailsTo("marco.verdi@confidi-demo.example.it", "enablement-decided")).toHaveLength(1);
  });

  it("refuses approving or rejecting a request already decided, applying nothing twice", async () => {
    const before = await historyOf(rossiRequest);
    const accessCount = (await db().select({ n: count() }).from(accesses))[0]!.n;
    await expect(decideEnablementRequest(admin, rossiRequest, { decision: "approve" })).rejects.toThrow("La richiesta non è più in attesa: è già stata decisa o ritirata. Nessuna modifica è stata fatta.");
    await expect(decideEnablementRequest(admin, rossiRequest, { decision: "reject", reason: "doppia" })).rejects.toThrow(/non è più in attesa/);
    expect(await historyOf(rossiRequest)).toEqual(before);
    expect((await db().select({ n: count() }).from(accesses))[0]!.n).toBe(accessCount);
    expect((await requestRow(rossiRequest)).state).toBe("approved");
  });

  it("two administrators deciding at once: one decision applies, the other is refused", async () => {
    const person = { surname: "Longo", name: "Marta", fiscalCode: cf("LNG", "MRT", "80A41H501"), email: "marta.longo@example.it", role: "gestore_operatore" };
    const twice = await Promise.all([submitEnablementRequests(referente, [person], { now: NOW }), submitEnablementRequests(referente, [person], { now: NOW })]);
    expect(twice.map((r) => r.ok).sort()).toEqual([false, true]);
    const id = (twice.find((r) => r.ok) as { ids: string[] }).ids[0]!;
    const outcomes = await Promise.allSettled([
      decideEnablementRequest(admin, id, { decision: "approve" }),
      decideEnablementRequest(admin, id, { decision: "reject", reason: "doppione" }),
    ]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const refused = outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult;
    expect(String(refused.reason)).toMatch(/non è più in attesa/);
    expect((await historyOf(id)).map((h) => h.event).filter((e) => e !== "START")).toHaveLength(1);
    const row = await requestRow(id);
    const grants = await db().select().from(accesses).innerJoin(users, eq(users.id, accesses.userId)).where(eq(users.fiscalCode, person.fiscalCode));
    expect(grants).toHaveLength(row.state === "approved" ? 1 : 0);
  });

  it("rejection needs a reason, keeps it and tells the requester", async () => {
    const person = { surname: "Neri", name: "Carla", fiscalCode: cf("NRE", "CRL", "80A41H501"), email: "carla.neri@confidi-demo.example.it", role: "gestore_operatore" };
    const { ids } = (await submitEnablementRequests(referente, [person], { now: NOW })) as { ids: string[] };
    await expect(decideEnablementRequest(admin, ids[0]!, { decision: "reject", reason: "  " })).rejects.toThrow("Indicare il motivo del rifiuto");
    expect((await requestRow(ids[0]!)).state).toBe("submitted");
    await decideEnablementRequest(admin, ids[0]!, { decision: "reject", reason: "Persona non più in servizio" });
    expect(await requestRow(ids[0]!)).toMatchObject({ state: "rejected", reason: "Persona non più in servizio", accessId: null });
    const [mail] = await mailsTo("marco.verdi@confidi-demo.example.it", "enablement-decided").then((m) => m.filter((x) => x.subject === "Richiesta di abilitazione respinta: Carla Neri"));
    expect(mail!.text).toContain("Motivo: Persona non più in servizio");
  });

  it("only administrators decide", async () => {
    const person = { surname: "Gatti", name: "Elena", fiscalCode: cf("GTT", "LNE", "80A41H501"), email: "elena.gatti@example.it", role: "gestore_operatore" };
    const { ids } = (await submitEnablementRequests(referente, [person], { now: NOW })) as { ids: string[] };
    await expect(decideEnablementRequest(referente, ids[0]!, { decision: "approve" })).rejects.toThrow(/Solo un amministratore/);
    expect((await requestRow(ids[0]!)).state).toBe("submitted");
    // Withdrawn by the requester's side, then an administrator's late approval is refused.
    await expect(withdrawEnablementRequest(referenteAltro, ids[0]!)).rejects.toThrow("Richiesta non trovata");
    expect((await requestRow(ids[0]!)).state).toBe("submitted");
    await withdrawEnablementRequest(referente, ids[0]!);
    expect((await requestRow(ids[0]!)).state).toBe("withdrawn");
    await expect(decideEnablementRequest(admin, ids[0]!, { decision: "approve" })).rejects.toThrow(/non è più in attesa/);
    await expect(withdrawEnablementRequest(referente, ids[0]!)).rejects.toThrow(/non è più in attesa/);
    expect((await requestRow(ids[0]!)).accessId).toBeNull();
  });

  it("approval is refused when the quota filled up meanwhile", async () => {
    const person = { surname: "Fabbri", name: "Nadia", fiscalCode: cf("FBB", "NDA", "80A41H501"), email: "nadia.fabbri@example.it", role: "gestore_referente" };
    const { ids } = (await submitEnablementRequests(referente, [person], { now: NOW })) as { ids: string[] };
    const active = await db()
      .selectDistinct({ userId: accesses.userId })
      .from(accesses)
      .where(and(eq(accesses.gestoreId, referente.actor.gestoreId!), eq(accesses.status, "active")));
    await db().update(gestori).set({ operatorQuota: active.length }).where(eq(gestori.fiscalCode, GESTORE_DEMO));
    try {
      await expect(decideEnablementRequest(admin, ids[0]!, { decision: "approve" })).rejects.toThrow(
        `Quota raggiunta: Confidi Demo Marche ha già ${active.length} utenti abilitati su un massimo di ${active.length}`,
      );
      expect((await requestRow(ids[0]!)).state).toBe("submitted");
    } finally {
      await db().update(gestori).set({ operatorQuota: 8 }).where(eq(gestori.fiscalCode, GESTORE_DEMO));
    }
  });

  describe("the access", () => {
    it("is renewed by the requester's side before expiry, for a full term from the renewal", async () => {
      await renewAccess(referente, rossiAccess, { now: new Date("2027-10-30T12:00:00.000Z") });
      expect((await accessRow(rossiAccess)).expiresAt).toEqual(new Date("2028-10-30T12:00:00.000Z"));
      expect((await historyOf(rossiAccess)).map((h) => h.event)).toEqual(["START", "RENEW"]);
      await expect(renewAccess(referenteAltro, rossiAccess)).rejects.toThrow("Abilitazione non trovata");
    });

    it("reminds the requester 30 and then 7 days before expiry, once each", async () => {
      const expires = (await accessRow(rossiAccess)).expiresAt!;
      const at = (days: number) => new Date(expires.getTime() - days * 86_400_000);
      expect(await sendExpiryReminders(at(40))).toEqual({ queued: 0 });
      expect(await sendExpiryReminders(at(29))).toEqual({ queued: 1 });
      expect(await sendExpiryReminders(at(28))).toEqual({ queued: 0 });
      expect(await sendExpiryReminders(at(6))).toEqual({ queued: 1 });
      expect(await sendExpiryReminders(at(5))).toEqual({ queued: 0 });
      const mails = await mailsTo("marco.verdi@confidi-demo.example.it", "access-expiring");
      expect(mails.map((m) => m.text.match(/tra (\d+) giorni/)![1])).toEqual(["29", "6"]);
    });

    it("is revoked at once by the referente: sessions and API tokens end, administrators are told", async () => {
      const user = await userOf(ROSSI.fiscalCode);
      const token = await createSession(getDb(), { userId: user.id, accessId: rossiAccess });
      const cookie = (await commitSessionCookie(token)).split(";")[0]!;
      const req = () => new Request("http://localhost:3999/", { headers: { cookie } });
      expect(await loadSession(req())).not.toBeNull();
      await createApiToken(getDb(), { system: "test" }, { userId: user.id });
      await expect(revokeAccess(referenteAltro, rossiAccess)).rejects.toThrow("Abilitazione non trovata");
      expect((await accessRow(rossiAccess)).status).toBe("active");

      await revokeAccess(referente, rossiAccess, { reason: "Dimissioni" });
      expect(await accessRow(rossiAccess)).toMatchObject({ status: "revoked", revokedAt: expect.any(Date) });
      expect(await db().select().from(sessions).where(eq(sessions.accessId, rossiAccess))).toHaveLength(0);
      expect(await loadSession(req())).toBeNull();
      const tokens = await db().select().from(apiTokens).where(eq(apiTokens.userId, user.id));
      expect(tokens.every((t) => t.revokedAt !== null)).toBe(true);
      expect((await historyOf(rossiAccess)).map((h) => [h.event, h.toState])).toEqual([["START", "active"], ["RENEW", "active"], ["REVOKE", "revoked"]]);
      expect((await mailsTo("anna.gallo@regione.example.it", "access-revoked"))[0]!.text).toContain("Motivo: Dimissioni");
      await expect(revokeAccess(referente, rossiAccess)).rejects.toThrow("L'abilitazione non è più attiva: nessuna modifica è stata fatta");
      await expect(renewAccess(referente, rossiAccess)).rejects.toThrow(/non si può rinnovare/);
    });

    it("when an administrator revokes, the person's requester is told", async () => {
      const person = { surname: "Serra", name: "Paola", fiscalCode: cf("SRR", "PLA", "80A41H501"), email: "paola.serra@example.it", role: "gestore_operatore" };
      const { ids } = (await submitEnablementRequests(referente, [person], { now: NOW })) as { ids: string[] };
      await decideEnablementRequest(admin, ids[0]!, { decision: "approve" }, { now: NOW });
      const before = (await mailsTo("marco.verdi@confidi-demo.example.it", "access-revoked")).length;
      await revokeAccess(admin, (await requestRow(ids[0]!)).accessId!, { reason: "Verifica periodica", now: NOW });
      const after = await mailsTo("marco.verdi@confidi-demo.example.it", "access-revoked");
      expect(after).toHaveLength(before + 1);
      expect(after.some((m) => m.text.includes("Paola Serra") && m.text.includes("da Anna Gallo"))).toBe(true);
    });

    it("can be requested again after revocation, and the new access expires at the end of its term", async () => {
      const { ids } = (await submitEnablementRequests(referente, [ROSSI], { now: NOW })) as { ids: string[] };
      await decideEnablementRequest(admin, ids[0]!, { decision: "approve" }, { now: NOW });
      const accessId = (await requestRow(ids[0]!)).accessId!;
      const user = await userOf(ROSSI.fiscalCode);
      await createSession(getDb(), { userId: user.id, accessId });
      expect(await expireAccesses(new Date("2027-11-19T10:00:00.000Z"))).toEqual({ expired: 0 });
      expect(await expireAccesses(new Date("2027-11-20T10:00:00.000Z"))).toEqual({ expired: 1 });
      expect((await accessRow(accessId)).status).toBe("expired");
      expect(await db().select().from(sessions).where(eq(sessions.accessId, accessId))).toHaveLength(0);
      expect(await expireAccesses(new Date("2027-11-21T10:00:00.000Z"))).toEqual({ expired: 0 });
      const [h] = (await historyOf(accessId)).filter((x) => x.event === "EXPIRE");
      expect(h).toMatchObject({ fromState: "active", toState: "expired", actorRole: "system:enablement-expiry" });
    });

    it("a dirigente revokes an official of their org unit (administrators are told); an administrator revokes anyone but not themself", async () => {
      const laura = await userOf(PEOPLE.funzionario);
      const [lauraAccess] = await db().select().from(accesses).where(eq(accesses.userId, laura.id));
      await expect(revokeAccess(referente, lauraAccess!.id)).rejects.toThrow("Abilitazione non trovata");
      expect((await accessRow(lauraAccess!.id)).status).toBe("active");
      const adminMailsBefore = (await mailsTo("anna.gallo@regione.example.it", "access-revoked")).length;
      await revokeAccess(dirigente, lauraAccess!.id);
      expect((await accessRow(lauraAccess!.id)).status).toBe("revoked");
      expect(await mailsTo("anna.gallo@regione.example.it", "access-revoked")).toHaveLength(adminMailsBefore + 1);
      expect(await mailsTo("paolo.rossi@regione.example.it", "access-revoked")).toHaveLength(1);

      const [adminAccess] = await db().select().from(accesses).where(eq(accesses.userId, admin.actor.userId));
      await expect(revokeAccess(admin, adminAccess!.id)).rejects.toThrow("Non puoi revocare la tua stessa abilitazione");
      expect((await accessRow(adminAccess!.id)).status).toBe("active");
      const giulia = await userOf(PEOPLE.operatore);
      const [giuliaAccess] = await db().select().from(accesses).where(eq(accesses.userId, giulia.id));
      await revokeAccess(admin, giuliaAccess!.id, { reason: "verifica" });
      expect((await accessRow(giuliaAccess!.id)).status).toBe("revoked");
      // A row granted before the machine existed had no snapshot: the runner derived it from its status.
      expect((await historyOf(giuliaAccess!.id)).map((h) => [h.fromState, h.toState])).toEqual([["active", "revoked"]]);
    });
  });

  it("shows each transition on the person's timeline, only within the viewer's scope", async () => {
    const user = await userOf(ROSSI.fiscalCode);
    const t = await personTimeline(getDb(), referente.actor, user.id);
    expect(t!.person.fiscalCode).toBe(ROSSI.fiscalCode);
    const events = t!.timeline.map((e) => `${e.machine}:${e.event}`);
    expect(events).toEqual(expect.arrayContaining(["enablement_request:START", "enablement_request:APPROVE", "access:START", "access:RENEW", "access:REVOKE", "access:EXPIRE"]));
    await expect(personTimeline(getDb(), referenteAltro.actor, user.id)).rejects.toBeInstanceOf(OutOfScopeError);
    const adminView = await personTimeline(getDb(), admin.actor, user.id);
    expect(adminView!.timeline.length).toBe(t!.timeline.length);
  });
});

describe("enablement data is consistent", () => {
  it("has no user without access created by a refused request", async () => {
    const orphans = await db().select().from(users).where(eq(users.fiscalCode, cf("BRN", "LSU")));
    expect(orphans).toHaveLength(0);
  });
});
