process.env.LOCAL_ACCOUNTS = "true";

import { and, count, desc, eq, sql } from "drizzle-orm";
import { generate } from "otplib";
import { beforeAll, describe, expect, it } from "vitest";
import { getSignedIn } from "~/auth/guards.server";
import { signOutWithForm } from "~/auth/signout.server";
import { LINK_EXPIRED, LINK_INVALID, LOCK_MS, REGISTERED_MESSAGE } from "~/local-accounts/accounts.server";
import { personalFiscalCodeCheckChar } from "~/lib/fiscal-code";
import * as adminPage from "~/routes/admin.account-locali";
import * as enrolPage from "~/routes/accesso-locale.attiva-otp";
import * as codePage from "~/routes/accesso-locale.codice";
import * as signInPage from "~/routes/accesso-locale.accedi";
import * as registerPage from "~/routes/accesso-locale.registrazione";
import * as securityPage from "~/routes/accesso-locale.sicurezza";
import * as verifyPage from "~/routes/accesso-locale.verifica";
import { getDb } from "~db/client";
import { accesses, auditLog, localAccountLinks, localAccounts, localRecoveryCodes, mailOutbox, sessions, users } from "~db/schema";
import { cookieFor, PEOPLE, seedDemo, statusOf, userOf } from "../support/actors";

type Fn = Parameters<typeof statusOf>[0];
type Result = { ok: boolean; message?: string; error?: string; fields?: Record<string, string>; codes?: string[] | null };

const cf = (letters: string, tail = "80A01H501") => letters + tail + personalFiscalCodeCheckChar(letters + tail);

