import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { audit } from "~/audit/audit.server";
import { requireForm, requirePermission, type SignedIn } from "~/auth/guards.server";
import { hashToken, randomToken } from "~/auth/session.server";
import type { FormResult } from "~/components/form-fields";
import { formatDateTime } from "~/components/labels";
import { getConfig } from "~/config.server";
import { FieldErrors, InputError, parseFields } from "~/lib/errors";
import { isValidFiscalCode } from "~/lib/fiscal-code";
import { requiredText } from "~/lib/form-schema";
import { clientIp } from "~/lib/request.server";
import { queueMail } from "~/mail/outbox.server";
import { drizzleOver, getDb, getSql } from "~db/client";
import { applicantProfileOf } from "~db/queries/applications";
import { applicantProfiles, contactEmailLinks, type OnBehalfOf } from "~db/schema";

/**
 * The applicant's own identity beyond what SPID/CIE says: a contact e-mail confirmed with a
 * single-use link (ADR 90) and the business they act for as legal representative (ADR 91).
 */

/** How long a contact link is good for (as the local accounts' verification link). */
export const CONTACT_LINK_TTL_MS = 24 * 3_600_000;
export const CONTACT_LINK_INVALID = "Collegamento non valido o già usato: l'indirizzo di contatto non è stato modificato. Se serve, chiedine uno nuovo dall'area personale.";
export const CONTACT_LINK_EXPIRED = "Il collegamento è scaduto: l'indirizzo di contatto non è stato modificato. Chiedine uno nuovo dall'area personale.";
export const BUSINESS_CODE_INVALID =
  "Codice fiscale o partita IVA dell'impresa non valido: 11 cifre con il carattere di controllo corretto (o i 16 caratteri del codice fiscale del titolare di una ditta individuale)";

const who = (request: Request, signedIn: SignedIn) => ({ actor: signedIn.actor, ip: clientIp(request) });

/** What the applicant's area shows of the profile. */
export async function profileView(signedIn: SignedIn) {
  const { profile, spidEmail, pending } = await applicantProfileOf(getDb(), signedIn.actor);
  const verified = !!profile?.contactEmailVerifiedAt;
  return {
    contact: {
      email: verified ? profile!.contactEmail! : spidEmail,
      verified,
      verifiedAt: profile?.contactEmailVerifiedAt?.toISOString() ?? null,
      pending: pending ? { email: pending.email, expiresAt: pending.expiresAt.toISOString() } : null,
    },
    business: profile?.businessCode ? ({ name: profile.businessName ?? "", code: profile.businessCode } satisfies OnBehalfOf) : null,
  };
}

const contactInput = z.object({
  email: z
    .string({ message: "Indirizzo e-mail: campo obbligatorio" })
    .trim()
    .toLowerCase()
    .min(1, "Indirizzo e-mail: campo obbligatorio")
    .max(254, "Indirizzo e-mail: al massimo 254 caratteri")
    .pipe(z.email({ message: "Indirizzo e-mail non valido" })),
});

/**
 * Sends a single-use link to the contact e-mail the applicant typed. Nothing of the profile
 * changes until the link is used; a newer link makes the older ones useless.
 */
export async function requestContactLink(request: Request, signedIn: SignedIn, form: FormData, now = new Date()) {
  const { email } = parseFields(contactInput, { email: form.get("email") ?? "" });
  const token = randomToken();
  const expiresAt = new Date(now.getTime() + CONTACT_LINK_TTL_MS);
  await getSql().begin(async (tx) => {
    const db = drizzleOver(tx);
    const userId = signedIn.actor.userId;
    // An applicant signed in before profiles existed has none yet: made here, without a contact.
    await db.insert(applicantProfiles).values({ userId }).onConflictDoNothing();
    await db.update(contactEmailLinks).set({ usedAt: now }).where(and(eq(contactEmailLinks.userId, userId), isNull(contactEmailLinks.usedAt)));
    await db.insert(contactEmailLinks).values({ tokenHash: hashToken(token), userId, email, expiresAt, createdAt: now });
    await queueMail(tx, {
      to: email,
      template: "contatto-verifica",
      data: { link: `${getConfig().baseUrl}/area-personale/contatto?t=${token}`, expiresAt: formatDateTime(expiresAt.toISOString()) },
    });
    // The address itself is personal data: the audit row says a link was sent, not where.
    await audit(db, who(request, signedIn), { action: "applicant.contact_link", objectType: "user", objectId: userId });
  });
  return `Ti abbiamo inviato un collegamento a ${email}: aprilo entro 24 ore per confermare l'indirizzo.`;
}

const tokenInput = z.object({ t: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/) });

/**
 * Confirms the contact e-mail: the link is good once, until it expires, and only for the
 * applicant it was sent to. A refused link changes nothing.
 */
