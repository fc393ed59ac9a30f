import { asc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { audit, type ChangeAuthor } from "~/audit/audit.server";
import { requireForm, type SignedIn } from "~/auth/guards.server";
import { FieldErrors, InputError, parseFields } from "~/lib/errors";
import { formValues, runForm } from "~/lib/form-action.server";
import { romeLocalDateTime } from "~/lib/dates";
import { requiredText } from "~/lib/form-schema";
import { clientIp } from "~/lib/request.server";
import { getDb, type DbOrTx } from "~db/client";
import { allFields, parseFormDefinition } from "~/forms/definition";
import { clickDays, comuni, formModels, procedures } from "~db/schema";
import { isUuid } from "~db/uuid";

/**
 * Click days as an administrator configures them (issue 16, docs/decisions/0098): the procedure,
 * the opening to the second in Europe/Rome, an optional closing and the quota. A click day can
 * be changed only before it opens: after that its ranks are a record.
 */

/** A form field's key, or nothing. */
function fieldKey(label: string) {
  return z.preprocess((v) => (typeof v === "string" && v.trim() ? v.trim() : null), z.string().max(100, `${label}: al massimo 100 caratteri`).regex(/^[A-Za-z][A-Za-z0-9_]*$/, `${label}: indicare la chiave di un campo del modulo (lettere e cifre)`).nullable());
}

/** Sub-quotas typed one per line as «gruppo: quota» (a category value, or a province's abbreviation). */
const groupQuotaLines = z
  .string()
  .max(20_000, "Quote per gruppo: testo troppo lungo")
  .default("")
  .transform((text, ctx) => {
    const out: Record<string, number> = {};
    text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean).forEach((line, i) => {
      const m = /^(.{1,100}?)\s*[:=]\s*(\d{1,8})$/.exec(line);
      if (!m || Number(m[2]) < 1) ctx.addIssue({ code: "custom", message: `Quote per gruppo: riga ${i + 1} non valida, scrivere «gruppo: quota» con una quota di almeno 1` });
      else if (m[1]! in out) ctx.addIssue({ code: "custom", message: `Quote per gruppo: «${m[1]}» compare due volte` });
      else out[m[1]!] = Number(m[2]);
    });
    return out;
  });

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
  groupBy: z.enum(["none", "category", "province"], { message: "Ripartizione della quota: scegliere una voce" }).default("none"),
  groupField: fieldKey("Campo della ripartizione"),
  groupQuotas: groupQuotaLines,
  formModelIds: z.array(z.uuid({ message: "Modelli: sceglierne dall'elenco" })).max(50, "Modelli: al massimo 50").default([]),
  assignField: fieldKey("Campo delle categorie assegnate"),
  assignValues: z
    .string()
    .max(2000, "Categorie assegnate: al massimo 2000 caratteri")
    .default("")
    .transform((v) => [...new Set(v.split(/[,;\n]/).map((x) => x.trim()).filter(Boolean))])
    .refine((v) => v.length <= 100 && v.every((x) => x.length <= 100), "Categorie assegnate: al massimo 100 valori di 100 caratteri"),
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
    const split = await checkSplitAndAssignment(tx, input);
    const fields = { procedureId: input.procedureId, label: input.label, opensAt: opens, closesAt: closes, quota: input.quota, ...split };
    if (!id) {
      const [row] = await tx.insert(clickDays).values(fields).returning();
      await audit(tx, who, { action: "click_day.create", objectType: "click_day", objectId: row!.id, details: { opensAt: opens.toISOString(), quota: input.quota, ...split } });
      return row!;
    }
    const [existing] = await tx.select().from(clickDays).where(eq(clickDays.id, id)).for("update");
    if (!existing) throw new InputError("Click day non trovato.");
    const [open] = await tx.execute<{ open: boolean }>(sql`select ${existing.opensAt.toISOString()}::timestamptz <= clock_timestamp() as open`);
    if (open!.open) throw new InputError(ALREADY_OPEN);
    const [row] = await tx.update(clickDays).set(fields).where(eq(clickDays.id, id)).returning();
    await audit(tx, who, { action: "click_day.update", objectType: "click_day", objectId: id, details: { opensAt: opens.toISOString(), quota: input.quota, ...split } });
    return row!;
  });
}

/**
 * The quota split and the assignment, checked against the procedure's form models and the
 * municipalities' provinces (ADR 120): each problem an Italian message beside its field.
 */