/** A browser: keeps the cookies the pages set and sends them back. */
class Browser {
  jar = new Map<string, string>();
  get cookie() {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  private keep(response: Response | null) {
    for (const c of response?.headers.getSetCookie() ?? []) {
      const [pair] = c.split(";");
      const at = pair!.indexOf("=");
      const name = pair!.slice(0, at);
      const value = pair!.slice(at + 1);
      if (!value || /max-age=0|expires=thu, 01 jan 1970/i.test(c)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }
  async call(fn: Fn, path: string, form?: Record<string, string>) {
    const r = await statusOf(fn, { path, cookie: this.cookie || undefined, form });
    this.keep(r.response);
    const body = r.response && r.response.headers.get("content-type")?.includes("json") ? await r.response.clone().json() : r.data;
    return { status: r.status, location: r.response?.headers.get("location") ?? null, body: body as Result & Record<string, unknown> };
  }
  async csrf(fn: Fn = signInPage.loader, path = "/accesso-locale/accedi") {
    return ((await this.call(fn, path)).body as unknown as { csrf: string }).csrf;
  }
}

const db = () => getDb();
const n = async (table: typeof users | typeof localAccounts | typeof mailOutbox | typeof sessions | typeof localAccountLinks) =>
  (await db().select({ n: count() }).from(table))[0]!.n;
const snapshot = async () => ({ users: await n(users), accounts: await n(localAccounts), mails: await n(mailOutbox), sessions: await n(sessions), links: await n(localAccountLinks) });

const PASSWORD = "tre gatti sul tetto di Ancona";
const person = (letters: string, email: string) => ({ name: "Sofia", surname: "Locale", fiscalCode: cf(letters), email, password: PASSWORD, passwordConfirm: PASSWORD });

async function register(b: Browser, fields: Record<string, string>) {
  const csrf = await b.csrf(registerPage.loader, "/accesso-locale/registrazione");
  return b.call(registerPage.action, "/accesso-locale/registrazione", { csrf, ...fields });
}

async function lastLinkFor(email: string) {
  const [mail] = await db().select().from(mailOutbox).where(and(eq(mailOutbox.recipient, email), eq(mailOutbox.template, "account-locale-verifica"))).orderBy(desc(mailOutbox.createdAt));
  return new URL(String(mail!.data.link)).searchParams.get("t")!;
}

async function verify(b: Browser, token: string) {
  const csrf = await b.csrf(verifyPage.loader, `/accesso-locale/verifica?t=${token}`);
  return b.call(verifyPage.action, "/accesso-locale/verifica", { csrf, t: token });
}

async function password(b: Browser, email: string, pw = PASSWORD) {
  const csrf = await b.csrf();
  return b.call(signInPage.action, "/accesso-locale/accedi", { csrf, email, password: pw });
}

const accountOf = async (email: string) => (await db().select().from(localAccounts).where(eq(localAccounts.email, email)))[0]!;
const sessionsOf = async (userId: string) => (await db().select().from(sessions).where(eq(sessions.userId, userId))).length;
const codeAt = (secret: string, offsetSeconds = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSeconds });

/** Registers, verifies and enrols someone; returns the browser (signed in), the secret and the recovery codes. */
async function enrolled(letters: string, email: string) {
  const b = new Browser();
  await register(b, person(letters, email));
  await verify(b, await lastLinkFor(email));
  await password(b, email);
  const page = await b.call(enrolPage.loader, "/accesso-locale/attiva-otp");
  const secret = (await accountOf(email)).totpSecret!;
  expect((page.body.enrolment as { secretGroups: string }).secretGroups.replace(/ /g, "")).toBe(secret);
  const enrolmentCode = await codeAt(secret);
  const done = await b.call(enrolPage.action, "/accesso-locale/attiva-otp", { csrf: page.body.csrf as string, code: enrolmentCode });
  expect(done.body.ok).toBe(true);
  return { b, secret, enrolmentCode, codes: done.body.codes as string[], userId: (await accountOf(email)).userId };
}

beforeAll(async () => {
  await seedDemo();
});

describe("registration", () => {
  it("creates the person, an applicant access and the account, and mails a verification link", async () => {
    const before = await snapshot();
    const r = await register(new Browser(), person("RGSTRA", "nuova@example.it"));
    expect(r.body).toMatchObject({ ok: true, message: REGISTERED_MESSAGE });
    const after = await snapshot();
    expect(after).toMatchObject({ users: before.users + 1, accounts: before.accounts + 1, mails: before.mails + 1, links: before.links + 1, sessions: before.sessions });
    const account = await accountOf("nuova@example.it");
    expect(account.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(account.passwordHash).not.toContain(PASSWORD);
    expect(account.emailVerifiedAt).toBeNull();
    const [access] = await db().select().from(accesses).where(eq(accesses.userId, account.userId));
    expect(access).toMatchObject({ role: "richiedente", gestoreId: null, orgUnitId: null, status: "active" });
    expect(access!.snapshot).not.toBeNull(); // started through the runner, as every access
    const [link] = await db().select().from(localAccountLinks).where(eq(localAccountLinks.userId, account.userId));
    expect(link!.tokenHash).not.toBe(await lastLinkFor("nuova@example.it"));
  });

  it.each([
    ["a short password", { password: "corta1!", passwordConfirm: "corta1!" }, "password", "La password deve avere almeno 12 caratteri"],
    ["a common password", { password: "Juventus1897!!", passwordConfirm: "Juventus1897!!" }, "password", "Questa password è tra le più comuni e si indovina facilmente: sceglierne un'altra"],
    ["a long common password", { password: "passwordpassword", passwordConfirm: "passwordpassword" }, "password", "Questa password è tra le più comuni e si indovina facilmente: sceglierne un'altra"],
    ["a password with one's surname", { password: "sono locale davvero", passwordConfirm: "sono locale davvero" }, "password", "La password non deve contenere il nome, il cognome, il codice fiscale o l'indirizzo e-mail"],
    ["two different passwords", { passwordConfirm: "tre gatti sul tetto di Ancona!" }, "passwordConfirm", "Le due password non coincidono"],
    ["a wrong fiscal code", { fiscalCode: "RSSMRA80A01H501A" }, "fiscalCode", "Codice fiscale non valido: il carattere di controllo è «A» ma dovrebbe essere «U»; controllare di averlo trascritto correttamente"],
    ["a wrong e-mail", { email: "non-una-mail" }, "email", "Indirizzo e-mail non valido"],
    ["a missing name", { name: "" }, "name", "Nome: campo obbligatorio"],
  ])("refuses %s with the Italian message next to the field, writing nothing", async (_, change, field, message) => {
    const before = await snapshot();
    const r = await register(new Browser(), { ...person("RFSTDA", "rifiutata@example.it"), ...change });
    expect(r.body.ok).toBe(false);
    expect(r.body.fields![field]).toBe(message);
    // A refused form never sends the password back to the page.
    expect(JSON.stringify(r.body)).not.toContain("gatti");
    expect(await snapshot()).toEqual(before);
  });

  it("answers a known fiscal code or e-mail as a new one, writing nothing (an official's code too)", async () => {
    await register(new Browser(), person("DPPLCA", "doppia@example.it"));
    const before = await snapshot();
    for (const fields of [
      person("ALTROA", "doppia@example.it"),
      { ...person("DPPLCA", "altra@example.it"), fiscalCode: cf("DPPLCA") },
      { ...person("NRELRA", "funzionaria@example.it"), fiscalCode: PEOPLE.funzionario },
    ]) {
      const r = await register(new Browser(), fields);
      expect(r.body).toMatchObject({ ok: true, message: REGISTERED_MESSAGE });
    }
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a post without this browser's token", async () => {
    const before = await snapshot();
    const r = await new Browser().call(registerPage.action, "/accesso-locale/registrazione", { csrf: "forged", ...person("CSRFAA", "csrf@example.it") });
    expect(r.status).toBe(403);
    const other = new Browser();
    await other.csrf(registerPage.loader, "/accesso-locale/registrazione");
    const stolen = await new Browser().csrf(registerPage.loader, "/accesso-locale/registrazione");
    expect((await other.call(registerPage.action, "/accesso-locale/registrazione", { csrf: stolen, ...person("CSRFAA", "csrf@example.it") })).status).toBe(403);
    expect(await snapshot()).toEqual(before);
  });
});

describe("e-mail verification", () => {
  it("is single-use, expires, and a wrong link changes nothing", async () => {
    const b = new Browser();
    await register(b, person("VRFCAA", "verifica@example.it"));
    const token = await lastLinkFor("verifica@example.it");
    // Opening the link (a mail scanner does) changes nothing.
    await b.call(verifyPage.loader, `/accesso-locale/verifica?t=${token}`);
    expect((await accountOf("verifica@example.it")).emailVerifiedAt).toBeNull();

    const wrong = await verify(b, "x".repeat(43));
    expect(wrong.body).toMatchObject({ ok: false, error: LINK_INVALID });
    expect((await accountOf("verifica@example.it")).emailVerifiedAt).toBeNull();

    const ok = await verify(b, token);
    expect(ok.body.ok).toBe(true);
    const verifiedAt = (await accountOf("verifica@example.it")).emailVerifiedAt;
    expect(verifiedAt).not.toBeNull();

    const again = await verify(b, token);
    expect(again.body).toMatchObject({ ok: false, error: LINK_INVALID });
    expect((await accountOf("verifica@example.it")).emailVerifiedAt).toEqual(verifiedAt);
  });

  it("refuses an expired link, and signing in with the password sends a new one", async () => {
    const b = new Browser();
    await register(b, person("SCDTAA", "scaduto@example.it"));
    const token = await lastLinkFor("scaduto@example.it");
    const { userId } = await accountOf("scaduto@example.it");
    await db().update(localAccountLinks).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(localAccountLinks.userId, userId));
    const r = await verify(b, token);
    expect(r.body).toMatchObject({ ok: false, error: LINK_EXPIRED });
    expect((await accountOf("scaduto@example.it")).emailVerifiedAt).toBeNull();
    expect((await db().select().from(localAccountLinks).where(eq(localAccountLinks.userId, userId)))[0]!.usedAt).toBeNull();

    const mails = await n(mailOutbox);
    const s = await password(b, "scaduto@example.it");
    expect(s.body).toMatchObject({ ok: false, error: "Prima di accedere conferma l'indirizzo e-mail: ti abbiamo inviato un nuovo collegamento, valido 24 ore." });
    expect(await n(mailOutbox)).toBe(mails + 1);
    expect(s.location).toBeNull();
    expect(await sessionsOf(userId)).toBe(0);
    expect((await verify(b, await lastLinkFor("scaduto@example.it"))).body.ok).toBe(true);
  });
});

describe("sign-in with password and TOTP", () => {
  it("enrols the app with a QR code, gives ten recovery codes and starts the same session as SAML", async () => {
    const { b, codes, userId } = await enrolled("NRLMNT", "enrol@example.it");
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    const stored = await db().select().from(localRecoveryCodes).where(eq(localRecoveryCodes.userId, userId));
    expect(stored).toHaveLength(10);
    expect(stored.map((c) => c.codeHash)).not.toContain(codes[0]);
    expect(b.jar.has("gp_session")).toBe(true);
    const request = new Request("http://localhost:3999/", { headers: { cookie: b.cookie } });
    const signedIn = await getSignedIn(request);
    expect(signedIn?.actor).toMatchObject({ userId, role: "richiedente", gestoreId: null, orgUnitId: null });
    const [row] = await db().select().from(auditLog).where(and(eq(auditLog.action, "auth.signin"), eq(auditLog.actorUserId, userId), eq(auditLog.outcome, "success")));
    expect(row!.details).toMatchObject({ method: "local_totp" });
    // The same sign-out as everyone's: the session row goes, the cookie is cleared.
    const csrf = signedIn!.session.csrfToken;
    await signOutWithForm(new Request("http://localhost:3999/auth/logout", { method: "POST", headers: { cookie: b.cookie, "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ csrf }) }));
    expect(await sessionsOf(userId)).toBe(0);
  });

  it("shows the QR code as an SVG data URL (no JavaScript needed)", async () => {
    const b = new Browser();
    await register(b, person("QRCDAA", "qr@example.it"));
    await verify(b, await lastLinkFor("qr@example.it"));
    expect((await password(b, "qr@example.it")).location).toBe("/accesso-locale/attiva-otp");
    const page = await b.call(enrolPage.loader, "/accesso-locale/attiva-otp");
    const qr = (page.body.enrolment as { qr: string }).qr;
    expect(qr).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(qr.split(",")[1]!, "base64").toString()).toContain("<svg");
    // A wrong first code enrols nothing and starts no session.
    const before = await accountOf("qr@example.it");
    const r = await b.call(enrolPage.action, "/accesso-locale/attiva-otp", { csrf: page.body.csrf as string, code: "000000" === (await codeAt(before.totpSecret!)) ? "111111" : "000000" });
    expect(r.body.fields!.code).toBe("Codice non valido, scaduto o già usato: controllare l'app di autenticazione e riprovare.");
    const after = await accountOf("qr@example.it");
    expect(after.totpEnrolledAt).toBeNull();
    expect(after.failedAttempts).toBe(before.failedAttempts + 1);
    expect(await sessionsOf(after.userId)).toBe(0);
    expect(await db().select().from(localRecoveryCodes).where(eq(localRecoveryCodes.userId, after.userId))).toHaveLength(0);
  });

  it("refuses a wrong password, an unknown e-mail, a reused or old code, with nothing started", async () => {
    const { secret, enrolmentCode, userId } = await enrolled("CDCSBG", "codici@example.it");
    const b = new Browser();
    const wrong = await password(b, "codici@example.it", "tre gatti sul tetto di Ancona?");
    expect(wrong.body).toMatchObject({ ok: false, error: "E-mail o password non corretti." });
    expect(wrong.location).toBeNull();
    expect((await accountOf("codici@example.it")).failedAttempts).toBe(1);
    const unknown = await password(b, "nessuno@example.it");
    expect(unknown.body).toMatchObject({ ok: false, error: "E-mail o password non corretti." });
    // Without the password, the second-factor page sends back to the start.
    expect((await b.call(codePage.loader, "/accesso-locale/codice")).location).toBe("/accesso-locale/accedi");

    expect((await password(b, "codici@example.it")).location).toBe("/accesso-locale/codice");
    const page = await b.call(codePage.loader, "/accesso-locale/codice");
    const csrf = page.body.csrf as string;
    // The code used for enrolment (same 30-second step) cannot be used again; nor can one from two minutes ago.
    for (const code of [enrolmentCode, await codeAt(secret, -120)]) {
      const r = await b.call(codePage.action, "/accesso-locale/codice", { csrf, code });
      expect(r.body.fields!.code).toBe("Codice non valido, scaduto o già usato: controllare l'app di autenticazione e riprovare.");
    }
    expect(await sessionsOf(userId)).toBe(1); // the one enrolment started
    expect((await accountOf("codici@example.it")).failedAttempts).toBe(3);
    // The next step's code (the phone's clock a little ahead) is good, once.
    const next = await codeAt(secret, 30);
    const ok = await b.call(codePage.action, "/accesso-locale/codice", { csrf, code: next });
    expect(ok.location).toBe("/area-personale");
    expect(await sessionsOf(userId)).toBe(2);
    expect((await accountOf("codici@example.it")).failedAttempts).toBe(0);
  });

  it("accepts each recovery code once", async () => {
    const { codes, userId } = await enrolled("RCVRYA", "recupero@example.it");
    const b = new Browser();
    await password(b, "recupero@example.it");
    const csrf = await b.csrf(codePage.loader, "/accesso-locale/codice");
    const ok = await b.call(codePage.action, "/accesso-locale/codice", { csrf, code: codes[3]!.toLowerCase() });
    expect(ok.location).toBe("/accesso-locale/sicurezza?rimasti=9");
    const page = await b.call(securityPage.loader, "/accesso-locale/sicurezza");
    expect(page.body).toMatchObject({ email: "recupero@example.it", recoveryCodesLeft: 9 });

    const again = new Browser();
    await password(again, "recupero@example.it");
    const sessionsBefore = await sessionsOf(userId);
    const r = await again.call(codePage.action, "/accesso-locale/codice", { csrf: await again.csrf(codePage.loader, "/accesso-locale/codice"), code: codes[3]! });
    expect(r.body.fields!.code).toBe("Codice di recupero non valido o già usato.");
    expect(await sessionsOf(userId)).toBe(sessionsBefore);
    expect((await db().select().from(localRecoveryCodes).where(and(eq(localRecoveryCodes.userId, userId), sql`used_at is null`))).length).toBe(9);
  });

  it("renews the recovery codes only with a current code of the app", async () => {
    const { b, secret, enrolmentCode, codes, userId } = await enrolled("RNWCDA", "rinnovo@example.it");
    const [s] = await db().select().from(sessions).where(eq(sessions.userId, userId));
    const hashes = async () => (await db().select().from(localRecoveryCodes).where(eq(localRecoveryCodes.userId, userId))).map((c) => c.codeHash).sort();
    const before = await hashes();
    const noCsrf = await b.call(securityPage.action, "/accesso-locale/sicurezza", { code: await codeAt(secret, 30) });
    expect(noCsrf.status).toBe(403);
    const wrong = await b.call(securityPage.action, "/accesso-locale/sicurezza", { csrf: s!.csrfToken, code: enrolmentCode });
    expect(wrong.body.fields!.code).toBe("Codice non valido, scaduto o già usato: controllare l'app di autenticazione e riprovare.");
    expect(await hashes()).toEqual(before);
    const ok = await b.call(securityPage.action, "/accesso-locale/sicurezza", { csrf: s!.csrfToken, code: await codeAt(secret, 30) });
    expect(ok.body.codes).toHaveLength(10);
    expect(ok.body.codes).not.toContain(codes[0]);
    expect(await hashes()).not.toEqual(before);
  });
});

describe("lock-out", () => {
  it("locks after five failures in a row, tells only who knows the password, and an administrator lifts it (audited)", async () => {
    const { userId } = await enrolled("BLCCTA", "blocco@example.it");
    const b = new Browser();
    for (let i = 0; i < 5; i++) await password(b, "blocco@example.it", `sbagliata numero ${i}!`);
    const locked = await accountOf("blocco@example.it");
    expect(locked.failedAttempts).toBe(5);
    expect(locked.lockedUntil!.getTime() - locked.lockedAt!.getTime()).toBe(LOCK_MS);
    expect(await db().select().from(auditLog).where(and(eq(auditLog.action, "local_account.lock"), eq(auditLog.objectId, userId)))).toHaveLength(1);

    const sessionsBefore = await sessionsOf(userId);
    const right = await password(b, "blocco@example.it");
    expect(right.body.error).toMatch(/^Account bloccato fino alle \d\d:\d\d del \d\d\/\d\d\/\d{4} per troppi tentativi non riusciti/);
    expect(right.location).toBeNull();
    expect((await password(b, "blocco@example.it", "ancora sbagliata!!")).body.error).toBe("E-mail o password non corretti.");
    expect(await sessionsOf(userId)).toBe(sessionsBefore);

    // Visible to administrators, and liftable only by them.
    const admin = await cookieFor(PEOPLE.amministratore);
    const list = await statusOf(adminPage.loader, { path: "/admin/account-locali", cookie: admin });
    const shown = (list.data as { accounts: { email: string; locked: boolean; failedAttempts: number }[] }).accounts;
    expect(shown[0]).toMatchObject({ email: "blocco@example.it", locked: true, failedAttempts: 5 });
    const funzionario = await cookieFor(PEOPLE.funzionario);
    expect((await statusOf(adminPage.loader, { path: "/admin/account-locali", cookie: funzionario })).status).toBe(403);
    expect((await statusOf(adminPage.action, { path: "/admin/account-locali", cookie: funzionario, form: { userId } })).status).toBe(403);
    const adminUser = await userOf(PEOPLE.amministratore);
    const [adminSession] = await db().select().from(sessions).where(eq(sessions.userId, adminUser.id)).orderBy(desc(sessions.createdAt));
    expect((await statusOf(adminPage.action, { path: "/admin/account-locali", cookie: admin, form: { userId } })).status).toBe(403);
    expect((await accountOf("blocco@example.it")).lockedUntil).not.toBeNull();
    const bad = await statusOf(adminPage.action, { path: "/admin/account-locali", cookie: admin, form: { csrf: adminSession!.csrfToken, userId: "non-un-id" } });
    expect(bad.data).toMatchObject({ ok: false, error: "Account non valido." });
    const unlocked = await statusOf(adminPage.action, { path: "/admin/account-locali", cookie: admin, form: { csrf: adminSession!.csrfToken, userId } });
    expect(unlocked.data).toMatchObject({ ok: true, message: "Account sbloccato: la persona può accedere di nuovo." });
    const after = await accountOf("blocco@example.it");
    expect(after).toMatchObject({ failedAttempts: 0, lockedAt: null, lockedUntil: null });
    const [entry] = await db().select().from(auditLog).where(and(eq(auditLog.action, "local_account.unlock"), eq(auditLog.objectId, userId)));
    expect(entry).toMatchObject({ actorUserId: adminUser.id, actorRole: "amministratore" });
    expect(entry!.details).toMatchObject({ failures: 5 });
    const twice = await statusOf(adminPage.action, { path: "/admin/account-locali", cookie: admin, form: { csrf: adminSession!.csrfToken, userId } });
    expect(twice.data).toMatchObject({ ok: false, error: "L'account non è bloccato: nulla da sbloccare." });
    expect((await password(b, "blocco@example.it")).location).toBe("/accesso-locale/codice");
  });

  it("also counts wrong codes of the app towards the lock", async () => {
    const { userId } = await enrolled("BLCTTP", "blocco-otp@example.it");
    const b = new Browser();
    await password(b, "blocco-otp@example.it");
    const csrf = await b.csrf(codePage.loader, "/accesso-locale/codice");
    for (let i = 0; i < 5; i++) await b.call(codePage.action, "/accesso-locale/codice", { csrf, code: String(100000 + i) });
    const account = await accountOf("blocco-otp@example.it");
    expect(account.lockedUntil!.getTime()).toBeGreaterThan(Date.now());
    const r = await b.call(codePage.action, "/accesso-locale/codice", { csrf, code: await codeAt(account.totpSecret!, 30) });
    expect(r.body.error).toMatch(/^Account bloccato/);
    expect(await sessionsOf(userId)).toBe(1);
  });
});

describe("officials never use local accounts", () => {
  it("a local account cannot be given any role but richiedente", async () => {
    const { userId } = await enrolled("SLRCHD", "solo@example.it");
    const [unit] = await db().execute<{ id: string }>(sql`select id from org_units limit 1`);
    await expect(db().insert(accesses).values({ userId, role: "funzionario", orgUnitId: unit!.id })).rejects.toThrow();
    await expect(db().insert(accesses).values({ userId, role: "amministratore" })).rejects.toThrow();
    await expect(db().update(accesses).set({ role: "osservatore" }).where(eq(accesses.userId, userId))).rejects.toThrow();
    // Nor can an official's person get a password.
    const official = await userOf(PEOPLE.funzionario);
    await expect(db().insert(localAccounts).values({ userId: official.id, email: "funz@example.it", passwordHash: "scrypt$x" })).rejects.toThrow();
    expect((await db().select().from(accesses).where(eq(accesses.userId, userId))).map((a) => a.role)).toEqual(["richiedente"]);
  });

  it("an official's session cannot open an applicant's security page", async () => {
    const r = await statusOf(securityPage.loader, { path: "/accesso-locale/sicurezza", cookie: await cookieFor(PEOPLE.funzionario) });
    expect(r.status).toBe(403);
  });

  it("revoking the applicant access ends the session at the next request, as for SAML sessions", async () => {
    const { b, userId } = await enrolled("RVCTAA", "revoca@example.it");
    expect((await b.call(securityPage.loader, "/accesso-locale/sicurezza")).status).toBe(200);
    await db().update(accesses).set({ status: "revoked", revokedAt: new Date() }).where(eq(accesses.userId, userId));
    expect((await b.call(securityPage.loader, "/accesso-locale/sicurezza")).location).toBe("/accesso-locale/accedi");
    expect(await sessionsOf(userId)).toBe(0);
    const r = await password(b, "revoca@example.it");
    expect(r.body.error).toBe("L'account non è attivo: rivolgersi all'assistenza.");
  });
});
