import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { audit } from "~/audit/audit.server";
import { InputError, zodMessages } from "~/lib/errors";
import type { ChangeAuthor } from "~/audit/audit.server";
import type { DbOrTx } from "~db/client";
import { extraHolidays, measures, OBLIGATION_CADENCES, orgUnits } from "~db/schema";
import { daysInMonth } from "./calendar";

function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  // The first field at fault is named, so a page shows the message next to it.
  if (!result.success) throw new InputError(zodMessages(result.error).join("; "), result.error.issues[0]?.path[0]?.toString());
  return result.data;
}

/** What a browser posts for "not given" (an empty field) counts as left out. */
const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

const isoDay = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "data non valida: usare AAAA-MM-GG")
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), "data inesistente");

const positive = (label: string, max: number) =>
  z.coerce.number({ message: `${label}: indicare un numero` }).int(`${label}: indicare un numero intero`).min(1, `${label}: almeno 1`).max(max, `${label}: al massimo ${max}`);

const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());

/**
 * The obligation settings of a measure (docs/decisions/0015): the one validation used by the
 * command line (`measure:obligation`) and by the measure's configuration page (docs/decisions/0029).
 */
export const obligationSettings = {
  cadence: z.enum([...OBLIGATION_CADENCES, "none"], { message: "cadenza non valida: usare monthly, every_n_days oppure none" }),
  day: optional(positive("giorno", 366)),
  startsOn: optional(isoDay),
  endsOn: optional(isoDay),
  reminderEveryDays: optional(positive("giorni tra i promemoria", 365)),
  escalateAfterReminders: optional(positive("promemoria prima della segnalazione", 100)),
  maxDaysIstruttoria: optional(positive("giorni massimi in istruttoria", 3650)),
  maxDaysSospesa: optional(positive("giorni massimi in sospensione", 3650)),
};

type ObligationSettings = { cadence: string; day?: number; startsOn?: string; endsOn?: string };

/** The rules across fields: a cadence needs its day (or N) and a start; the end follows the start. */
export function checkObligation(v: ObligationSettings, ctx: z.RefinementCtx) {
  if (v.cadence === "none") return;
  if (!v.day) ctx.addIssue({ code: "custom", path: ["day"], message: "obbligatorio: giorno del mese successivo (cadenza mensile) o numero di giorni (cadenza ogni N giorni)" });
  if (v.cadence === "monthly" && v.day && v.day > 31) ctx.addIssue({ code: "custom", path: ["day"], message: "per la cadenza mensile indicare un giorno da 1 a 31" });
  if (!v.startsOn) ctx.addIssue({ code: "custom", path: ["startsOn"], message: "obbligatoria: data di inizio dell'obbligo" });
  if (v.startsOn && v.endsOn && v.endsOn < v.startsOn) ctx.addIssue({ code: "custom", path: ["endsOn"], message: "la data di fine precede quella di inizio" });
}

/** The obligation columns of `measures` for validated settings (cadence "none" clears them). */
export function obligationColumns(v: ObligationSettings) {
  const none = v.cadence === "none";
  return {
    obligationCadence: none ? null : (v.cadence as (typeof OBLIGATION_CADENCES)[number]),
    obligationDay: none ? null : v.day!,
    obligationStartsOn: none ? null : v.startsOn!,
    obligationEndsOn: none ? null : (v.endsOn ?? null),
  };
}

export const obligationInput = z
  .object({
    code: z.string().trim().min(1, "codice della misura obbligatorio"),
    ...obligationSettings,
    orgUnit: z.string().trim().min(1).optional(),
  })
  .superRefine(checkObligation);

/**
 * Sets a measure's upload obligation, reminder policy, state limits and responsible org unit
 * (docs/decisions/0015). Options left out keep their current value; cadence "none" removes the
 * obligation.
 */
export async function setMeasureObligation(db: DbOrTx, who: ChangeAuthor, raw: z.input<typeof obligationInput>) {
  const input = parse(obligationInput, raw);
  return db.transaction(async (tx) => {
    const [measure] = await tx.select().from(measures).where(eq(measures.code, input.code)).for("update");
    if (!measure) throw new InputError(`Misura ${input.code} non registrata`, "code");
    let orgUnitId = measure.orgUnitId;
    if (input.orgUnit) {
      const [o] = await tx.select().from(orgUnits).where(eq(orgUnits.code, input.orgUnit));
      if (!o) throw new InputError(`Struttura ${input.orgUnit} non registrata`, "orgUnit");
      orgUnitId = o.id;
    }
    const [updated] = await tx
      .update(measures)
      .set({
        ...obligationColumns(input),
        reminderEveryDays: input.reminderEveryDays ?? measure.reminderEveryDays,
        escalateAfterReminders: input.escalateAfterReminders ?? measure.escalateAfterReminders,
        maxDaysIstruttoria: input.maxDaysIstruttoria ?? measure.maxDaysIstruttoria,
        maxDaysSospesa: input.maxDaysSospesa ?? measure.maxDaysSospesa,
        orgUnitId,
        // A form opened before this change is now stale (docs/decisions/0020).
        version: measure.version + 1,
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


/** The extra holidays, every-year ones first (by month and day), then one-off days by date. */
export async function listExtraHolidays(db: DbOrTx) {
  return db
    .select()
    .from(extraHolidays)
    .orderBy(sql`${extraHolidays.year} is not null`, asc(extraHolidays.year), asc(extraHolidays.month), asc(extraHolidays.day));
}

export const holidayRemoval = z.object({ id: z.uuid({ message: "Festività non valida" }) });

/** Removes an extra holiday; one already removed (e.g. by another administrator) is refused. */
export async function removeExtraHoliday(db: DbOrTx, who: ChangeAuthor, raw: unknown) {
  const input = parse(holidayRemoval, raw);
  return db.transaction(async (tx) => {
    const [removed] = await tx.delete(extraHolidays).where(eq(extraHolidays.id, input.id)).returning();
    if (!removed) throw new InputError("Festività inesistente o già rimossa: ricaricare la pagina");
    await audit(tx, who, {
      action: "holiday.delete",
      objectType: "holiday",
      objectId: removed.id,
      details: { month: removed.month, day: removed.day, year: removed.year, name: removed.name },
    });
    return removed;
  });
}
