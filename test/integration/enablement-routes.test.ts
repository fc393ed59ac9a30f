import { and, count, desc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { personalFiscalCodeCheckChar } from "~/lib/fiscal-code";
import * as adminPage from "~/routes/admin.abilitazioni";
import * as bulkPage from "~/routes/abilitazioni.elenco";
import * as page from "~/routes/abilitazioni._index";
import * as personPage from "~/routes/abilitazioni.persone.$key";
import { getDb } from "~db/client";
import { auditLog, enablementRequests, gestori, sessions } from "~db/schema";
import { cookieFor, GESTORE_ALTRO, PEOPLE, seedDemo, statusOf, userOf } from "../support/actors";

function cf(letters: string, tail = "80A01H501") {
  return letters + tail + personalFiscalCodeCheckChar(letters + tail);
}

async function signedIn(fiscalCode: string) {
  const cookie = await cookieFor(fiscalCode);
  const u = await userOf(fiscalCode);
  const [s] = await getDb().select().from(sessions).where(eq(sessions.userId, u.id)).orderBy(desc(sessions.createdAt));
  return { cookie, csrf: s!.csrfToken };
}

const requestCount = async () => (await getDb().select({ n: count() }).from(enablementRequests))[0]!.n;
type Outcome = { ok: boolean; message?: string; error?: string; errors?: { row: number; message: string }[]; warnings?: { row: number; message: string }[] };

let referente: { cookie: string; csrf: string };
let admin: { cookie: string; csrf: string };

beforeAll(async () => {
  await seedDemo();
  referente = await signedIn(PEOPLE.referente);
  admin = await signedIn(PEOPLE.amministratore);
});

describe("enablement pages", () => {
  it("are only for requesters and administrators", async () => {
    const operatore = await signedIn(PEOPLE.operatore);
    expect((await statusOf(page.loader, { path: "/abilitazioni", cookie: operatore.cookie })).status).toBe(403);
    expect((await statusOf(adminPage.loader, { path: "/admin/abilitazioni", cookie: referente.cookie })).status).toBe(403);
    expect((await statusOf(page.loader, { path: "/abilitazioni", cookie: referente.cookie })).status).toBe(200);
    expect((await statusOf(page.loader, { path: "/abilitazioni" })).status).toBe(302);
  });

  it("refuse a post without the session's CSRF token", async () => {
    const before = await requestCount();
    const r = await statusOf(page.action, { path: "/abilitazioni", cookie: referente.cookie, form: { intent: "request", surname: "Rossi", name: "Mario", fiscalCode: cf("RSSMRA"), email: "m@x.it", role: "gestore_operatore" } });
    expect(r.status).toBe(403);
    expect(await requestCount()).toBe(before);
  });

  it("refuse a crafted request for another gestore with the Italian message, writing nothing", async () => {
    const [altro] = await getDb().select().from(gestori).where(eq(gestori.fiscalCode, GESTORE_ALTRO));
    const before = await requestCount();
    const r = await statusOf(page.action, {
      path: "/abilitazioni",
      cookie: referente.cookie,
      form: { csrf: referente.csrf, intent: "request", surname: "Rossi", name: "Mario", fiscalCode: cf("RSSMRA"), email: "m@x.it", role: "gestore_operatore", gestoreId: altro!.id },
    });
    expect((r.data as Outcome).error).toBe("Puoi chiedere abilitazioni solo per il tuo ente gestore");
    expect(await requestCount()).toBe(before);
  });

  it("send a single request, then refuse the same one again", async () => {
    const form = { csrf: referente.csrf, intent: "request", surname: "Rossi", name: "Mario", fiscalCode: cf("RSSMRA").toLowerCase(), email: "mario.rossi@example.it", role: "gestore_operatore" };
    const first = await statusOf(page.action, { path: "/abilitazioni", cookie: referente.cookie, form });
    expect(first.data).toEqual({ ok: true, message: "Richiesta inviata per Mario Rossi: attende la decisione di un amministratore." });
    const again = await statusOf(page.action, { path: "/abilitazioni", cookie: referente.cookie, form });
    expect((again.data as Outcome).error).toMatch(/esiste già una richiesta in attesa/);
  });

  it("check a CSV list row by row, show every error, and send nothing until all rows are right", async () => {
    const before = await requestCount();
    const csv = [
      "cognome;nome;codice_fiscale;email;ruolo",
      `Bruni;Lisa;${cf("BRNLSI")};lisa.bruni@example.it;operatore`,
      `Conti;Sara;NONVALIDO;sara@example.it;operatore`,
      `Galli;Ugo;${cf("GLLGUO")};non-una-mail;referente`,
      `Verdi;Luca;${cf("VRDLCA")};luca.verdi@example.it;operatore`,
    ].join("\n");
    const r = await statusOf(bulkPage.action, { path: "/abilitazioni/elenco", cookie: referente.cookie, form: { csrf: referente.csrf, intent: "bulk", csv } });
    const out = r.data as Outcome;
    expect(out.ok).toBe(false);
    expect(out.errors).toEqual([
      { row: 3, message: "Codice fiscale non valido: deve avere 16 caratteri, ne ha 9" },
      { row: 4, message: "Indirizzo e-mail non valido" },
    ]);
    expect(out.warnings).toEqual([{ row: 5, message: expect.stringMatching(/non corrisponde a cognome e nome/) }]);
    expect(await requestCount()).toBe(before);

    const fixed = [csv.split("\n")[0], csv.split("\n")[1], csv.split("\n")[4]].join("\n");
    const warned = await statusOf(bulkPage.action, { path: "/abilitazioni/elenco", cookie: referente.cookie, form: { csrf: referente.csrf, intent: "bulk", csv: fixed } });
    expect((warned.data as Outcome).warnings).toHaveLength(1);
    expect(await requestCount()).toBe(before);
    const sent = await statusOf(bulkPage.action, { path: "/abilitazioni/elenco", cookie: referente.cookie, form: { csrf: referente.csrf, intent: "bulk", csv: fixed, confirm: "1" } });
    expect(sent.data).toEqual({ ok: true, message: "2 richieste inviate: attendono la decisione di un amministratore." });
    expect(await requestCount()).toBe(before + 2);

    // The administrator deciding sees that the requester confirmed a code that did not match the names.
    type Pending = { pending: { personKey: string; fullName: string; nameMismatchConfirmed: boolean }[] };
    const list = (await statusOf(adminPage.loader, { path: "/admin/abilitazioni", cookie: admin.cookie })).data as Pending;
    const flagged = list.pending.filter((r) => r.nameMismatchConfirmed);
    expect(flagged.map((r) => r.fullName)).toEqual(["Verdi Luca"]);
    const person = await statusOf(personPage.loader, { path: `/abilitazioni/persone/${flagged[0]!.personKey}`, cookie: admin.cookie, params: { key: flagged[0]!.personKey } });
    expect((person.data as { requests: { nameMismatchConfirmed: boolean }[] }).requests.map((r) => r.nameMismatchConfirmed)).toEqual([true]);
  });

  it("read the CSV list from an uploaded file too", async () => {
    const before = await requestCount();
    const form = new FormData();
    form.set("csrf", referente.csrf);
    form.set("intent", "bulk");
    form.set("file", new File([`\uFEFFcognome;nome;codice_fiscale;email\r\nNeri;Anna;BAD;anna@example.it\r\n`], "elenco.csv", { type: "text/csv" }));
    const request = new Request("http://localhost:3999/abilitazioni/elenco", { method: "POST", headers: { cookie: referente.cookie }, body: form });
    const out = (await bulkPage.action({ request, params: {}, context: {} })) as Outcome;
    expect(out.errors).toEqual([{ row: 2, message: "Codice fiscale non valido: deve avere 16 caratteri, ne ha 3" }]);
    expect(await requestCount()).toBe(before);
  });

  it("let an administrator approve several at once, reporting those that changed meanwhile", async () => {
    const pending = await getDb().select().from(enablementRequests).where(eq(enablementRequests.state, "submitted"));
    expect(pending.length).toBe(3);
    const one = await statusOf(adminPage.action, { path: "/admin/abilitazioni", cookie: admin.cookie, form: { csrf: admin.csrf, intent: "approve", requestId: pending[0]!.id } });
    expect(one.data).toEqual({ ok: true, message: "Richiesta approvata: l'abilitazione è attiva." });
    const body = new URLSearchParams({ csrf: admin.csrf, intent: "approve-many" });
    for (const p of pending) body.append("requestIds", p.id);
    const request = new Request("http://localhost:3999/admin/abilitazioni", { method: "POST", headers: { cookie: admin.cookie, "content-type": "application/x-www-form-urlencoded" }, body });
    const many = (await adminPage.action({ request, params: {}, context: {} })) as Outcome;
    expect(many).toEqual({ ok: false, error: "2 richieste approvate, 1 non approvate.", errors: [{ row: 1, message: expect.stringMatching(/non è più in attesa/) }] });
    const states = await getDb().select({ state: enablementRequests.state }).from(enablementRequests);
    expect(states.every((s) => s.state === "approved")).toBe(true);
  });

  it("show the person's timeline to the referente, and refuse it to another gestore's people", async () => {
    const rossi = await userOf(cf("RSSMRA"));
    const seen = await statusOf(personPage.loader, { path: `/abilitazioni/persone/${rossi.id}`, cookie: referente.cookie, params: { key: rossi.id } });
    expect(seen.status).toBe(200);
    const events = (seen.data as { timeline: { machine: string; event: string }[] }).timeline.map((t) => `${t.machine}:${t.event}`);
    expect(events).toEqual(["access:START", "enablement_request:APPROVE", "enablement_request:START"]);
    const viewed = await getDb().select().from(auditLog).where(and(eq(auditLog.action, "person.view"), eq(auditLog.objectId, rossi.id)));
    expect(viewed).toHaveLength(1);
    const giulia = await signedIn(PEOPLE.operatore);
    expect((await statusOf(personPage.loader, { path: `/abilitazioni/persone/${rossi.id}`, cookie: giulia.cookie, params: { key: rossi.id } })).status).toBe(403);
    const dirigente = await signedIn(PEOPLE.dirigente);
    expect((await statusOf(personPage.loader, { path: `/abilitazioni/persone/${rossi.id}`, cookie: dirigente.cookie, params: { key: rossi.id } })).status).toBe(403);
  });
});
