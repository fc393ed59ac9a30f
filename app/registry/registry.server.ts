import { and, eq, inArray, ne } from "drizzle-orm";
import { z } from "zod";
import { audit, type ChangeAuthor } from "~/audit/audit.server";
import { FieldErrors, InputError, parseFields, StaleEditError, zodMessages } from "~/lib/errors";
import { checkbox, formVersion, optionalDate, optionalText, optionalUuid, requiredInt, requiredText } from "~/lib/form-schema";
import { normalizeFiscalCode, numericFiscalCodeSchema, personalFiscalCodeSchema } from "~/lib/fiscal-code";
import { checkObligation, obligationColumns, obligationSettings } from "~/timeliness/settings.server";
import type { DbOrTx, Tx } from "~db/client";
import { accesses, gestori, measureGestori, measures, orgUnits, positions, procedures, ROLES, TERRITORY_LEVELS, users } from "~db/schema";
import { isTerritorialRole } from "~db/scope";
import { territoryExists } from "~db/queries/territories";

const name = (label: string, max = 200) =>
  z.string().trim().min(1, `${label} obbligatorio`).max(max, `${label}: al massimo ${max} caratteri`);
const email = z.email({ message: "indirizzo e-mail non valido" });

function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw new InputError(zodMessages(result.error).join("; "));
  return result.data;
}

export const gestoreInput = z.object({
  cf: numericFiscalCodeSchema,
  name: name("Denominazione"),
  email: email.optional(),
  pec: email.optional(),
});

export async function addGestore(db: DbOrTx, who: ChangeAuthor, raw: z.input<typeof gestoreInput>) {
  const input = parse(gestoreInput, raw);
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(gestori)
      .values({ fiscalCode: input.cf, name: input.name, email: input.email ?? null, pec: input.pec ?? null })
      .onConflictDoNothing()
      .returning();
    if (!created) throw new InputError(`Esiste già un ente gestore con codice fiscale ${input.cf}`, "cf");
    await audit(tx, who, { action: "gestore.create", objectType: "gestore", objectId: created.id, gestoreId: created.id });
    return created;
  });
}

export const orgUnitInput = z.object({
  code: z.string().trim().regex(/^[A-Za-z0-9._-]{1,32}$/, "codice: da 1 a 32 caratteri tra lettere, cifre, . _ -"),
  name: name("Nome"),
});

export async function addOrgUnit(db: DbOrTx, who: ChangeAuthor, raw: z.input<typeof orgUnitInput>) {
  const input = parse(orgUnitInput, raw);
  return db.transaction(async (tx) => {
    const [created] = await tx.insert(orgUnits).values(input).onConflictDoNothing().returning();
    if (!created) throw new InputError(`Esiste già una struttura con codice ${input.code}`, "code");
    await audit(tx, who, { action: "org_unit.create", objectType: "org_unit", objectId: created.id });
    return created;
  });
}

export const measureInput = z.object({
  code: z.string().trim().regex(/^[A-Za-z0-9._-]{1,50}$/, "codice: da 1 a 50 caratteri tra lettere, cifre, . _ -"),
  name: name("Nome"),
  description: z.string().max(5000).optional(),
  gestori: z.array(numericFiscalCodeSchema).default([]),
});

export async function addMeasure(db: DbOrTx, who: ChangeAuthor, raw: z.input<typeof measureInput>) {
  const input = parse(measureInput, raw);
  return db.transaction(async (tx) => {
    const found = input.gestori.length
      ? await tx.select().from(gestori).where(inArray(gestori.fiscalCode, input.gestori))
      : [];
    const missing = input.gestori.filter((cf) => !found.some((g) => g.fiscalCode === cf));
    if (missing.length) throw new InputError(`Enti gestori non registrati: ${missing.join(", ")}`, "gestori");
    const [created] = await tx
      .insert(measures)
      .values({ code: input.code, name: input.name, description: input.description ?? "" })
      .onConflictDoNothing()
      .returning();
    if (!created) throw new InputError(`Esiste già una misura con codice ${input.code}`, "code");
    if (found.length)
      await tx.insert(measureGestori).values(found.map((g) => ({ measureId: created.id, gestoreId: g.id })));
    await audit(tx, who, {
      action: "measure.create",
      objectType: "measure",
      objectId: created.id,
      details: { code: created.code, gestori: found.map((g) => g.id) },
    });
    return created;
  });
}

