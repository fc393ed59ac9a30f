import { asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { audit, type ChangeAuthor } from "~/audit/audit.server";
import { requireForm, type SignedIn } from "~/auth/guards.server";
import { FieldErrors, InputError, parseFields } from "~/lib/errors";
import { formValues, runForm } from "~/lib/form-action.server";
import { romeLocalDateTime } from "~/lib/dates";
import { requiredText } from "~/lib/form-schema";
import { clientIp } from "~/lib/request.server";
import { getDb, type DbOrTx } from "~db/client";
import { clickDays, procedures } from "~db/schema";
import { isUuid } from "~db/uuid";

/**
 * Click days as an administrator configures them (issue 16, docs/decisions/0098): the procedure,
 * the opening to the second in Europe/Rome, an optional closing and the quota. A click day can
 * be changed only before it opens: after that its ranks are a record.
 */

/** "2026-12-01T09:00" or "2026-12-01T09:00:05", as a datetime-local field sends it, read in Rome. */
const romeLocal = (label: string) =>
  z
    .string({ message: `${label}: campo obbligatorio` })
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, `${label}: indicare data e ora (gg/mm/aaaa hh:mm:ss)`);

export const clickDayForm = z.object({
  procedureId: z.uuid({ message: "Procedimento: sceglierne uno" }),
  label: requiredText("Nome", 200),
  opensAt: romeLocal("Apertura"),
  closesAt: z.preprocess((v) => (v === "" ? undefined : v), romeLocal("Chiusura").optional()),
  quota: z.coerce.number({ message: "Quota: un numero intero" }).int("Quota: un numero intero").min(1, "Quota: almeno 1").max(10_000_000, "Quota: al massimo 10.000.000"),
});

const parseClickDay = (values: Record<string, unknown>) => parseFields(clickDayForm, values);

export const ALREADY_OPEN = "Il click day è già aperto: non si può più modificare.";

/** Creates (id null) or changes a click day not yet open; the instants are read in Rome by the database. */
export async function saveClickDay(db: DbOrTx, who: ChangeAuthor, id: string | null, values: Record<string, unknown>) {
  const input = parseClickDay(values);
  return db.transaction(async (tx) => {
    const [when] = await tx.execute<{ opens: Date; closes: Date | null; future: boolean }>(sql`
      select (${input.opensAt}::timestamp at time zone 'Europe/Rome') as opens,
             (${input.closesAt ?? null}::timestamp at time zone 'Europe/Rome') as closes,
             (${input.opensAt}::timestamp at time zone 'Europe/Rome') > clock_timestamp() as future`);
    const opens = new Date(when!.opens);
    const closes = when!.closes ? new Date(when!.closes) : null;
    if (!when!.future) throw new FieldErrors({ opensAt: "Apertura: deve essere nel futuro" });
    if (closes && closes <= opens) throw new FieldErrors({ closesAt: "Chiusura: deve seguire l'apertura" });
    const [procedure] = await tx.select({ id: procedures.id }).from(procedures).where(eq(procedures.id, input.procedureId));
    if (!procedure) throw new FieldErrors({ procedureId: "Procedimento: sceglierne uno" });
    const fields = { procedureId: input.procedureId, label: input.label, opensAt: opens, closesAt: closes, quota: input.quota };
    if (!id) {
      const [row] = await tx.insert(clickDays).values(fields).returning();
      await audit(tx, who, { action: "click_day.create", objectType: "click_day", objectId: row!.id, details: { opensAt: opens.toISOString(), quota: input.quota } });
      return row!;
    }
    const [existing] = await tx.select().from(clickDays).where(eq(clickDays.id, id)).for("update");
    if (!existing) throw new InputError("Click day non trovato.");
    const [open] = await tx.execute<{ open: boolean }>(sql`select ${existing.opensAt.toISOString()}::timestamptz <= clock_timestamp() as open`);
    if (open!.open) throw new InputError(ALREADY_OPEN);
    const [row] = await tx.update(clickDays).set(fields).where(eq(clickDays.id, id)).returning();
    await audit(tx, who, { action: "click_day.update", objectType: "click_day", objectId: id, details: { opensAt: opens.toISOString(), quota: input.quota } });
    return row!;
  });
}

export async function clickDayAdminPage(id?: string) {
  const db = getDb();
  const rows = await db
    .select({ day: clickDays, procedure: procedures.title, open: sql<boolean>`${clickDays.opensAt} <= clock_timestamp()` })
    .from(clickDays)
    .innerJoin(procedures, eq(procedures.id, clickDays.procedureId))
    .orderBy(asc(clickDays.opensAt));
  const options = (await db.select({ value: procedures.id, label: procedures.title }).from(procedures).orderBy(asc(procedures.title))).map((p) => ({ value: p.value, label: p.label }));
  const days = rows.map((r) => ({
    id: r.day.id,
    label: r.day.label,
    procedure: r.procedure,
    procedureId: r.day.procedureId,
    opensAt: r.day.opensAt.toISOString(),
    closesAt: r.day.closesAt?.toISOString() ?? null,
    opensLocal: romeLocalDateTime(r.day.opensAt),
    closesLocal: r.day.closesAt ? romeLocalDateTime(r.day.closesAt) : "",
    quota: r.day.quota,
    received: r.day.lastRank,
    open: r.open,
  }));
  const day = id ? days.find((d) => d.id === id) : undefined;
  if (id && !day) throw new Response("Click day non trovato.", { status: 404 });
  return { days, day: day ?? null, procedures: options };
}

export async function clickDaySaveAction(request: Request, signedIn: SignedIn, id: string | null) {
  if (id !== null && !isUuid(id)) throw new Response("Click day non trovato.", { status: 404 });
  const form = await requireForm(request, signedIn);
  const values = formValues(form);
  return runForm(values, async () => {
    await saveClickDay(getDb(), { actor: signedIn.actor, ip: clientIp(request) }, id, values);
    return id ? "Click day aggiornato." : "Click day creato.";
  });
}
