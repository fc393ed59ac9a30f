import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { audit, type ChangeAuthor } from "~/audit/audit.server";
import { FieldErrors, parseFields, StaleEditError } from "~/lib/errors";
import { formVersion, optionalUuid, requiredInt } from "~/lib/form-schema";
import type { DbOrTx } from "~db/client";
import { helpdeskQueues, orgUnits, TICKET_CATEGORIES } from "~db/schema";

export const queueInput = z.object({
  category: z.enum(TICKET_CATEGORIES, { message: "Coda non valida" }),
  orgUnitId: optionalUuid("Struttura non valida"),
  firstAnswerHours: requiredInt("Prima risposta (ore lavorative)", 1, 400),
  resolutionHours: requiredInt("Soluzione (ore lavorative)", 1, 2000),
  version: formVersion,
});

/**
 * An administrator sets who works a queue (an org unit: its help-desk operators) and its service
 * levels. A save from a form older than the stored version is refused (StaleEditError).
 */
export async function updateQueue(db: DbOrTx, who: ChangeAuthor, raw: unknown) {
  const input = parseFields(queueInput, raw);
  if (input.resolutionHours < input.firstAnswerHours)
    throw new FieldErrors({ resolutionHours: "Soluzione (ore lavorative): non meno della prima risposta" });
  return db.transaction(async (tx) => {
    if (input.orgUnitId) {
      const [unit] = await tx.select({ id: orgUnits.id }).from(orgUnits).where(eq(orgUnits.id, input.orgUnitId));
      if (!unit) throw new FieldErrors({ orgUnitId: "Struttura non trovata" });
    }
    const [row] = await tx
      .update(helpdeskQueues)
      .set({ orgUnitId: input.orgUnitId, firstAnswerHours: input.firstAnswerHours, resolutionHours: input.resolutionHours, version: input.version + 1 })
      .where(and(eq(helpdeskQueues.category, input.category), eq(helpdeskQueues.version, input.version)))
      .returning();
    if (!row) throw new StaleEditError();
    await audit(tx, who, { action: "helpdesk_queue.update", objectType: "helpdesk_queue", objectId: input.category, details: { orgUnitId: input.orgUnitId, firstAnswerHours: input.firstAnswerHours, resolutionHours: input.resolutionHours } });
    return row;
  });
}

export async function queuesAdminData(db: DbOrTx) {
  const [queues, units] = await Promise.all([
    db.select().from(helpdeskQueues).orderBy(helpdeskQueues.category),
    db.select({ id: orgUnits.id, name: orgUnits.name, code: orgUnits.code }).from(orgUnits).where(eq(orgUnits.active, true)).orderBy(orgUnits.name),
  ]);
  return { queues, units: units.map((u) => ({ value: u.id, label: `${u.name} (${u.code})` })) };
}
