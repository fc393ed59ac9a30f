import { eq } from "drizzle-orm";
import {
  decideEnablementRequest,
  revokeAccess,
  sendExpiryReminders,
  submitEnablementRequests,
  withdrawEnablementRequest,
  type EnablementActor,
} from "~/enablement/enablement.server";
import { personalFiscalCodeCheckChar } from "~/lib/fiscal-code";
import { getDb } from "~db/client";
import { activeAccessesOf, findUserByFiscalCode } from "~db/queries/users";
import { appMeta, enablementRequests } from "~db/schema";

const ENABLEMENT_KEY = "demo.enablement";
const DAY_MS = 86_400_000;

/** An invented, valid codice fiscale whose letters match the names. */
function cf(letters: string, tail: string) {
  return letters + tail + personalFiscalCodeCheckChar(letters + tail);
}

async function actorOf(fiscalCode: string): Promise<{ actor: EnablementActor; ip: null }> {
  const db = getDb();
  const user = await findUserByFiscalCode(db, fiscalCode);
  if (!user) throw new Error("demo person missing");
  const [first] = await activeAccessesOf(db, user.id);
  const a = first!.access;
  return {
    actor: { userId: user.id, role: a.role, gestoreId: a.gestoreId, orgUnitId: a.orgUnitId, fiscalCode, name: user.name, surname: user.surname, email: user.email },
    ip: null,
  };
}

async function submit(who: { actor: EnablementActor; ip: null }, person: Record<string, string>, now: Date, confirmMismatch = false) {
  const result = await submitEnablementRequests(who, [person], { now, confirmMismatch });
  // Only the count: the problems name codici fiscali, which never go to the log.
  if (!result.ok) throw new Error(`demo enablement request refused (${result.errors.length + result.warnings.length} problems)`);
  return result.ids[0]!;
}

/**
 * Enablement requests in every state, made through the real service (so each has its machine
 * history, audit rows and mails): pending for a gestore and an org unit, approved, rejected,
 * withdrawn, revoked, and an access expiring within a month with its reminder queued.
 * Runs after seedDemoData, once (its own app_meta key); DATABASE_URL must be set.
 */
export async function seedDemoEnablement(): Promise<boolean> {
  const db = getDb();
  const [done] = await db.select().from(appMeta).where(eq(appMeta.key, ENABLEMENT_KEY));
  if (done) return false;
  const marco = await actorOf("VRDMRC78C12H501I");
  const paolo = await actorOf("RSSPLA70E10A271T");
  const anna = await actorOf("GLLNNA75T60H501W");
  const now = Date.now();
  const daysAgo = (d: number) => new Date(now - d * DAY_MS);

  // Approved some eleven months ago: expires within a month, so its requester is reminded.
  const fontana = await submit(marco, { surname: "Fontana", name: "Chiara", fiscalCode: cf("FNTCHR", "86D52A271"), email: "chiara.fontana@confidi-demo.example.it", role: "gestore_operatore" }, daysAgo(345));
  await decideEnablementRequest(anna, fontana, { decision: "approve" }, { now: daysAgo(344) });

  const moretti = await submit(marco, { surname: "Moretti", name: "Elena", fiscalCode: cf("MRTLNE", "90H41A271"), email: "elena.moretti@confidi-demo.example.it", role: "gestore_operatore" }, daysAgo(40));
  await decideEnablementRequest(anna, moretti, { decision: "approve" }, { now: daysAgo(39) });

  const bruno = await submit(marco, { surname: "Bruno", name: "Stefano", fiscalCode: cf("BRNSFN", "82B10A271"), email: "stefano.bruno@confidi-demo.example.it", role: "gestore_operatore" }, daysAgo(90));
  await decideEnablementRequest(anna, bruno, { decision: "approve" }, { now: daysAgo(89) });
  const [approvedBruno] = await db.select().from(enablementRequests).where(eq(enablementRequests.id, bruno));
  await revokeAccess(marco, approvedBruno!.accessId!, { reason: "Trasferito ad altro ufficio", now: daysAgo(10) });

  const ricci = await submit(marco, { surname: "Ricci", name: "Franco", fiscalCode: cf("RCCFNC", "75C05A271"), email: "franco.ricci@confidi-demo.example.it", role: "gestore_referente" }, daysAgo(20));
  await decideEnablementRequest(anna, ricci, { decision: "reject" , reason: "Il referente dell'ente è già indicato: inviare prima la revoca del precedente" }, { now: daysAgo(18) });

  const marini = await submit(marco, { surname: "Marini", name: "Luisa", fiscalCode: cf("MRNLSU", "88E50A271"), email: "luisa.marini@confidi-demo.example.it", role: "gestore_operatore" }, daysAgo(7));
  await withdrawEnablementRequest(marco, marini, { now: daysAgo(6) });

  // Still waiting for an administrator, oldest first in the queue.
  await submit(marco, { surname: "Conti", name: "Sara", fiscalCode: cf("CNTSRA", "91A45A271"), email: "sara.conti@confidi-demo.example.it", role: "gestore_operatore" }, daysAgo(3));
  // The codice fiscale's letters do not match the names: the dirigente confirmed it anyway.
  await submit(paolo, { surname: "Greco", name: "Davide", fiscalCode: cf("GRCDVE", "84L12H501"), email: "davide.greco@regione.example.it", role: "funzionario" }, daysAgo(1), true);

  await sendExpiryReminders(new Date(now));
  await db.insert(appMeta).values({ key: ENABLEMENT_KEY, value: new Date(now).toISOString() });
  return true;
}