export const userInput = z
  .object({
    cf: personalFiscalCodeSchema,
    name: name("Nome", 100),
    surname: name("Cognome", 100),
    email,
    role: z.enum(ROLES, { message: `ruolo non valido: usare uno tra ${ROLES.join(", ")}` }),
    gestore: numericFiscalCodeSchema.optional(),
    orgUnit: z.string().trim().min(1).optional(),
    /** Territorial roles (issue 19): the level and the ISTAT / ATS code of the territory. */
    territoryLevel: z.enum(TERRITORY_LEVELS, { message: "livello del territorio non valido: usare regione, ats o comune" }).optional(),
    territoryCode: z.string().trim().regex(/^[A-Za-z0-9-]{2,20}$/, { message: "codice del territorio non valido" }).optional(),
  })
  .superRefine((u, ctx) => {
    const territorial = isTerritorialRole(u.role);
    if (territorial && (!u.territoryLevel || !u.territoryCode)) ctx.addIssue({ code: "custom", path: ["territoryCode"], message: "obbligatorio per i ruoli territoriali" });
    if (!territorial && (u.territoryLevel || u.territoryCode)) ctx.addIssue({ code: "custom", path: ["territoryCode"], message: "ammesso solo per i ruoli territoriali" });
    const gestoreRole = u.role === "gestore_operatore" || u.role === "gestore_referente";
    const officialRole = u.role === "funzionario" || u.role === "dirigente" || u.role === "operatore_helpdesk";
    if (gestoreRole && !u.gestore) ctx.addIssue({ code: "custom", path: ["gestore"], message: "obbligatorio per i ruoli dell'ente gestore" });
    if (!gestoreRole && u.gestore) ctx.addIssue({ code: "custom", path: ["gestore"], message: "ammesso solo per i ruoli dell'ente gestore" });
    if (officialRole && !u.orgUnit) ctx.addIssue({ code: "custom", path: ["orgUnit"], message: "obbligatoria per funzionari, dirigenti e operatori dell'help desk" });
    if (!officialRole && u.orgUnit) ctx.addIssue({ code: "custom", path: ["orgUnit"], message: "ammessa solo per funzionari, dirigenti e operatori dell'help desk" });
  });

/**
 * Registers a person (or finds them by codice fiscale) and gives them an active access.
 * Outside the command line, access is granted through enablement requests instead.
 */
export async function addUserWithAccess(db: DbOrTx, who: ChangeAuthor, raw: z.input<typeof userInput>) {
  const input = parse(userInput, { ...raw, cf: typeof raw.cf === "string" ? normalizeFiscalCode(raw.cf) : raw.cf });
  return db.transaction(async (tx) => {
    let gestoreId: string | null = null;
    let orgUnitId: string | null = null;
    if (input.gestore) {
      const [g] = await tx.select().from(gestori).where(eq(gestori.fiscalCode, input.gestore));
      if (!g) throw new InputError(`Ente gestore ${input.gestore} non registrato`, "gestore");
      gestoreId = g.id;
    }
    if (input.orgUnit) {
      const [o] = await tx.select().from(orgUnits).where(eq(orgUnits.code, input.orgUnit));
      if (!o) throw new InputError(`Struttura ${input.orgUnit} non registrata`, "orgUnit");
      orgUnitId = o.id;
    }
    const territory = input.territoryLevel && input.territoryCode ? { level: input.territoryLevel, code: input.territoryCode } : null;
    if (territory && !(await territoryExists(tx, territory)))
      throw new InputError(`Territorio ${territory.level}:${territory.code} inesistente`, "territoryCode");
    const [existing] = await tx.select().from(users).where(eq(users.fiscalCode, input.cf));
    const user =
      existing ??
      (await tx
        .insert(users)
        .values({ fiscalCode: input.cf, name: input.name, surname: input.surname, email: input.email })
        .returning())[0]!;
    const [already] = await tx
      .select({ id: accesses.id })
      .from(accesses)
      .where(
        and(
          eq(accesses.userId, user.id),
          eq(accesses.role, input.role),
          eq(accesses.status, "active"),
          gestoreId ? eq(accesses.gestoreId, gestoreId) : orgUnitId ? eq(accesses.orgUnitId, orgUnitId) : territory ? eq(accesses.territoryCode, territory.code) : undefined,
        ),
      );
    if (already) throw new InputError("La persona è già abilitata con questo ruolo in questo ambito", "role");
    const [access] = await tx
      .insert(accesses)
      .values({ userId: user.id, role: input.role, gestoreId, orgUnitId, territoryLevel: input.territoryLevel ?? null, territoryCode: input.territoryCode ?? null })
      .returning();
    if (!existing) await audit(tx, who, { action: "user.create", objectType: "user", objectId: user.id });
    await audit(tx, who, {
      action: "access.grant",
      objectType: "access",
      objectId: access!.id,
      gestoreId,
      details: { userId: user.id, role: input.role, orgUnitId, ...(territory ? { territory } : {}) },
    });
    return { user, access: access! };
  });
}

