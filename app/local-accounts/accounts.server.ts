import { and, eq, isNull, or, sql } from "drizzle-orm";
import type { TransactionSql } from "postgres";
import { z } from "zod";
import { audit, auditAnonymousFailure } from "~/audit/audit.server";
import { cookieSessionHash, commitSessionCookie, createSession, deleteSession, hashToken, randomToken } from "~/auth/session.server";
import { formatDateTime } from "~/components/labels";
import { getConfig } from "~/config.server";
import { personalFiscalCodeSchema } from "~/lib/fiscal-code";
import { requiredText } from "~/lib/form-schema";
import { FieldErrors, InputError, parseFields } from "~/lib/errors";
import { clientIp } from "~/lib/request.server";
import { ACCESS_BINDING, startMachine } from "~/machines/runner.server";
import { queueMail } from "~/mail/outbox.server";
import { ACCESS_MACHINE_VERSION } from "~workflows/access.machine";
import { drizzleOver, getDb, getSql, type DbOrTx } from "~db/client";
import { localAccountByEmail, localAccountOf, personTaken, type LocalAccountRow } from "~db/queries/local-accounts";
import { accesses, localAccountLinks, localAccounts, localRecoveryCodes, users } from "~db/schema";
import { pendingOf, requireBrowserCsrf, withPending } from "./browser.server";
import { hashPassword, passwordProblem, PASSWORD_MAX_LENGTH, spendPasswordTime, verifyPassword } from "./password.server";
import { acceptedTotpStep, enrolmentQr, looksLikeRecoveryCode, newRecoveryCodes, newTotpSecret, recoveryCodeHash } from "./totp.server";

export const LINK_TTL_MS = 24 * 3_600_000;
/** Consecutive failures (password or second factor) that lock an account, and for how long. */
export const MAX_FAILURES = 5;
export const LOCK_MS = 30 * 60_000;
export { APPLICANT_HOME } from "~/applications/applicant.server";

const SIGN_IN_FAILED = "E-mail o password non corretti.";
const CODE_FAILED = "Codice non valido, scaduto o già usato: controllare l'app di autenticazione e riprovare.";

/** Every page of local accounts answers 404 unless LOCAL_ACCOUNTS=true: the feature does not exist. */
export function requireLocalAccounts() {
  if (!getConfig().localAccounts) throw new Response("Pagina non trovata.", { status: 404, statusText: "Not Found" });
}

const email = z
  .string({ message: "Indirizzo e-mail: campo obbligatorio" })
  .trim()
  .toLowerCase()
  .max(254, "Indirizzo e-mail: al massimo 254 caratteri")
  .pipe(z.email({ message: "Indirizzo e-mail non valido" }));
const password = z.string({ message: "Password: campo obbligatorio" }).min(1, "Password: campo obbligatorio").max(PASSWORD_MAX_LENGTH, `La password può avere al massimo ${PASSWORD_MAX_LENGTH} caratteri`);

const registration = z.object({
  name: requiredText("Nome", 100),
  surname: requiredText("Cognome", 100),
  fiscalCode: personalFiscalCodeSchema,
  email,
  password: z.string({ message: "Password: campo obbligatorio" }),
  passwordConfirm: z.string({ message: "Conferma della password: campo obbligatorio" }),
});

type Author = { ip: string | null };
const authorOf = (request: Request): Author => ({ ip: clientIp(request) });
const actorOf = (row: LocalAccountRow) => ({ userId: row.user.id, fiscalCode: row.user.fiscalCode, role: "richiedente" });
const fullName = (u: { name: string; surname: string }) => `${u.name} ${u.surname}`;

async function sendVerificationLink(tx: TransactionSql, user: { id: string; name: string; surname: string }, to: string) {
  const token = randomToken();
  const expiresAt = new Date(Date.now() + LINK_TTL_MS);
  await drizzleOver(tx).insert(localAccountLinks).values({ tokenHash: hashToken(token), userId: user.id, purpose: "verify_email", expiresAt });
  await queueMail(tx, {
    to,
    template: "account-locale-verifica",
    data: { recipientName: fullName(user), link: `${getConfig().baseUrl}/accesso-locale/verifica?t=${token}`, expiresAt: formatDateTime(expiresAt.toISOString()) },
  });
}

export const REGISTERED_MESSAGE =
  "Se i dati sono corretti, riceverai a breve un'e-mail con il collegamento per confermare l'indirizzo (valido 24 ore). Dopo la conferma potrai accedere e attivare il secondo fattore.";

