import { beforeAll, describe, expect, it } from "vitest";
import * as mailMessage from "~/routes/admin.posta.$id";
import * as outbox from "~/routes/admin.posta._index";
import * as gestorePage from "~/routes/enti.$cf";
import * as obligations from "~/routes/obblighi";
import * as punctuality from "~/routes/puntualita";
import { getSignedIn } from "~/auth/guards.server";
import { queueMail } from "~/mail/outbox.server";
import { runReminders } from "~/timeliness/reminders.server";
import { setMeasureObligation } from "~/timeliness/settings.server";
import { getDb, getSql } from "~db/client";
import { cookieFor, GESTORE_ALTRO, GESTORE_DEMO, PEOPLE, seedDemo, statusOf } from "../support/actors";

type Who = Exclude<keyof typeof PEOPLE, "sconosciuto"> | "anonimo";
const WHO: Who[] = ["anonimo", "operatore", "referente", "altroOperatore", "funzionario", "dirigente", "amministratore"];
const cookies = {} as Record<Who, string | undefined>;

/** The CSRF token of a signed-in session, as the page's form would carry it. */
async function getSessionCsrf(cookie: string) {
  const signedIn = await getSignedIn(new Request("http://localhost:3999/", { headers: { cookie } }));
  return signedIn!.session.csrfToken;
}

let failedId = "";
let storedId = "";

beforeAll(async () => {
  await seedDemo();
  for (const w of WHO) cookies[w] = w === "anonimo" ? undefined : await cookieFor(PEOPLE[w]);
  await setMeasureObligation(getDb(), { system: "test" }, { code: "COVID-LIQ", cadence: "monthly", day: 15, startsOn: "2026-01-01", orgUnit: "SETT-CREDITO" });
  await setMeasureObligation(getDb(), { system: "test" }, { code: "INNOVA-PMI", cadence: "every_n_days", day: 30, startsOn: "2026-01-01" });
  // Every demo gestore is late (none has sent a file): reminders for each, as of 20 March 2026.
  await runReminders({ now: new Date("2026-03-20T08:00:00Z") });
  const [stored] = await getSql()<{ id: string }[]>`select id from mail_outbox where template = 'promemoria-invio' limit 1`;
  storedId = stored!.id;
  const failed = await getSql().begin((tx) => queueMail(tx, { to: "rotto@example.it", template: "test-message", data: { name: "Rotto", platform: "Demo" } }));
  failedId = failed!.id;
  await getSql()`update mail_outbox set state = 'failed', attempts = 9, last_error = '550 Destinatario rifiutato' where id = ${failedId}`;
});

describe("who may open the timeliness pages", () => {
  const MATRIX: { name: string; fn: Parameters<typeof statusOf>[0]; path: string; params?: Record<string, string>; expect: Record<Who, number> }[] = [
    {
      name: "Puntualità",
      fn: punctuality.loader,
      path: "/puntualita",
      expect: { anonimo: 302, operatore: 403, referente: 403, altroOperatore: 403, funzionario: 200, dirigente: 200, amministratore: 200, osservatore: 403 },
    },
    {
      name: "Obblighi di invio",
      fn: obligations.loader,
      path: "/obblighi",
      expect: { anonimo: 302, operatore: 200, referente: 200, altroOperatore: 200, funzionario: 403, dirigente: 403, amministratore: 403, osservatore: 403 },
    },
    {
      name: "Posta inviata",
      fn: outbox.loader,
      path: "/admin/posta",
      expect: { anonimo: 302, operatore: 403, referente: 403, altroOperatore: 403, funzionario: 403, dirigente: 403, amministratore: 200, osservatore: 403 },
    },
  ];
  for (const row of MATRIX) {
    it(row.name, async () => {
      for (const w of WHO) {
        const { status } = await statusOf(row.fn, { path: row.path, params: row.params, cookie: cookies[w] });
        expect([w, status]).toEqual([w, row.expect[w]]);
      }
    });
  }
});

describe("Puntualità", () => {
  it("lists every gestore with its obligations, filtered by measure and sorted", async () => {
    const { data } = await statusOf(punctuality.loader, { path: "/puntualita?ordina=gestore&verso=asc", cookie: cookies.funzionario });
    const page = data as Awaited<ReturnType<typeof punctuality.loader>>;
    expect(page.rows.map((r) => `${r.gestoreCf}/${r.measureCode}`)).toEqual([
      `${GESTORE_DEMO}/COVID-LIQ`,
      `${GESTORE_ALTRO}/COVID-LIQ`,
      `${GESTORE_ALTRO}/INNOVA-PMI`,
      "03456789019/COVID-LIQ",
      "03456789019/INNOVA-PMI",
    ]);
    expect(page.rows.every((r) => r.reminders === 1)).toBe(true);
    const filtered = (await statusOf(punctuality.loader, { path: "/puntualita?misura=INNOVA-PMI&ordina=gestore&verso=desc", cookie: cookies.dirigente })).data as typeof page;
    expect(filtered.rows.map((r) => r.gestoreCf)).toEqual(["03456789019", GESTORE_ALTRO]);
    const unknown = (await statusOf(punctuality.loader, { path: "/puntualita?misura=NESSUNA&ordina=boh", cookie: cookies.dirigente })).data as typeof page;
    expect(unknown.rows).toEqual([]);
    expect(unknown.filter.ordina).toBe("ritardo");
  });
});