// ---------------------------------------------------------------------------------------------
// Editing from the administration pages. Each edit carries the version its form was loaded
// with; a save from an older version is refused (StaleEditError) instead of overwriting.

export const gestoreEdit = z.object({
  name: requiredText("Denominazione", 200),
  email: z.preprocess((v) => (v === "" ? null : v), email.nullable().optional()).transform((v) => v ?? null),
  pec: z.preprocess((v) => (v === "" ? null : v), z.email({ message: "PEC: indirizzo non valido" }).nullable().optional()).transform((v) => v ?? null),
  contacts: optionalText("Contatti", 2000),
  operatorQuota: requiredInt("Numero massimo di operatori", 1, 500),
  active: checkbox,
  measures: z.array(z.uuid({ message: "Misura non valida" })).default([]),
  version: formVersion,
});

async function setAccreditations(tx: Tx, side: { gestoreId: string } | { measureId: string }, ids: string[]) {
  const current =
    "gestoreId" in side
      ? (await tx.select({ id: measureGestori.measureId }).from(measureGestori).where(eq(measureGestori.gestoreId, side.gestoreId))).map((r) => r.id)
      : (await tx.select({ id: measureGestori.gestoreId }).from(measureGestori).where(eq(measureGestori.measureId, side.measureId))).map((r) => r.id);
  const added = ids.filter((id) => !current.includes(id));
  const removed = current.filter((id) => !ids.includes(id));
  const pair = (other: string) => ("gestoreId" in side ? { gestoreId: side.gestoreId, measureId: other } : { measureId: side.measureId, gestoreId: other });
  if (added.length) await tx.insert(measureGestori).values(added.map(pair)).onConflictDoNothing();
  for (const other of removed) {
    const p = pair(other);
    await tx.delete(measureGestori).where(and(eq(measureGestori.gestoreId, p.gestoreId), eq(measureGestori.measureId, p.measureId)));
  }
  return { added, removed };
}

export async function updateGestore(db: DbOrTx, who: ChangeAuthor, id: string, raw: unknown) {
  const input = parseFields(gestoreEdit, raw);
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(gestori).where(eq(gestori.id, id)).for("update");
    if (!before) throw new InputError("Ente gestore inesistente");
    if (before.version !== input.version) throw new StaleEditError();
    if (input.measures.length) {
      const known = await tx.select({ id: measures.id }).from(measures).where(inArray(measures.id, input.measures));
      if (known.length !== new Set(input.measures).size) throw new FieldErrors({ measures: "Misure: una delle misure scelte non esiste più" });
    }
    const { version, measures: measureIds, ...values } = input;
    const [after] = await tx
      .update(gestori)
      .set({ ...values, version: version + 1 })
      .where(and(eq(gestori.id, id), eq(gestori.version, version)))
      .returning();
    if (!after) throw new StaleEditError();
    const accreditation = await setAccreditations(tx, { gestoreId: id }, [...new Set(measureIds)]);
    const fields = Object.keys(values).filter((k) => (before as Record<string, unknown>)[k] !== (values as Record<string, unknown>)[k]);
    await audit(tx, who, {
      action: before.active && !input.active ? "gestore.deactivate" : !before.active && input.active ? "gestore.reactivate" : "gestore.update",
      objectType: "gestore",
      objectId: id,
      gestoreId: id,
      details: { fields, measuresAdded: accreditation.added, measuresRemoved: accreditation.removed },
    });
    return after;
  });
}

