import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { audit, type AuditActor } from "~/audit/audit.server";
import { InputError, zodMessages } from "~/lib/errors";
import { normalizeFiscalCode, numericFiscalCodeSchema, personalFiscalCodeSchema } from "~/lib/fiscal-code";
import type { DbOrTx } from "~db/client";
import { accesses, gestori, measureGestori, measures, orgUnits, ROLES, users } from "~db/schema";

/** Who makes a registry change: a signed-in administrator, or the command line. */
export type ChangeAuthor = { actor?: AuditActor | null; ip?: string | null; system?: string };

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
  })
  .superRefine((u, ctx) => {
    const gestoreRole = u.role === "gestore_operatore" || u.role === "gestore_referente";
    const officialRole = u.role === "funzionario" || u.role === "dirigente";
    if (gestoreRole && !u.gestore) ctx.addIssue({ code: "custom", path: ["gestore"], message: "obbligatorio per i ruoli dell'ente gestore" });
    if (!gestoreRole && u.gestore) ctx.addIssue({ code: "custom", path: ["gestore"], message: "ammesso solo per i ruoli dell'ente gestore" });
    if (officialRole && !u.orgUnit) ctx.addIssue({ code: "custom", path: ["orgUnit"], message: "obbligatoria per funzionari e dirigenti" });
    if (!officialRole && u.orgUnit) ctx.addIssue({ code: "custom", path: ["orgUnit"], message: "ammessa solo per funzionari e dirigenti" });
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
          gestoreId ? eq(accesses.gestoreId, gestoreId) : orgUnitId ? eq(accesses.orgUnitId, orgUnitId) : undefined,
        ),
      );
    if (already) throw new InputError("La persona è già abilitata con questo ruolo in questo ambito", "role");
    const [access] = await tx.insert(accesses).values({ userId: user.id, role: input.role, gestoreId, orgUnitId }).returning();
    if (!existing) await audit(tx, who, { action: "user.create", objectType: "user", objectId: user.id });
    await audit(tx, who, {
      action: "access.grant",
      objectType: "access",
      objectId: access!.id,
      gestoreId,
      details: { userId: user.id, role: input.role, orgUnitId },
    });
    return { user, access: access! };
  });
}