/**
 * Registers an applicant: a person, their applicant access and the local account in one
 * transaction with the verification mail. A fiscal code or e-mail already known gets the same
 * answer as a new one and writes nothing (no one learns who is registered); the audit keeps why.
 */
export async function register(request: Request, form: FormData): Promise<string> {
  await requireBrowserCsrf(request, form);
  const input = parseFields(registration, Object.fromEntries(form));
  const problem = passwordProblem(input.password, input);
  if (problem) throw new FieldErrors({ password: problem });
  if (input.password !== input.passwordConfirm) throw new FieldErrors({ passwordConfirm: "Le due password non coincidono" });
  if (await personTaken(getDb(), input.fiscalCode, input.email)) {
    await auditAnonymousFailure(clientIp(request), { action: "local_account.register", reason: "already_registered" });
    return REGISTERED_MESSAGE;
  }
  const passwordHash = await hashPassword(input.password);
  await getSql().begin(async (tx) => {
    const db = drizzleOver(tx);
    const [user] = await db
      .insert(users)
      .values({ fiscalCode: input.fiscalCode, name: input.name, surname: input.surname, email: input.email })
      .returning();
    const who = { actor: { userId: user!.id, fiscalCode: user!.fiscalCode, role: "richiedente" }, ...authorOf(request) };
    // The applicant access is a persisted access machine like any other (no scope, no term).
    const now = new Date();
    const { row: access } = await startMachine(tx, ACCESS_BINDING, {
      input: { expiresAt: null },
      at: now,
      who,
      details: { role: "richiedente", localAccount: true },
      create: async (d, snapshot) =>
        (await d
          .insert(accesses)
          .values({ userId: user!.id, role: "richiedente", status: "active", validFrom: now, snapshot: { ...snapshot, version: ACCESS_MACHINE_VERSION } })
          .returning())[0]!,
    });
    await db.insert(localAccounts).values({ userId: user!.id, email: input.email, passwordHash });
    await audit(db, who, { action: "local_account.register", objectType: "access", objectId: access.id });
    await sendVerificationLink(tx, user!, input.email);
  });
  return REGISTERED_MESSAGE;
}

const tokenInput = z.object({ t: z.string({ message: "Collegamento non valido" }).regex(/^[A-Za-z0-9_-]{20,100}$/, "Collegamento non valido") });

export const LINK_INVALID = "Collegamento non valido o già usato: se hai già confermato l'indirizzo, accedi con e-mail e password.";
export const LINK_EXPIRED = "Il collegamento è scaduto: accedi con e-mail e password e te ne invieremo uno nuovo.";

/** Confirms the e-mail address: the link's token is good once and until it expires. */
export async function verifyEmail(request: Request, form: FormData): Promise<string> {
  await requireBrowserCsrf(request, form);
  const { t } = parseFields(tokenInput, Object.fromEntries(form));
  return getDb().transaction(async (tx) => {
    const [link] = await tx.select().from(localAccountLinks).where(eq(localAccountLinks.tokenHash, hashToken(t))).for("update");
    if (!link || link.usedAt) throw new InputError(LINK_INVALID);
    if (link.expiresAt <= new Date()) throw new InputError(LINK_EXPIRED);
    const now = new Date();
    await tx.update(localAccountLinks).set({ usedAt: now }).where(eq(localAccountLinks.tokenHash, link.tokenHash));
    await tx.update(localAccounts).set({ emailVerifiedAt: now }).where(and(eq(localAccounts.userId, link.userId), isNull(localAccounts.emailVerifiedAt)));
    const row = await localAccountOf(tx, link.userId);
    await audit(tx, { actor: row ? actorOf(row) : { userId: link.userId }, ...authorOf(request) }, {
      action: "local_account.verify_email",
      objectType: "user",
      objectId: link.userId,
    });
    return "Indirizzo e-mail confermato. Ora accedi con e-mail e password per attivare il secondo fattore.";
  });
}

const lockedUntil = (row: LocalAccountRow, now = new Date()) => (row.account.lockedUntil && row.account.lockedUntil > now ? row.account.lockedUntil : null);
const lockedMessage = (until: Date) =>
  `Account bloccato fino alle ${formatDateTime(until.toISOString()).slice(-8, -3)} del ${formatDateTime(until.toISOString()).slice(0, 10)} per troppi tentativi non riusciti. Puoi attendere o chiedere lo sblocco all'assistenza.`;