/**
 * The fields of a measure edited on its page. Kept as one object so later fields (upload
 * obligation, state limits) are added with `.extend()` and one more form section.
 */
export const measureFields = {
  name: requiredText("Nome", 200),
  description: optionalText("Descrizione", 5000),
  opensOn: optionalDate("Data di apertura"),
  closesOn: optionalDate("Data di chiusura"),
  isOpen: checkbox,
  procedureId: optionalUuid("Procedimento non valido"),
  gestori: z.array(z.uuid({ message: "Ente gestore non valido" })).default([]),
};

/** On the page every setting is shown, so the two reminder settings cannot be left empty. */
const requiredOnPage = (label: string) => (v: unknown, ctx: z.RefinementCtx, path: string) => {
  if (v === undefined) ctx.addIssue({ code: "custom", path: [path], message: `${label}: campo obbligatorio` });
};

/**
 * The measure form: its own fields, the upload obligation validated by the timeliness settings
 * schema (the same one the command line uses), and the org unit answering for the measure.
 */
export const measureEdit = z
  .object({ ...measureFields, ...obligationSettings, orgUnitId: optionalUuid("Struttura non valida"), version: formVersion })
  .superRefine((m, ctx) => {
    if (m.opensOn && m.closesOn && m.opensOn > m.closesOn)
      ctx.addIssue({ code: "custom", path: ["closesOn"], message: "Data di chiusura: non può precedere la data di apertura" });
    checkObligation(m, ctx);
    requiredOnPage("giorni tra i promemoria")(m.reminderEveryDays, ctx, "reminderEveryDays");
    requiredOnPage("promemoria prima della segnalazione")(m.escalateAfterReminders, ctx, "escalateAfterReminders");
  });

export async function updateMeasure(db: DbOrTx, who: ChangeAuthor, id: string, raw: unknown) {
  const input = parseFields(measureEdit, raw);
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(measures).where(eq(measures.id, id)).for("update");
    if (!before) throw new InputError("Misura inesistente");
    if (before.version !== input.version) throw new StaleEditError();
    if (input.procedureId) {
      const [p] = await tx.select({ id: procedures.id }).from(procedures).where(eq(procedures.id, input.procedureId));
      if (!p) throw new FieldErrors({ procedureId: "Procedimento inesistente" });
      const [other] = await tx.select({ code: measures.code }).from(measures).where(and(eq(measures.procedureId, input.procedureId), ne(measures.id, id)));
      if (other) throw new FieldErrors({ procedureId: `Procedimento già collegato alla misura ${other.code}` });
    }
    if (input.gestori.length) {
      const known = await tx.select({ id: gestori.id }).from(gestori).where(inArray(gestori.id, input.gestori));
      if (known.length !== new Set(input.gestori).size) throw new FieldErrors({ gestori: "Enti gestori: uno degli enti scelti non esiste più" });
    }
    if (input.orgUnitId) {
      const [o] = await tx.select({ id: orgUnits.id }).from(orgUnits).where(eq(orgUnits.id, input.orgUnitId));
      if (!o) throw new FieldErrors({ orgUnitId: "Struttura responsabile: la struttura scelta non esiste più" });
    }
    const { version, gestori: gestoreIds, cadence, day, startsOn, endsOn, reminderEveryDays, escalateAfterReminders, maxDaysIstruttoria, maxDaysSospesa, ...own } = input;
    const values = {
      ...own,
      ...obligationColumns({ cadence, day, startsOn, endsOn }),
      reminderEveryDays: reminderEveryDays!,
      escalateAfterReminders: escalateAfterReminders!,
      // Left empty on the page: no limit.
      maxDaysIstruttoria: maxDaysIstruttoria ?? null,
      maxDaysSospesa: maxDaysSospesa ?? null,
    };
    const [after] = await tx
      .update(measures)
      .set({ ...values, version: version + 1 })
      .where(and(eq(measures.id, id), eq(measures.version, version)))
      .returning();
    if (!after) throw new StaleEditError();
    const accreditation = await setAccreditations(tx, { measureId: id }, [...new Set(gestoreIds)]);
    const fields = Object.keys(values).filter((k) => (before as Record<string, unknown>)[k] !== (values as Record<string, unknown>)[k]);
    await audit(tx, who, {
      action: "measure.update",
      objectType: "measure",
      objectId: id,
      details: { code: before.code, fields, gestoriAdded: accreditation.added, gestoriRemoved: accreditation.removed },
    });
    return after;
  });
}

