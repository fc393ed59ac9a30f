import { eq, sql } from "drizzle-orm";
import { getDb } from "~db/client";
import { clickDays, procedures } from "~db/schema";

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
