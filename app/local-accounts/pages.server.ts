import { json, redirect } from "@remix-run/node";
import type { FormResult } from "~/components/form-fields";
import { forbidden, getSignedIn, requireForm, requirePermission } from "~/auth/guards.server";
import { formatDateTime } from "~/components/labels";
import { FieldErrors, InputError } from "~/lib/errors";
import { formValues, runForm } from "~/lib/form-action.server";
import { clientIp } from "~/lib/request.server";
import { getDb } from "~db/client";
import { listLocalAccounts, localAccountOf, unusedRecoveryCodes } from "~db/queries/local-accounts";
import { z } from "zod";
import {
  APPLICANT_HOME,
  checkPassword,
  checkSecondFactor,
  confirmEnrolment,
  enrolmentFor,
  pendingOrRestart,
  regenerateRecoveryCodes,
  register,
  requireLocalAccounts,
  unlockAccount,
  verifyEmail,
} from "./accounts.server";
import { browserCsrf } from "./browser.server";

export const SIGN_IN_PATH = "/accesso-locale/accedi";
const SECRET_FIELDS = ["password", "passwordConfirm", "code"];

/** What a refused form shows again: never a password or a code. */
const shownValues = (form: FormData) => Object.fromEntries(Object.entries(formValues(form)).filter(([k]) => !SECRET_FIELDS.includes(k)));

function setCookies(cookies: string[]) {
  const headers = new Headers();
  for (const c of cookies) headers.append("Set-Cookie", c);
  return headers;
}

function refusal(e: unknown, form: FormData): FormResult {
  if (e instanceof FieldErrors) return { ok: false, error: e.message, fields: e.fields, values: shownValues(form) };
  if (e instanceof InputError) return { ok: false, error: e.message, fields: {}, values: shownValues(form) };
  throw e;
}

/** The loader of a page before sign-in: the feature must be on, the browser gets its form token. */
export async function anonymousPage<T extends Record<string, unknown>>(request: Request, data: T = {} as T) {
  requireLocalAccounts();
  const { csrf, setCookie } = await browserCsrf(request);
  return json({ ...data, csrf }, setCookie ? { headers: { "Set-Cookie": setCookie } } : undefined);
}

export async function registrationAction(request: Request) {
  requireLocalAccounts();
  const form = await request.formData();
  return runForm(shownValues(form), () => register(request, form));
}

export async function verificationAction(request: Request) {
  requireLocalAccounts();
  const form = await request.formData();
  return runForm(shownValues(form), () => verifyEmail(request, form));
}

export async function passwordAction(request: Request) {
  requireLocalAccounts();
  const form = await request.formData();
  try {
    const step = await checkPassword(request, form);
    return typeof step === "string" ? ({ ok: true, message: step } as FormResult) : redirect(step.to, { headers: { "Set-Cookie": step.setCookie } });
  } catch (e) {
    return refusal(e, form);
  }
}

/** The enrolment page: the QR code while the password is fresh; after enrolment the codes are shown by the action. */
export async function enrolmentLoader(request: Request) {
  requireLocalAccounts();
  const row = await pendingOrRestart(request);
  if (!row) {
    // A browser whose session just started (the action's answer is being shown) is not sent away.
    if ((await getSignedIn(request))?.actor.role === "richiedente") return anonymousPage(request, { state: "done" as const, enrolment: null });
    throw redirect(SIGN_IN_PATH);
  }
  if (row.account.totpEnrolledAt) return anonymousPage(request, { state: "enrolled" as const, enrolment: null });
  return anonymousPage(request, { state: "enrol" as const, enrolment: await enrolmentFor(row) });
}

export async function enrolmentAction(request: Request) {
  requireLocalAccounts();
  const form = await request.formData();
  try {
    const { codes, cookies } = await confirmEnrolment(request, form);
    return json({ ok: true as const, message: "Secondo fattore attivato: sei entrato.", codes }, { headers: setCookies(cookies) });
  } catch (e) {
    return json({ ...refusal(e, form), codes: null });
  }
}

export async function secondFactorLoader(request: Request) {
  requireLocalAccounts();
  const row = await pendingOrRestart(request);
  if (!row) throw redirect((await getSignedIn(request))?.actor.role === "richiedente" ? APPLICANT_HOME : SIGN_IN_PATH);
  if (!row.account.totpEnrolledAt) throw redirect("/accesso-locale/attiva-otp");
  return anonymousPage(request, { email: row.account.email });
}

export async function secondFactorAction(request: Request) {
  requireLocalAccounts();
  const form = await request.formData();
  try {
    const { cookies, recoveryCodesLeft } = await checkSecondFactor(request, form);
    // After a recovery code, the security page says how many are left and offers new ones.
    return redirect(recoveryCodesLeft === null ? APPLICANT_HOME : `/accesso-locale/sicurezza?rimasti=${recoveryCodesLeft}`, { headers: setCookies(cookies) });
  } catch (e) {
    return refusal(e, form);
  }
}

/** The signed-in applicant with a local account; anyone else is refused (audited). */
export async function requireLocalApplicant(request: Request) {
  requireLocalAccounts();
  const signedIn = await getSignedIn(request);
  if (!signedIn) throw redirect(SIGN_IN_PATH);
  const row = signedIn.actor.role === "richiedente" ? await localAccountOf(getDb(), signedIn.actor.userId) : null;
  if (!row) throw await forbidden(request, signedIn.actor, "not_local_account");
  return { signedIn, row };
}

export async function securityLoader(request: Request) {
  const { row } = await requireLocalApplicant(request);
  return {
    email: row.account.email,
    enrolledAt: row.account.totpEnrolledAt ? formatDateTime(row.account.totpEnrolledAt.toISOString()) : null,
    recoveryCodesLeft: await unusedRecoveryCodes(getDb(), row.user.id),
  };
}

export async function securityAction(request: Request) {
  const { signedIn, row } = await requireLocalApplicant(request);
  const form = await requireForm(request, signedIn);
  try {
    return { ...({ ok: true, message: "Nuovi codici di recupero creati: quelli di prima non valgono più." } as FormResult), codes: await regenerateRecoveryCodes(request, row, form) };
  } catch (e) {
    return { ...refusal(e, form), codes: null };
  }
}

export async function adminLoader(request: Request) {
  requireLocalAccounts();
  await requirePermission(request, "enablement.decide");
  const rows = await listLocalAccounts(getDb());
  return {
    accounts: rows.map((r) => ({
      userId: r.userId,
      name: `${r.surname} ${r.name}`,
      fiscalCode: r.fiscalCode,
      email: r.email,
      verified: Boolean(r.emailVerifiedAt),
      enrolled: Boolean(r.totpEnrolledAt),
      failedAttempts: r.failedAttempts,
      locked: r.locked,
      lockedAt: r.lockedAt ? formatDateTime(r.lockedAt.toISOString()) : null,
      lockedUntil: r.lockedUntil ? formatDateTime(r.lockedUntil.toISOString()) : null,
    })),
  };
}

const unlockInput = z.object({ userId: z.uuid({ message: "Account non valido" }) });

export async function adminAction(request: Request) {
  requireLocalAccounts();
  const signedIn = await requirePermission(request, "enablement.decide");
  const form = await requireForm(request, signedIn);
  return runForm(formValues(form), async () => {
    const parsed = unlockInput.safeParse(Object.fromEntries(form));
    if (!parsed.success) throw new InputError("Account non valido.");
    return getDb().transaction((tx) => unlockAccount(tx, { actor: signedIn.actor, ip: clientIp(request) }, parsed.data.userId));
  });
}