export async function confirmContact(request: Request, signedIn: SignedIn, form: FormData, now = new Date()) {
  const parsed = tokenInput.safeParse({ t: form.get("t") ?? "" });
  if (!parsed.success) throw new InputError(CONTACT_LINK_INVALID);
  return getSql().begin(async (tx) => {
    const db = drizzleOver(tx);
    const [link] = await db.select().from(contactEmailLinks).where(eq(contactEmailLinks.tokenHash, hashToken(parsed.data.t))).for("update");
    if (!link || link.usedAt || link.userId !== signedIn.actor.userId) {
      await audit(db, who(request, signedIn), { action: "applicant.contact_confirm", outcome: "failure", objectType: "user", objectId: signedIn.actor.userId, details: { reason: !link ? "unknown" : link.usedAt ? "used" : "other_user" } });
      throw new InputError(CONTACT_LINK_INVALID);
    }
    if (link.expiresAt <= now) {
      await audit(db, who(request, signedIn), { action: "applicant.contact_confirm", outcome: "failure", objectType: "user", objectId: link.userId, details: { reason: "expired" } });
      throw new InputError(CONTACT_LINK_EXPIRED);
    }
    await db.update(contactEmailLinks).set({ usedAt: now }).where(eq(contactEmailLinks.tokenHash, link.tokenHash));
    await db.update(applicantProfiles).set({ contactEmail: link.email, contactEmailVerifiedAt: now }).where(eq(applicantProfiles.userId, link.userId));
    await audit(db, who(request, signedIn), { action: "applicant.contact_confirm", objectType: "user", objectId: link.userId });
    return `Indirizzo di contatto confermato: ${link.email}. Le comunicazioni sulle tue domande arriveranno qui.`;
  });
}

/** Only the characters a person types between groups of digits are dropped. */
const businessCode = z
  .string({ message: "Codice fiscale o partita IVA dell'impresa: campo obbligatorio" })
  .transform((s) => s.replace(/[\s.-]/g, "").toUpperCase().replace(/^IT(?=\d{11}$)/, ""))
  .refine((s) => s.length > 0, "Codice fiscale o partita IVA dell'impresa: campo obbligatorio")
  .refine((s) => s.length === 0 || isValidFiscalCode(s), BUSINESS_CODE_INVALID);

const businessInput = z.object({ businessName: requiredText("Ragione sociale dell'impresa", 200), businessCode });

/**
 * The applicant declares to act for a business as its legal representative (or stops doing
 * so). Shown on every application; fixed on each application when it is sent.
 */
export async function declareBusiness(request: Request, signedIn: SignedIn, form: FormData) {
  const userId = signedIn.actor.userId;
  if (form.get("intent") === "impresa-rimuovi") {
    await getDb().transaction(async (db) => {
      await db.update(applicantProfiles).set({ businessName: null, businessCode: null }).where(eq(applicantProfiles.userId, userId));
      await audit(db, who(request, signedIn), { action: "applicant.business", objectType: "user", objectId: userId, details: { business: null } });
    });
    return "Non agisci più per conto di un'impresa: le nuove domande saranno presentate a tuo nome.";
  }
  const input = parseFields(businessInput, { businessName: form.get("businessName") ?? "", businessCode: form.get("businessCode") ?? "" });
  await getDb().transaction(async (db) => {
    await db.insert(applicantProfiles).values({ userId }).onConflictDoNothing();
    await db.update(applicantProfiles).set({ businessName: input.businessName, businessCode: input.businessCode }).where(eq(applicantProfiles.userId, userId));
    await audit(db, who(request, signedIn), { action: "applicant.business", objectType: "user", objectId: userId, details: { businessCode: input.businessCode } });
  });
  return `Dichiarazione registrata: agisci come legale rappresentante di ${input.businessName} (${input.businessCode}).`;
}

/** The outcome of a profile form, with the form it came from (the area has two). */
export type ProfileResult = FormResult & { intent: string };

/** The area's profile forms (contact e-mail, business): each refusal is Italian and writes nothing. */
export async function profileAction(request: Request): Promise<ProfileResult> {
  const signedIn = await requirePermission(request, "applications.own");
  const form = await requireForm(request, signedIn);
  const intent = String(form.get("intent") ?? "");
  const values = Object.fromEntries([...form].filter(([k, v]) => k !== "csrf" && typeof v === "string")) as Record<string, string>;
  try {
    if (intent === "contatto") return { intent, ok: true, message: await requestContactLink(request, signedIn, form) };
    if (intent === "impresa" || intent === "impresa-rimuovi") return { intent: "impresa", ok: true, message: await declareBusiness(request, signedIn, form) };
    return { intent, ok: false, error: "Richiesta non valida: ricaricare la pagina e riprovare.", fields: {}, values };
  } catch (e) {
    if (e instanceof FieldErrors) return { intent, ok: false, error: e.message, fields: e.fields, values };
    if (e instanceof InputError) return { intent, ok: false, error: e.message, fields: {}, values };
    throw e;
  }
}

/** The confirmation page of a contact link: opening it changes nothing, its button does. */
export async function contactLinkPage(request: Request) {
  await requirePermission(request, "applications.own");
  const t = new URL(request.url).searchParams.get("t") ?? "";
  return { t: tokenInput.safeParse({ t }).success ? t : "" };
}

export async function contactLinkAction(request: Request): Promise<{ ok: true; message: string } | { ok: false; error: string }> {
  const signedIn = await requirePermission(request, "applications.own");
  const form = await requireForm(request, signedIn);
  try {
    return { ok: true, message: await confirmContact(request, signedIn, form) };
  } catch (e) {
    if (e instanceof InputError) return { ok: false, error: e.message };
    throw e;
  }
}
