import { eq, sql } from "drizzle-orm";
import { getDb, getSql } from "~db/client";
import { applications, clickDays, procedures } from "~db/schema";

/** A click day of the procedure opening `inSeconds` whole seconds after the database's clock. */
export async function insertClickDay(procedureId: string, inSeconds: number, quota: number, label = "Click day di prova") {
  const [row] = await getDb()
    .insert(clickDays)
    .values({ procedureId, label, opensAt: sql`date_trunc('second', clock_timestamp()) + make_interval(secs => ${inSeconds})`, quota })
    .returning();
  return row!;
}

/** Moves the opening to `seconds` whole seconds after the database's clock (once everyone is ready). */
export async function openClickDayIn(id: string, seconds: number) {
  const [row] = await getDb()
    .update(clickDays)
    .set({ opensAt: sql`date_trunc('second', clock_timestamp()) + make_interval(secs => ${seconds})` })
    .where(eq(clickDays.id, id))
    .returning();
  return row!.opensAt;
}

/** The demo installation with its catalogue and applications; the id of the procedure the click days are for. */
export async function seedClickDayProcedure() {
  const { seedDemo } = await import("./actors");
  const { seedDemoCatalogue } = await import("~/demo/catalogue");
  const { seedDemoApplications } = await import("~/demo/applications");
  await seedDemo();
  await seedDemoCatalogue(process.env.DATABASE_URL!);
  await seedDemoApplications();
  const [p] = await getDb().select().from(procedures).where(eq(procedures.title, "Contributo per nuove assunzioni 2026"));
  return p!.id;
}

/**
 * A fresh applicant (fiscal code from `prefix` and `n`) with one complete draft of the procedure,
 * some answers optionally changed afterwards.
 */
export async function applicantWithDraft(procedureId: string, prefix: string, n: number, answers: Record<string, string> = {}) {
  const { ensureApplicant } = await import("~/applications/applicant.server");
  const { startDraft } = await import("~/applications/applications.server");
  const { actorOf } = await import("~/auth/guards.server");
  const { fillDemoPages } = await import("~/demo/applications");
  const request = new Request("http://127.0.0.1/click-day");
  const fiscalCode = `${prefix}${String(n).padStart(3, "0")}A01H501Z`.slice(0, 16);
  const { user, access } = await getSql().begin((tx) => ensureApplicant(tx, { fiscalCode, name: "Persona", surname: `${prefix}${n}`, email: `${prefix.toLowerCase()}${n}@example.it` }, { system: "test" }, new Date()));
  const signedIn = { actor: actorOf(user, access), session: null as never };
  const id = await startDraft(request, signedIn, procedureId);
  await fillDemoPages(signedIn, id);
  if (Object.keys(answers).length) await getDb().update(applications).set({ data: sql`${applications.data} || ${JSON.stringify(answers)}::jsonb` }).where(eq(applications.id, id));
  return { signedIn, id };
}