describe("the gestore's obligations and the reminders on its page", () => {
  it("shows a gestore user its own calendar and reminders only", async () => {
    const { data } = await statusOf(obligations.loader, { path: "/obblighi", cookie: cookies.altroOperatore });
    const page = data as Awaited<ReturnType<typeof obligations.loader>>;
    expect(page.obligations.map((o) => o.measureCode)).toEqual(["COVID-LIQ", "INNOVA-PMI"]);
    expect(page.reminders.map((r) => r.measureCode).sort()).toEqual(["COVID-LIQ", "INNOVA-PMI"]);
    const mine = (await statusOf(obligations.loader, { path: "/obblighi", cookie: cookies.operatore })).data as typeof page;
    expect(mine.obligations.map((o) => o.measureCode)).toEqual(["COVID-LIQ"]);
    expect(mine.reminders).toHaveLength(1);
  });

  it("shows officials the reminders history on the gestore's page", async () => {
    const { data } = await statusOf(gestorePage.loader, { path: `/enti/${GESTORE_DEMO}`, params: { cf: GESTORE_DEMO }, cookie: cookies.funzionario });
    const page = data as Awaited<ReturnType<typeof gestorePage.loader>>;
    expect(page.timeliness.reminders).toHaveLength(1);
    expect(page.timeliness.reminders[0]).toMatchObject({ measureCode: "COVID-LIQ", periodEnd: "2026-01-31", dueOn: "2026-02-16", sentOn: "2026-03-20", number: 1, daysLate: 32 });
    expect(page.timeliness.reminders[0]!.recipients.sort()).toEqual(["confididemo@pec.example.it", "info@confidi-demo.example.it", "marco.verdi@confidi-demo.example.it"].sort());
  });
});

describe("Posta inviata", () => {
  it("lists the messages with filters, and audits the look", async () => {
    const audited = async () => (await getSql()<{ n: number }[]>`select count(*)::int as n from audit_log where action = 'mail.list'`)[0]!.n;
    const before = await audited();
    const all = (await statusOf(outbox.loader, { path: "/admin/posta", cookie: cookies.amministratore })).data as Awaited<ReturnType<typeof outbox.loader>>;
    expect(all.rows.length).toBeGreaterThan(5);
    const failed = (await statusOf(outbox.loader, { path: "/admin/posta?stato=failed", cookie: cookies.amministratore })).data as typeof all;
    expect(failed.rows.map((r) => r.recipient)).toEqual(["rotto@example.it"]);
    const byRecipient = (await statusOf(outbox.loader, { path: "/admin/posta?destinatario=PEC.example", cookie: cookies.amministratore })).data as typeof all;
    expect(byRecipient.rows.length).toBeGreaterThan(0);
    expect(byRecipient.rows.every((r) => r.recipient.includes("pec.example"))).toBe(true);
    expect(await audited()).toBe(before + 3);
  });

  it("shows one message, audited; an unknown one is a 404", async () => {
    const { data } = await statusOf(mailMessage.loader, { path: `/admin/posta/${storedId}`, params: { id: storedId }, cookie: cookies.amministratore });
    expect((data as Awaited<ReturnType<typeof mailMessage.loader>>).mail.text).toContain("non risulta ancora accettato");
    const [{ n }] = await getSql()<{ n: number }[]>`select count(*)::int as n from audit_log where action = 'mail.view' and object_id = ${storedId}`;
    expect(n).toBe(1);
    for (const id of ["00000000-0000-0000-0000-000000000000", "non-un-id"]) {
      expect((await statusOf(mailMessage.loader, { path: `/admin/posta/${id}`, params: { id }, cookie: cookies.amministratore })).status).toBe(404);
    }
  });

  const mailRow = async (id: string) =>
    JSON.stringify((await getSql()`select state, attempts, last_error from mail_outbox where id = ${id}`)[0]);

  it("re-sends a failed message, audited", async () => {
    const csrf = await getSessionCsrf(cookies.amministratore!);
    const { data } = await statusOf(mailMessage.action, { path: `/admin/posta/${failedId}`, params: { id: failedId }, cookie: cookies.amministratore, form: { csrf } });
    expect(data).toEqual({ ok: true, message: "Messaggio rimesso in coda per l'invio." });
    expect(JSON.parse(await mailRow(failedId))).toEqual({ state: "queued", attempts: 0, last_error: null });
    const [{ n }] = await getSql()<{ n: number }[]>`select count(*)::int as n from audit_log where action = 'mail.resend' and object_id = ${failedId}`;
    expect(n).toBe(1);
  });

  it("refuses to re-send a message that did not fail, without CSRF, or for a non-administrator, changing nothing", async () => {
    const csrf = await getSessionCsrf(cookies.amministratore!);
    const before = await mailRow(storedId);
    const refused = await statusOf(mailMessage.action, { path: `/admin/posta/${storedId}`, params: { id: storedId }, cookie: cookies.amministratore, form: { csrf } });
    expect(refused.data).toEqual({ ok: false, error: "Si possono inviare di nuovo solo i messaggi non recapitabili" });
    const noCsrf = await statusOf(mailMessage.action, { path: `/admin/posta/${storedId}`, params: { id: storedId }, cookie: cookies.amministratore, form: { csrf: "sbagliato" } });
    expect(noCsrf.status).toBe(403);
    const official = await statusOf(mailMessage.action, { path: `/admin/posta/${storedId}`, params: { id: storedId }, cookie: cookies.funzionario, form: { csrf: await getSessionCsrf(cookies.funzionario!) } });
    expect(official.status).toBe(403);
    expect(await mailRow(storedId)).toBe(before);
    const [{ n }] = await getSql()<{ n: number }[]>`select count(*)::int as n from audit_log where action = 'mail.resend' and object_id = ${storedId}`;
    expect(n).toBe(0);
  });
});