export const orgUnitEdit = z.object({
  name: requiredText("Nome", 200),
  description: optionalText("Descrizione", 2000),
  headUserId: optionalUuid("Dirigente non valido"),
  /** Read by the enablement quota check (db/queries/enablement.ts `lockScope`). */
  userQuota: requiredInt("Numero massimo di utenti abilitati", 1, 500),
  active: checkbox,
  version: formVersion,
});

export async function updateOrgUnit(db: DbOrTx, who: ChangeAuthor, id: string, raw: unknown) {
  const input = parseFields(orgUnitEdit, raw);
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(orgUnits).where(eq(orgUnits.id, id)).for("update");
    if (!before) throw new InputError("Struttura inesistente");
    if (before.version !== input.version) throw new StaleEditError();
    if (input.headUserId) {
      const [dirigente] = await tx
        .select({ id: accesses.id })
        .from(accesses)
        .where(and(eq(accesses.userId, input.headUserId), eq(accesses.role, "dirigente"), eq(accesses.status, "active")))
        .limit(1);
      if (!dirigente) throw new FieldErrors({ headUserId: "Dirigente responsabile: la persona scelta non ha un profilo di dirigente attivo" });
    }
    const { version, ...values } = input;
    const [after] = await tx
      .update(orgUnits)
      .set({ ...values, version: version + 1 })
      .where(and(eq(orgUnits.id, id), eq(orgUnits.version, version)))
      .returning();
    if (!after) throw new StaleEditError();
    const fields = Object.keys(values).filter((k) => (before as Record<string, unknown>)[k] !== (values as Record<string, unknown>)[k]);
    await audit(tx, who, { action: "org_unit.update", objectType: "org_unit", objectId: id, details: { fields } });
    return after;
  });
}

export const positionInput = z.object({
  orgUnitId: z.uuid({ message: "Struttura: scegliere una struttura" }),
  title: requiredText("Figura", 200),
  holder: optionalText("Titolare", 200),
  email: z.preprocess((v) => (v === "" ? null : v), z.email({ message: "E-mail: indirizzo non valido" }).nullable().optional()).transform((v) => v ?? null),
  active: checkbox.optional().transform((v) => v ?? true),
});

export const positionEdit = positionInput.extend({ active: checkbox, version: formVersion });

export async function addPosition(db: DbOrTx, who: ChangeAuthor, raw: unknown) {
  const input = parseFields(positionInput, raw);
  return db.transaction(async (tx) => {
    const [o] = await tx.select({ id: orgUnits.id }).from(orgUnits).where(eq(orgUnits.id, input.orgUnitId));
    if (!o) throw new FieldErrors({ orgUnitId: "Struttura inesistente" });
    const [created] = await tx.insert(positions).values(input).returning();
    await audit(tx, who, { action: "position.create", objectType: "position", objectId: created!.id, details: { orgUnitId: input.orgUnitId } });
    return created!;
  });
}

export async function updatePosition(db: DbOrTx, who: ChangeAuthor, id: string, raw: unknown) {
  const input = parseFields(positionEdit, raw);
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(positions).where(eq(positions.id, id)).for("update");
    if (!before) throw new InputError("Figura inesistente");
    if (before.version !== input.version) throw new StaleEditError();
    const [o] = await tx.select({ id: orgUnits.id }).from(orgUnits).where(eq(orgUnits.id, input.orgUnitId));
    if (!o) throw new FieldErrors({ orgUnitId: "Struttura inesistente" });
    const { version, ...values } = input;
    const [after] = await tx
      .update(positions)
      .set({ ...values, version: version + 1, updatedAt: new Date() })
      .where(and(eq(positions.id, id), eq(positions.version, version)))
      .returning();
    if (!after) throw new StaleEditError();
    await audit(tx, who, { action: "position.update", objectType: "position", objectId: id, details: { orgUnitId: input.orgUnitId } });
    return after;
  });
}
