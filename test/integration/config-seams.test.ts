import { count, desc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "~/auth/api-tokens.server";
import { decideEnablementRequest, submitEnablementRequests, type EnablementActor } from "~/enablement/enablement.server";
import { FieldErrors, InputError, StaleEditError } from "~/lib/errors";
import { personalFiscalCodeCheckChar } from "~/lib/fiscal-code";
import { addMeasure, updateGestore, updateMeasure, updateOrgUnit } from "~/registry/registry.server";
import * as enablementPage from "~/routes/abilitazioni._index";
import * as holidaysPage from "~/routes/admin.festivita";
import * as uploadsApi from "~/routes/api.v1.uploads";
import * as newUploadPage from "~/routes/caricamenti.nuovo";
import * as uploadPost from "~/routes/caricamenti.invia";
import * as practicePage from "~/routes/pratiche._index";
import { runWeeklyDigest } from "~/timeliness/digest.server";
import { runReminders } from "~/timeliness/reminders.server";
import { listExtraHolidays, removeExtraHoliday, setMeasureObligation } from "~/timeliness/settings.server";
import { GESTORE_INACTIVE_MESSAGE } from "~/uploads/receive.server";
import { getDb, getSql } from "~db/client";
import { accesses, auditLog, enablementRequests, extraHolidays, gestori, measures, orgUnits, sessions, uploads } from "~db/schema";
import { cookieFor, GESTORE_DEMO, PEOPLE, seedDemo, statusOf, userOf, viewerOf } from "../support/actors";
import { fixture, gestoreId, uploadAndProcess } from "../support/uploads";

let admin: { actor: { userId: string; fiscalCode: string; role: string } };

beforeAll(async () => {
  await seedDemo();
  const anna = await userOf(PEOPLE.amministratore);
  admin = { actor: { userId: anna.id, fiscalCode: anna.fiscalCode, role: "amministratore" } };
});

/** Runs a change expected to be refused as a form and returns the per-field Italian messages. */
async function refused(p: Promise<unknown>) {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(FieldErrors);
  return (e as FieldErrors).fields;
}

const auditCount = async () => (await getDb().select({ n: count() }).from(auditLog))[0]!.n;
const measureRow = async (code: string) => (await getDb().select().from(measures).where(eq(measures.code, code)))[0]!;
const lastAudit = async (action: string) => (await getDb().select().from(auditLog).where(eq(auditLog.action, action)).orderBy(desc(auditLog.id)).limit(1))[0];

describe("the measure page edits the upload obligation with the timeliness validation", () => {
  const base = async (code: string) => {
    const m = await measureRow(code);
    return {
      name: m.name,
      description: m.description,
      isOpen: "on",
      gestori: [] as string[],
      cadence: "monthly",
      day: "20",
      startsOn: "2026-01-01",
      endsOn: "",
      reminderEveryDays: "5",
      escalateAfterReminders: "2",
      maxDaysIstruttoria: "90",
      maxDaysSospesa: "",
      orgUnitId: "",
      version: String(m.version),
    };
  };

  it("refuses bad settings in Italian next to each field and writes nothing", async () => {
    await addMeasure(getDb(), admin, { code: "SEAM-1", name: "Misura di prova" });
    const before = { row: JSON.stringify(await measureRow("SEAM-1")), audit: await auditCount() };
    const b = await base("SEAM-1");
    expect(await refused(updateMeasure(getDb(), admin, (await measureRow("SEAM-1")).id, { ...b, cadence: "weekly" }))).toMatchObject({
      cadence: "cadenza non valida: usare monthly, every_n_days oppure none",
    });
    expect(await refused(updateMeasure(getDb(), admin, (await measureRow("SEAM-1")).id, { ...b, reminderEveryDays: "0", maxDaysIstruttoria: "tanti", startsOn: "2026-02-30" }))).toEqual({
      reminderEveryDays: "giorni tra i promemoria: almeno 1",
      maxDaysIstruttoria: "giorni massimi in istruttoria: indicare un numero",
      startsOn: "data inesistente",
    });
    expect(await refused(updateMeasure(getDb(), admin, (await measureRow("SEAM-1")).id, { ...b, day: "32", startsOn: "", endsOn: "" }))).toEqual({
      day: "per la cadenza mensile indicare un giorno da 1 a 31",
      startsOn: "obbligatoria: data di inizio dell'obbligo",
    });
    expect(await refused(updateMeasure(getDb(), admin, (await measureRow("SEAM-1")).id, { ...b, cadence: "every_n_days", day: "", endsOn: "2025-12-31", escalateAfterReminders: "" }))).toEqual({
      day: "obbligatorio: giorno del mese successivo (cadenza mensile) o numero di giorni (cadenza ogni N giorni)",
      endsOn: "la data di fine precede quella di inizio",
      escalateAfterReminders: "promemoria prima della segnalazione: campo obbligatorio",
    });
    expect(await refused(updateMeasure(getDb(), admin, (await measureRow("SEAM-1")).id, { ...b, orgUnitId: crypto.randomUUID() }))).toEqual({
      orgUnitId: "Struttura responsabile: la struttura scelta non esiste più",
    });
    // The command line refuses the same day with the same words: one validation.
    const cli = await setMeasureObligation(getDb(), admin, { code: "SEAM-1", cadence: "monthly", day: 32, startsOn: "2026-01-01" }).catch((e: unknown) => e);
    expect(cli).toBeInstanceOf(InputError);
    expect((cli as Error).message).toBe("day: per la cadenza mensile indicare un giorno da 1 a 31");
    expect(JSON.stringify(await measureRow("SEAM-1"))).toBe(before.row);
    expect(await auditCount()).toBe(before.audit);
  });

  it("saves obligation, reminders, limits and org unit, audited; a CLI change makes the open form stale", async () => {
    const [unit] = await getDb().select().from(orgUnits).where(eq(orgUnits.code, "DIR-SVILUPPO"));
    const m = await measureRow("SEAM-1");
    const saved = await updateMeasure(getDb(), admin, m.id, { ...(await base("SEAM-1")), orgUnitId: unit!.id });
    expect(saved).toMatchObject({
      obligationCadence: "monthly",
      obligationDay: 20,
      obligationStartsOn: "2026-01-01",
      obligationEndsOn: null,
      reminderEveryDays: 5,
      escalateAfterReminders: 2,
      maxDaysIstruttoria: 90,
      maxDaysSospesa: null,
      orgUnitId: unit!.id,
      version: m.version + 1,
    });
    const entry = await lastAudit("measure.update");
    expect(entry).toMatchObject({ objectId: m.id, actorUserId: admin.actor.userId });
    expect((entry!.details as { fields: string[] }).fields).toEqual(
      expect.arrayContaining(["orgUnitId", "obligationCadence", "obligationDay", "obligationStartsOn", "reminderEveryDays", "escalateAfterReminders", "maxDaysIstruttoria"]),
    );

    // Cadence "none" removes the obligation.
    const cleared = await updateMeasure(getDb(), admin, m.id, { ...(await base("SEAM-1")), cadence: "none", day: "", startsOn: "" });
    expect(cleared).toMatchObject({ obligationCadence: null, obligationDay: null, obligationStartsOn: null });

    // An administrator's form is open at this version; the command line changes the measure meanwhile.
    const open = await base("SEAM-1");
    await setMeasureObligation(getDb(), { system: "cli" }, { code: "SEAM-1", cadence: "every_n_days", day: 30, startsOn: "2026-03-01" });
    const stale = await updateMeasure(getDb(), admin, m.id, { ...open, day: "10" }).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(StaleEditError);
    expect(await measureRow("SEAM-1")).toMatchObject({ obligationCadence: "every_n_days", obligationDay: 30 });
  });
});

describe("extra holidays page", () => {
  async function signedIn(fiscalCode: string) {
    const cookie = await cookieFor(fiscalCode);
    const u = await userOf(fiscalCode);
    const [s] = await getDb().select().from(sessions).where(eq(sessions.userId, u.id)).orderBy(desc(sessions.createdAt));
    return { cookie, csrf: s!.csrfToken };
  }
  const post = async (form: Record<string, string>, who: string = PEOPLE.amministratore) => {
    const s = await signedIn(who);
    return statusOf(holidaysPage.action, { path: "/admin/festivita", cookie: s.cookie, form: { csrf: s.csrf, ...form } });
  };
  const holidays = async () => JSON.stringify(await getDb().select().from(extraHolidays).orderBy(extraHolidays.id));

  it("is for administrators only", async () => {
    expect((await statusOf(holidaysPage.loader, { path: "/admin/festivita", cookie: await cookieFor(PEOPLE.funzionario) })).status).toBe(403);
    expect((await post({ intent: "add", date: "05-04", name: "San Ciriaco" }, PEOPLE.dirigente)).status).toBe(403);
    expect(await holidays()).toBe("[]");
  });

  it("adds with the command line's validation, lists and removes, audited", async () => {
    const added = await post({ intent: "add", date: "05-04", name: "San Ciriaco" });
    expect(added.data).toMatchObject({ ok: true, message: "Festività «San Ciriaco» registrata." });
    await post({ intent: "add", date: "2026-12-07", name: "Ponte dell'Immacolata" });
    const page = (await statusOf(holidaysPage.loader, { path: "/admin/festivita", cookie: await cookieFor(PEOPLE.amministratore) })).data as {
      holidays: { id: string; name: string; when: string; everyYear: boolean }[];
    };
    expect(page.holidays.map((h) => [h.name, h.when, h.everyYear])).toEqual([
      ["San Ciriaco", "4 maggio", true],
      ["Ponte dell'Immacolata", "7 dicembre 2026", false],
    ]);
    expect(await lastAudit("holiday.create")).toMatchObject({ actorUserId: admin.actor.userId, objectType: "holiday" });

    const before = { rows: await holidays(), audit: await auditCount() };
    for (const [form, field, message] of [
      [{ date: "05-04", name: "Altro" }, "date", "Festività già registrata per questa data: San Ciriaco"],
      [{ date: "04-31", name: "Festa" }, "date", "data inesistente"],
      [{ date: "4 maggio", name: "Festa" }, "date", "date: data non valida: MM-GG per ogni anno, AAAA-MM-GG per un solo giorno"],
      [{ date: "06-24", name: "" }, "name", "name: nome della festività obbligatorio"],
    ] as const) {
      const r = (await post({ intent: "add", ...form })).data as { ok: boolean; fields: Record<string, string> };
      expect(r.ok).toBe(false);
      expect(r.fields[field]).toBe(message);
    }
    expect(await holidays()).toBe(before.rows);
    expect(await auditCount()).toBe(before.audit);

    const ciriaco = page.holidays[0]!;
    expect((await post({ intent: "remove", id: ciriaco.id })).data).toMatchObject({ ok: true, message: "Festività «San Ciriaco» rimossa." });
    expect((await listExtraHolidays(getDb())).map((h) => h.name)).toEqual(["Ponte dell'Immacolata"]);
    expect(await lastAudit("holiday.delete")).toMatchObject({ objectId: ciriaco.id, details: { month: 5, day: 4, year: null, name: "San Ciriaco" } });
    // A second administrator removing the same holiday from an old page: refused, nothing written.
    const auditBefore = await auditCount();
    expect((await post({ intent: "remove", id: ciriaco.id })).data).toMatchObject({ ok: false, error: "Festività inesistente o già rimossa: ricaricare la pagina" });
    expect(await removeExtraHoliday(getDb(), admin, { id: "x" }).catch((e: Error) => e.message)).toBe("id: Festività non valida");
    expect(await auditCount()).toBe(auditBefore);
  });
});

describe("a deactivated gestore", () => {
  let demoId: string;
  async function setActive(active: boolean) {
    const g = (await getDb().select().from(gestori).where(eq(gestori.id, demoId)))[0]!;
    const accredited = await getSql()<{ measure_id: string }[]>`select measure_id from measure_gestori where gestore_id = ${demoId}`;
    await updateGestore(getDb(), admin, demoId, {
      name: g.name,
      email: g.email ?? "",
      pec: g.pec ?? "",
      contacts: g.contacts,
      operatorQuota: String(g.operatorQuota),
      active: active ? "on" : undefined,
      measures: accredited.map((r) => r.measure_id),
      version: String(g.version),
    });
  }
  const uploadCount = async () => (await getDb().select({ n: count() }).from(uploads).where(eq(uploads.gestoreId, demoId)))[0]!.n;

  beforeAll(async () => {
    demoId = await gestoreId(GESTORE_DEMO);
    // Before deactivation: a file with practices (read later by officials) and an obligation due.
    await uploadAndProcess(GESTORE_DEMO, fixture("valid-first.txt"), { today: "2020-07-01" });
    await setMeasureObligation(getDb(), { system: "test" }, { code: "COVID-LIQ", cadence: "monthly", day: 15, startsOn: "2030-01-01", maxDaysIstruttoria: 60 });
  });

  it("cannot upload from the page or the API: refused in Italian, nothing stored", async () => {
    await setActive(false);
    expect(await lastAudit("gestore.deactivate")).toMatchObject({ objectId: demoId });
    const before = await uploadCount();
    const cookie = await cookieFor(PEOPLE.operatore);
    // Signing in still works (docs/decisions/0029): the page explains instead of offering the form.
    const page = await statusOf(newUploadPage.loader, { path: "/caricamenti/nuovo", cookie });
    expect(page.status).toBe(200);
    expect(page.data).toMatchObject({ inactive: GESTORE_INACTIVE_MESSAGE });
    const u = await userOf(PEOPLE.operatore);
    const [s] = await getDb().select().from(sessions).where(eq(sessions.userId, u.id)).orderBy(desc(sessions.createdAt));
    const web = await uploadPost.action({
      request: new Request("http://localhost:3999/caricamenti/invia", {
        method: "POST",
        headers: { cookie, "x-csrf-token": s!.csrfToken, "content-type": "text/plain; charset=utf-8", accept: "application/json" },
        body: fixture("valid-first.txt"),
      }),
      params: {},
      context: {},
    });
    expect(web.status).toBe(403);
    expect(await web.json()).toEqual({ error: GESTORE_INACTIVE_MESSAGE });

    const token = (await createApiToken(getDb(), { system: "test" }, { userId: u.id })).token;
    const api = await uploadsApi
      .action({
        request: new Request("http://localhost:3999/api/v1/uploads", {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "text/plain; charset=utf-8" },
          body: fixture("valid-first.txt"),
        }),
        params: {},
        context: {},
      })
      .catch((e: unknown) => e as Response);
    expect(api.status).toBe(403);
    expect(await api.json()).toMatchObject({ error: { code: "GESTORE_INACTIVE", message: GESTORE_INACTIVE_MESSAGE } });
    expect(await uploadCount()).toBe(before);

    // Past the early check (a deactivation between page and store): refused under lock too.
    const direct = await uploadAndProcess(GESTORE_DEMO, "x").catch((e: Error) => e.message);
    expect(direct).toBe(GESTORE_INACTIVE_MESSAGE);
    expect(await uploadCount()).toBe(before);
  });

  it("its data stays readable to officials and its own users", async () => {
    for (const who of [PEOPLE.funzionario, PEOPLE.operatore]) {
      const list = await statusOf(practicePage.loader, { path: "/pratiche", cookie: await cookieFor(who) });
      expect(list.status).toBe(200);
      expect(JSON.stringify(list.data)).toContain("PR-0002");
    }
  });

  it("gets no reminders and no weekly digest; reactivated, it does", async () => {
    const remindersOfDemo = async () => (await getSql()<{ n: number }[]>`select count(*)::int as n from reminders where gestore_id = ${demoId}`)[0]!.n;
    await runReminders({ now: new Date("2030-02-16T08:00:00Z") });
    expect(await remindersOfDemo()).toBe(0);
    const digest = await runWeeklyDigest({ now: new Date("2020-07-15T06:00:00Z") });
    expect(digest).toMatchObject({ gestori: 0, messages: 0 });
    const demoMails = async () =>
      (await getSql()<{ n: number }[]>`
        select count(*)::int as n from mail_outbox where template in ('promemoria-invio', 'riepilogo-settimanale') and recipient = 'info@confidi-demo.example.it'`)[0]!.n;
    expect(await demoMails()).toBe(0);

    await setActive(true);
    await runReminders({ now: new Date("2030-02-17T08:00:00Z") });
    expect(await remindersOfDemo()).toBe(1);
    expect(await demoMails()).toBe(1);
    expect((await runWeeklyDigest({ now: new Date("2020-07-15T06:00:00Z") })).messages).toBeGreaterThan(0);
  });

  it("cannot be the scope of new enablement requests, nor of approvals", async () => {
    const ref = await userOf(PEOPLE.referente);
    const referente = { actor: { ...(await viewerOf(PEOPLE.referente)), fiscalCode: ref.fiscalCode, name: ref.name, surname: ref.surname, email: ref.email } as EnablementActor };
    const anna = await userOf(PEOPLE.amministratore);
    const administrator = { actor: { ...(await viewerOf(PEOPLE.amministratore)), fiscalCode: anna.fiscalCode, name: anna.name, surname: anna.surname, email: anna.email } as EnablementActor };
    const cf = (letters: string) => letters + "80A01H501" + personalFiscalCodeCheckChar(letters + "80A01H501");
    const person = (letters: string, surname: string, name: string) => ({ surname, name, fiscalCode: cf(letters), email: `${name.toLowerCase()}@example.it`, role: "gestore_operatore" });
    const NOW = new Date("2026-11-20T10:00:00Z");
    // A request filed while the gestore was active.
    const pending = await submitEnablementRequests(referente, [person("BNCLCU", "Bianchi", "Luca")], { now: NOW });
    expect(pending).toMatchObject({ ok: true });
    const pendingId = (pending as { ids: string[] }).ids[0]!;

    await setActive(false);
    const requests = async () => JSON.stringify(await getDb().select().from(enablementRequests).orderBy(enablementRequests.id));
    const before = { requests: await requests(), audit: await auditCount(), accesses: (await getDb().select({ n: count() }).from(accesses))[0]!.n };
    const name = (await getDb().select().from(gestori).where(eq(gestori.id, demoId)))[0]!.name;
    const message = `L'ente gestore ${name} è disattivato: non si possono chiedere né approvare nuove abilitazioni per i suoi operatori`;
    expect(await submitEnablementRequests(referente, [person("VRDNNA", "Verdi", "Anna")], { now: NOW })).toEqual({ ok: false, errors: [{ row: 0, message }], warnings: [] });
    // The requester's page says so before anything is filled in.
    const requesterPage = await statusOf(enablementPage.loader, { path: "/abilitazioni", cookie: await cookieFor(PEOPLE.referente) });
    expect(requesterPage.data).toMatchObject({ inactiveNotice: `${message}.` });
    const approval = await decideEnablementRequest(administrator, pendingId, { decision: "approve" }, { now: NOW }).catch((e: unknown) => e);
    expect(approval).toBeInstanceOf(InputError);
    expect((approval as Error).message).toBe(message);
    expect(await requests()).toBe(before.requests);
    expect(await auditCount()).toBe(before.audit);
    expect((await getDb().select({ n: count() }).from(accesses))[0]!.n).toBe(before.accesses);
    // Rejecting is still possible: it grants nothing.
    await decideEnablementRequest(administrator, pendingId, { decision: "reject", reason: "Ente disattivato" }, { now: NOW });
    expect((await getDb().select().from(enablementRequests).where(eq(enablementRequests.id, pendingId)))[0]!.state).toBe("rejected");
    await setActive(true);
  });
});