/**
 * One more failure of an account's password or second factor. The fifth in a row locks the
 * account for LOCK_MS (ADR 0067); administrators see the lock and can lift it. Counted on the
 * account row, not in the per-minute windows of rate_limit_hits, because a lock must outlive them.
 */
async function recordFailure(request: Request, row: LocalAccountRow, reason: string) {
  await getDb().transaction(async (tx) => {
    const now = new Date();
    const [after] = await tx
      .update(localAccounts)
      .set({
        failedAttempts: sql`${localAccounts.failedAttempts} + 1`,
        lockedAt: sql`case when ${localAccounts.failedAttempts} + 1 >= ${MAX_FAILURES} then ${now.toISOString()}::timestamptz else ${localAccounts.lockedAt} end`,
        lockedUntil: sql`case when ${localAccounts.failedAttempts} + 1 >= ${MAX_FAILURES} then ${new Date(now.getTime() + LOCK_MS).toISOString()}::timestamptz else ${localAccounts.lockedUntil} end`,
      })
      .where(eq(localAccounts.userId, row.user.id))
      .returning({ failedAttempts: localAccounts.failedAttempts });
    const who = { actor: actorOf(row), ...authorOf(request) };
    await audit(tx, who, { action: "auth.signin", outcome: "failure", objectType: "user", objectId: row.user.id, details: { method: "local", reason } });
    if (after?.failedAttempts === MAX_FAILURES)
      await audit(tx, who, { action: "local_account.lock", objectType: "user", objectId: row.user.id, details: { failures: MAX_FAILURES, minutes: LOCK_MS / 60_000 } });
  });
}

const signInInput = z.object({ email, password });

export type Step = { to: string; setCookie: string };

/**
 * The first factor. An unknown address costs the time of a wrong password and is counted, not
 * audited row by row (ADR 0042). A locked account tells so only to someone who knows the password.
 */
export async function checkPassword(request: Request, form: FormData): Promise<Step | string> {
  const state = await requireBrowserCsrf(request, form);
  const input = parseFields(signInInput, Object.fromEntries(form));
  const db = getDb();
  const row = await localAccountByEmail(db, input.email);
  if (!row) {
    await spendPasswordTime(input.password);
    await auditAnonymousFailure(clientIp(request), { action: "auth.signin", reason: "local_unknown_email" });
    throw new InputError(SIGN_IN_FAILED);
  }
  const right = await verifyPassword(input.password, row.account.passwordHash);
  const until = lockedUntil(row);
  if (until) throw new InputError(right ? lockedMessage(until) : SIGN_IN_FAILED);
  if (!right) {
    await recordFailure(request, row, "wrong_password");
    throw new InputError(SIGN_IN_FAILED);
  }
  if (!row.access || row.access.status !== "active") {
    await audit(db, { actor: actorOf(row), ...authorOf(request) }, { action: "auth.signin", outcome: "failure", objectType: "user", objectId: row.user.id, details: { method: "local", reason: "no_active_access" } });
    throw new InputError("L'account non è attivo: rivolgersi all'assistenza.");
  }
  if (!row.account.emailVerifiedAt) {
    await getSql().begin((tx) => sendVerificationLink(tx, row.user, row.account.email));
    throw new InputError("Prima di accedere conferma l'indirizzo e-mail: ti abbiamo inviato un nuovo collegamento, valido 24 ore.");
  }
  const to = row.account.totpEnrolledAt ? "/accesso-locale/codice" : "/accesso-locale/attiva-otp";
  return { to, setCookie: await withPending(state, { userId: row.user.id, at: Date.now() }) };
}

/** The account whose second factor this browser may give: password accepted within ten minutes, not locked. */
async function pendingAccount(request: Request): Promise<LocalAccountRow> {
  const pending = await pendingOf(request);
  const row = pending ? await localAccountOf(getDb(), pending.userId) : null;
  if (!row || !row.account.emailVerifiedAt || row.access?.status !== "active") throw new InputError("Sessione di accesso scaduta: inserire di nuovo e-mail e password.", "expired");
  const until = lockedUntil(row);
  if (until) throw new InputError(lockedMessage(until), "locked");
  return row;
}

/** Where a browser without a valid pending sign-in is sent from the second-factor pages. */
export async function pendingOrRestart(request: Request) {
  try {
    return await pendingAccount(request);
  } catch (e) {
    if (e instanceof InputError) return null;
    throw e;
  }
}