async function checkSplitAndAssignment(tx: DbOrTx, input: ReturnType<typeof parseClickDay>) {
  const errors: Record<string, string> = {};
  const models = await tx.select({ id: formModels.id, definition: formModels.definition }).from(formModels).where(eq(formModels.procedureId, input.procedureId));
  const keys = new Set(models.flatMap((m) => { const p = parseFormDefinition(m.definition); return p.ok ? allFields(p.form).map((f) => f.key) : []; }));
  if (input.formModelIds.some((id) => !models.some((m) => m.id === id))) errors.formModelIds = "Modelli: scegliere modelli del procedimento del click day";
  if (input.assignValues.length && !input.assignField) errors.assignField = "Campo delle categorie assegnate: indicarlo insieme alle categorie";
  else if (input.assignField && !keys.has(input.assignField)) errors.assignField = "Campo delle categorie assegnate: non è un campo del modulo del procedimento";
  else if (input.assignField && !input.assignValues.length) errors.assignValues = "Categorie assegnate: indicarne almeno una";
  const groups = Object.keys(input.groupQuotas);
  if (input.groupBy === "none") {
    if (groups.length) errors.groupQuotas = "Quote per gruppo: scegliere prima una ripartizione della quota";
  } else {
    if (!input.groupField) errors.groupField = "Campo della ripartizione: obbligatorio con una ripartizione";
    else if (!keys.has(input.groupField)) errors.groupField = "Campo della ripartizione: non è un campo del modulo del procedimento";
    const sum = Object.values(input.groupQuotas).reduce((a, b) => a + b, 0);
    if (!groups.length) errors.groupQuotas = "Quote per gruppo: indicarne almeno una";
    else if (sum !== input.quota) errors.groupQuotas = `Quote per gruppo: la somma (${sum.toLocaleString("it-IT")}) deve essere uguale alla quota (${input.quota.toLocaleString("it-IT")})`;
    if (input.groupBy === "province" && groups.length && !errors.groupQuotas) {
      const known = new Set((await tx.selectDistinct({ abbr: comuni.provinceAbbr }).from(comuni).where(inArray(comuni.provinceAbbr, groups))).map((r) => r.abbr));
      const unknown = groups.filter((g) => !known.has(g));
      if (unknown.length) errors.groupQuotas = `Quote per gruppo: ${unknown.join(", ")} non è la sigla di una provincia (per esempio RM)`;
    }
  }
  if (Object.keys(errors).length) throw new FieldErrors(errors);
  return {
    groupBy: input.groupBy,
    groupField: input.groupBy === "none" ? null : input.groupField,
    groupQuotas: input.groupQuotas,
    formModelIds: input.formModelIds,
    assignField: input.assignField,
    assignValues: input.assignValues,
  };
}

export async function clickDayAdminPage(id?: string) {
  const db = getDb();
  const rows = await db
    .select({ day: clickDays, procedure: procedures.title, open: sql<boolean>`${clickDays.opensAt} <= clock_timestamp()` })
    .from(clickDays)
    .innerJoin(procedures, eq(procedures.id, clickDays.procedureId))
    .orderBy(asc(clickDays.opensAt));
  const options = (await db.select({ value: procedures.id, label: procedures.title }).from(procedures).orderBy(asc(procedures.title))).map((p) => ({ value: p.value, label: p.label }));
  const models = (
    await db
      .select({ id: formModels.id, version: formModels.version, status: formModels.status, procedure: procedures.title })
      .from(formModels)
      .innerJoin(procedures, eq(procedures.id, formModels.procedureId))
      .where(inArray(formModels.status, ["published", "retired"]))
      .orderBy(asc(procedures.title), asc(formModels.version))
  ).map((m) => ({ value: m.id, label: `${m.procedure} — versione ${m.version}${m.status === "retired" ? " (ritirata)" : ""}` }));
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
    groupBy: r.day.groupBy,
    groupField: r.day.groupField ?? "",
    groupQuotaLines: Object.entries(r.day.groupQuotas).map(([k, v]) => `${k}: ${v}`).join("\n"),
    formModelIds: r.day.formModelIds,
    assignField: r.day.assignField ?? "",
    assignValues: r.day.assignValues.join(", "),
  }));
  const day = id ? days.find((d) => d.id === id) : undefined;
  if (id && !day) throw new Response("Click day non trovato.", { status: 404 });
  return { days, day: day ?? null, procedures: options, models };
}

export async function clickDaySaveAction(request: Request, signedIn: SignedIn, id: string | null) {
  if (id !== null && !isUuid(id)) throw new Response("Click day non trovato.", { status: 404 });
  const form = await requireForm(request, signedIn);
  const values = formValues(form, ["formModelIds"]);
  return runForm(values, async () => {
    await saveClickDay(getDb(), { actor: signedIn.actor, ip: clientIp(request) }, id, values);
    return id ? "Click day aggiornato." : "Click day creato.";
  });
}