describe("org unit quota of enabled users", () => {
  it("is edited on the org unit page (validated, audited, stale refused) and is the quota enablement checks", async () => {
    const v = await viewerOf(PEOPLE.dirigente);
    const unit = (await getDb().select().from(orgUnits).where(eq(orgUnits.id, v.orgUnitId!)))[0]!;
    expect(unit.userQuota).toBe(8);
    const base = { name: unit.name, description: unit.description, headUserId: unit.headUserId ?? "", active: "on", userQuota: "8", version: String(unit.version) };
    const before = { row: JSON.stringify(unit), audit: await auditCount() };
    expect(await refused(updateOrgUnit(getDb(), admin, unit.id, { ...base, userQuota: "0" }))).toEqual({ userQuota: "Numero massimo di utenti abilitati: almeno 1" });
    expect(await refused(updateOrgUnit(getDb(), admin, unit.id, { ...base, userQuota: "" }))).toEqual({ userQuota: "Numero massimo di utenti abilitati: campo obbligatorio" });
    expect(await refused(updateOrgUnit(getDb(), admin, unit.id, { ...base, userQuota: "otto" }))).toEqual({ userQuota: "Numero massimo di utenti abilitati: indicare un numero intero" });
    expect(JSON.stringify((await getDb().select().from(orgUnits).where(eq(orgUnits.id, unit.id)))[0])).toBe(before.row);
    expect(await auditCount()).toBe(before.audit);

    const saved = await updateOrgUnit(getDb(), admin, unit.id, { ...base, userQuota: "1" });
    expect(saved).toMatchObject({ userQuota: 1, version: unit.version + 1 });
    expect(await lastAudit("org_unit.update")).toMatchObject({ objectId: unit.id, details: { fields: ["userQuota"] } });
    expect(await updateOrgUnit(getDb(), admin, unit.id, { ...base, userQuota: "20" }).catch((e: unknown) => e)).toBeInstanceOf(StaleEditError);

    // The dirigente's unit already has more than one person: a new request is over the quota just set.
    const paolo = await userOf(PEOPLE.dirigente);
    const dirigente = { actor: { ...v, fiscalCode: paolo.fiscalCode, name: paolo.name, surname: paolo.surname, email: paolo.email } as EnablementActor };
    const letters = "GLLMRA";
    const fiscalCode = letters + "80A01H501" + personalFiscalCodeCheckChar(letters + "80A01H501");
    const result = await submitEnablementRequests(dirigente, [{ surname: "Galli", name: "Mara", fiscalCode, email: "mara.galli@regione.example.it", role: "funzionario" }], {
      now: new Date("2026-11-20T10:00:00Z"),
    });
    expect(result.ok).toBe(false);
    expect((result as { errors: { message: string }[] }).errors[0]!.message).toMatch(new RegExp(`^Quota superata: ${unit.name} ha \\d+ utenti abilitati o in attesa su un massimo di 1;`));
  });
});