/** The enrolment page: the secret (created once, kept until enrolment) as a QR code and as text. */
export async function enrolmentFor(row: LocalAccountRow) {
  let secret = row.account.totpSecret;
  if (!secret) {
    secret = newTotpSecret();
    await getDb().update(localAccounts).set({ totpSecret: secret }).where(and(eq(localAccounts.userId, row.user.id), isNull(localAccounts.totpSecret)));
    secret = (await localAccountOf(getDb(), row.user.id))!.account.totpSecret!;
  }
  const qr = await enrolmentQr({ issuer: getConfig().organization.name, email: row.account.email, secret });
  return { qr: qr.dataUrl, secretGroups: secret.match(/.{1,4}/g)!.join(" "), email: row.account.email };
}

const codeInput = z.object({ code: z.string({ message: "Codice: campo obbligatorio" }).trim().min(1, "Codice: campo obbligatorio").max(20, "Codice non valido") });

/** A session, the same as after a SAML sign-in: same cookie, same table, same audit (ADR 0067). */
async function startSession(tx: DbOrTx, request: Request, row: LocalAccountRow, method: string) {
  const previous = await cookieSessionHash(request);
  if (previous) await deleteSession(tx, previous);
  const token = await createSession(tx, { userId: row.user.id, accessId: row.access!.id });
  await audit(tx, { actor: actorOf(row), ...authorOf(request) }, {
    action: "auth.signin",
    objectType: "access",
    objectId: row.access!.id,
    details: { method },
  });
  return token;
}

async function sessionCookies(state: { csrf: string }, token: string) {
  return [await commitSessionCookie(token), await withPending(state, undefined)];
}

/** Confirms the authenticator with a first code: enrols it, creates the recovery codes, starts the session. */
export async function confirmEnrolment(request: Request, form: FormData): Promise<{ codes: string[]; cookies: string[] }> {
  const state = await requireBrowserCsrf(request, form);
  const { code } = parseFields(codeInput, Object.fromEntries(form));
  const row = await pendingAccount(request);
  if (row.account.totpEnrolledAt || !row.account.totpSecret) throw new InputError("Il secondo fattore è già attivo: accedere con il codice dell'app.", "enrolled");
  const step = await acceptedTotpStep(row.account.totpSecret, code, null);
  if (step === null) {
    await recordFailure(request, row, "wrong_totp_enrolment");
    throw new FieldErrors({ code: CODE_FAILED });
  }
  const codes = newRecoveryCodes();
  const token = await getDb().transaction(async (tx) => {
    const [done] = await tx
      .update(localAccounts)
      .set({ totpEnrolledAt: new Date(), totpLastStep: step, failedAttempts: 0, lockedAt: null, lockedUntil: null })
      .where(and(eq(localAccounts.userId, row.user.id), isNull(localAccounts.totpEnrolledAt)))
      .returning({ userId: localAccounts.userId });
    if (!done) throw new InputError("Il secondo fattore è già attivo: accedere con il codice dell'app.", "enrolled");
    await tx.insert(localRecoveryCodes).values(codes.map((c) => ({ userId: row.user.id, codeHash: recoveryCodeHash(c) })));
    await audit(tx, { actor: actorOf(row), ...authorOf(request) }, { action: "local_account.totp_enrol", objectType: "user", objectId: row.user.id });
    return startSession(tx, request, row, "local_totp");
  });
  return { codes, cookies: await sessionCookies(state, token) };
}

/** A code's step is taken once: two posts of the same code cannot both pass. A good code also clears the failures. */
async function advanceTotpStep(tx: DbOrTx, userId: string, step: number) {
  const [moved] = await tx
    .update(localAccounts)
    .set({ totpLastStep: step, failedAttempts: 0 })
    .where(and(eq(localAccounts.userId, userId), or(isNull(localAccounts.totpLastStep), sql`${localAccounts.totpLastStep} < ${step}`)))
    .returning({ userId: localAccounts.userId });
  return Boolean(moved);
}

/**
 * The second factor at sign-in: a code of the app (each good once) or a recovery code (each good
 * once). A wrong one counts towards the lock like a wrong password.
 */
