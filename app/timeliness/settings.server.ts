import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { audit } from "~/audit/audit.server";
import { InputError, zodMessages } from "~/lib/errors";
import type { ChangeAuthor } from "~/registry/registry.server";
import type { DbOrTx } from "~db/client";
import { extraHolidays, measures, OBLIGATION_CADENCES, orgUnits } from "~db/schema";
import { daysInMonth } from "./calendar";

function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw new InputError(zodMessages(result.error).join("; "));
  return result.data;
}

const isoDay = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "data non valida: usare AAAA-MM-GG")
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), "data inesistente");

const positive = (label: string, max: number) =>
  z.coerce.number({ message: `${label}: indicare un numero` }).int(`${label}: indicare un numero intero`).min(1, `${label}: almeno 1`).max(max, `${label}: al massimo ${max}`);

export const obligationInput = z
  .object({
    code: z.string().trim().min(1, "codice della misura obbligatorio"),
    cadence: z.enum([...OBLIGATION_CADENCES, "none"], { message: "cadenza non valida: usare monthly, every_n_days oppure none" }),
    day: positive("giorno", 366).optional(),
    startsOn: isoDay.optional(),
    endsOn: isoDay.optional(),
    reminderEveryDays: positive("giorni tra i promemoria", 365).optional(),
    escalateAfterReminders: positive("promemoria prima della segnalazione", 100).optional(),
    maxDaysIstruttoria: positive("giorni massimi in istruttoria", 3650).optional(),
    maxDaysSospesa: positive("giorni massimi in sospensione", 3650).optional(),
    orgUnit: z.string().trim().min(1).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.cadence === "none") return;
    if (!v.day) ctx.addIssue({ code: "custom", path: ["day"], message: "obbligatorio: giorno del mese successivo (monthly) o numero di giorni (every_n_days)" });
    if (v.cadence === "monthly" && v.day && v.day > 31) ctx.addIssue({ code: "custom", path: ["day"], message: "per la cadenza mensile indicare un giorno da 1 a 31" });
    if (!v.startsOn) ctx.addIssue({ code: "custom", path: ["startsOn"], message: "obbligatoria: data di inizio dell'obbligo" });
    if (v.startsOn && v.endsOn && v.endsOn < v.startsOn) ctx.addIssue({ code: "custom", path: ["endsOn"], message: "la data di fine precede quella di inizio" });
  });

/**
 * Sets a measure's upload obligation, reminder policy, state limits and responsible org unit
 * (docs/decisions/0015). Options left out keep their current value; cadence "none" removes the
 * obligation.
 */
export async function setMeasureObligation(db: DbOrTx, who: ChangeAuthor, raw: z.input<typeof obligationInput>) {
  const input = parse(obligationInput, raw);
  return db.transaction(async (tx) => {
    const [measure] = await tx.select().from(measures).where(eq(measures.code, input.code));
    if (!measure) throw new InputError(`Misura ${input.code} non registrata`, "code");
    let orgUnitId = measure.orgUnitId;
    if (input.orgUnit) {
      const [o] = await tx.select().from(orgUnits).where(eq(orgUnits.code, input.orgUnit));
      if (!o) throw new InputError(`Struttura ${input.orgUnit} non registrata`, "orgUnit");
      orgUnitId = o.id;
    }
    const none = input.cadence === "none";
    const [updated] = await tx
      .update(measures)
      .set({
        obligationCadence: input.cadence === "none" ? null : input.cadence,
        obligationDay: none ? null : input.day!,
        obligationStartsOn: none ? null : input.startsOn!,
        obligationEndsOn: none ? null : (input.endsOn ?? null),
        reminderEveryDays: input.reminderEveryDays ?? measure.reminderEveryDays,
        escalateAfterReminders: input.escalateAfterReminders ?? measure.escalateAfterReminders,
        maxDaysIstruttoria: input.maxDaysIstruttoria ?? measure.maxDaysIstruttoria,
        maxDaysSospesa: input.maxDaysSospesa ?? measure.maxDaysSospesa,
        orgUnitId,
      })
      .where(eq(measures.id, measure.id))
      .returning();
    await audit(tx, who, {
      action: "measure.obligation",
      objectType: "measure",
      objectId: measure.id,
      details: {
        code: measure.code,
        cadence: updated!.obligationCadence,
        day: updated!.obligationDay,
        startsOn: updated!.obligationStartsOn,
        endsOn: updated!.obligationEndsOn,
        reminderEveryDays: updated!.reminderEveryDays,
        escalateAfterReminders: updated!.escalateAfterReminders,
        maxDaysIstruttoria: updated!.maxDaysIstruttoria,
        maxDaysSospesa: updated!.maxDaysSospesa,
        orgUnitId,
      },
    });
    return updated!;
  });
}

export const holidayInput = z.object({
  date: z
    .string()
    .trim()
    .regex(/^(\d{4}-)?\d{2}-\d{2}$/, "data non valida: MM-GG per ogni anno, AAAA-MM-GG per un solo giorno"),
  name: z.string().trim().min(1, "nome della festività obbligatorio").max(100, "nome: al massimo 100 caratteri"),
});

/** Adds an extra holiday of the installation (e.g. the patron saint's day). */
export async function addExtraHoliday(db: DbOrTx, who: ChangeAuthor, raw: z.input<typeof holidayInput>) {
  const input = parse(holidayInput, raw);
  const parts = input.date.split("-").map(Number);
  const [year, month, day] = parts.length === 3 ? (parts as [number, number, number]) : [null, parts[0]!, parts[1]!];
  if (month < 1 || month > 12 || day < 1 || day > (year === null ? daysInMonth(2024, month) : daysInMonth(year, month)))
    throw new InputError("data inesistente", "date");
  return db.transaction(async (tx) => {
    const [clash] = await tx
      .select()
      .from(extraHolidays)
      .where(and(eq(extraHolidays.month, month), eq(extraHolidays.day, day), year === null ? isNull(extraHolidays.year) : eq(extraHolidays.year, year)));
    if (clash) throw new InputError(`Festività già registrata per questa data: ${clash.name}`, "date");
    const [created] = await tx.insert(extraHolidays).values({ month, day, year, name: input.name }).returning();
    await audit(tx, who, { action: "holiday.create", objectType: "holiday", objectId: created!.id, details: { month, day, year, name: input.name } });
    return created!;
  });
}