export async function checkSecondFactor(request: Request, form: FormData): Promise<{ cookies: string[]; recoveryCodesLeft: number | null }> {
  const state = await requireBrowserCsrf(request, form);
  const { code } = parseFields(codeInput, Object.fromEntries(form));
  const row = await pendingAccount(request);
  if (!row.account.totpEnrolledAt || !row.account.totpSecret) throw new InputError("Il secondo fattore non è ancora attivo.", "not_enrolled");
  const compact = code.replace(/\s+/g, "");
  if (/^\d{6}$/.test(compact)) {
    const step = await acceptedTotpStep(row.account.totpSecret, compact, row.account.totpLastStep);
    const token =
      step === null
        ? null
        : await getDb().transaction(async (tx) => {
            return (await advanceTotpStep(tx, row.user.id, step)) ? startSession(tx, request, row, "local_totp") : null;
          });
    if (!token) {
      await recordFailure(request, row, "wrong_totp");
      throw new FieldErrors({ code: CODE_FAILED });
    }
    return { cookies: await sessionCookies(state, token), recoveryCodesLeft: null };
  }
  if (looksLikeRecoveryCode(compact)) {
    const result = await getDb().transaction(async (tx) => {
      const [used] = await tx
        .update(localRecoveryCodes)
        .set({ usedAt: new Date() })
        .where(and(eq(localRecoveryCodes.userId, row.user.id), eq(localRecoveryCodes.codeHash, recoveryCodeHash(compact)), isNull(localRecoveryCodes.usedAt)))
        .returning({ id: localRecoveryCodes.id });
      if (!used) return null;
      await tx.update(localAccounts).set({ failedAttempts: 0 }).where(eq(localAccounts.userId, row.user.id));
      const token = await startSession(tx, request, row, "local_recovery_code");
      const [left] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(localRecoveryCodes)
        .where(and(eq(localRecoveryCodes.userId, row.user.id), isNull(localRecoveryCodes.usedAt)));
      return { token, left: left?.n ?? 0 };
    });
    if (result) return { cookies: await sessionCookies(state, result.token), recoveryCodesLeft: result.left };
  }
  await recordFailure(request, row, looksLikeRecoveryCode(compact) ? "wrong_recovery_code" : "wrong_totp");
  throw new FieldErrors({ code: looksLikeRecoveryCode(compact) ? "Codice di recupero non valido o già usato." : CODE_FAILED });
}

/** New recovery codes for a signed-in applicant who proves the app with a current code; the old ones stop working. */
export async function regenerateRecoveryCodes(request: Request, row: LocalAccountRow, form: FormData): Promise<string[]> {
  const { code } = parseFields(codeInput, Object.fromEntries(form));
  const step = row.account.totpSecret ? await acceptedTotpStep(row.account.totpSecret, code.replace(/\s+/g, ""), row.account.totpLastStep) : null;
  if (step === null) {
    await recordFailure(request, row, "wrong_totp_recovery_codes");
    throw new FieldErrors({ code: CODE_FAILED });
  }
  const codes = newRecoveryCodes();
  await getDb().transaction(async (tx) => {
    if (!(await advanceTotpStep(tx, row.user.id, step))) throw new FieldErrors({ code: CODE_FAILED });
    await tx.delete(localRecoveryCodes).where(eq(localRecoveryCodes.userId, row.user.id));
    await tx.insert(localRecoveryCodes).values(codes.map((c) => ({ userId: row.user.id, codeHash: recoveryCodeHash(c) })));
    await audit(tx, { actor: actorOf(row), ...authorOf(request) }, { action: "local_account.recovery_codes", objectType: "user", objectId: row.user.id });
  });
  return codes;
}

/** Lifts a lock (administrators): the counter starts again from zero. Audited with the lock it lifted. */
export async function unlockAccount(tx: DbOrTx, author: { actor: { userId: string; fiscalCode: string; role: string }; ip: string | null }, userId: string) {
  const now = new Date();
  const [before] = await tx.select().from(localAccounts).where(eq(localAccounts.userId, userId)).for("update");
  if (!before) throw new InputError("Account non trovato.");
  if (!before.lockedUntil || before.lockedUntil <= now) throw new InputError("L'account non è bloccato: nulla da sbloccare.");
  await tx
    .update(localAccounts)
    .set({ failedAttempts: 0, lockedAt: null, lockedUntil: null })
    .where(eq(localAccounts.userId, userId));
  await audit(tx, author, {
    action: "local_account.unlock",
    objectType: "user",
    objectId: userId,
    details: { lockedAt: before.lockedAt?.toISOString(), lockedUntil: before.lockedUntil.toISOString(), failures: before.failedAttempts },
  });
  return "Account sbloccato: la persona può accedere di nuovo.";
}
