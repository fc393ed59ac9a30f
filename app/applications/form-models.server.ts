import { and, eq, max } from "drizzle-orm";
import { audit, type ChangeAuthor } from "~/audit/audit.server";
import { parseFormDefinition, type DefinitionProblem } from "~/forms/definition";
import { FieldErrors, InputError } from "~/lib/errors";
import type { DbOrTx } from "~db/client";
import { formModels, procedures } from "~db/schema";

/** An import refused: every offending component with its path; nothing was stored. */
export class DefinitionRefused extends InputError {
  constructor(readonly problems: DefinitionProblem[]) {
    super(`Modello non importato (nessuna modifica salvata): ${problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`);
    this.name = "DefinitionRefused";
  }
}

/** Reads the JSON an administrator imports; a syntax error is refused like any other problem. */
export function definitionFromJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new DefinitionRefused([{ path: "(modulo)", message: "il file non è JSON valido" }]);
  }
}

/** Imports a definition as the procedure's next draft version (docs/decisions/0060). */
export async function importFormModel(db: DbOrTx, who: ChangeAuthor, procedureId: string, definition: unknown) {
  const parsed = parseFormDefinition(definition);
  if (!parsed.ok) throw new DefinitionRefused(parsed.problems);
  return db.transaction(async (tx) => {
    const [procedure] = await tx.select().from(procedures).where(eq(procedures.id, procedureId)).for("update");
    if (!procedure) throw new FieldErrors({ procedureId: "Procedimento inesistente" });
    const [{ last } = { last: 0 }] = await tx.select({ last: max(formModels.version) }).from(formModels).where(eq(formModels.procedureId, procedureId));
    const [row] = await tx
      .insert(formModels)
      .values({ procedureId, version: (last ?? 0) + 1, status: "draft", definition: parsed.form, createdBy: who.actor?.userId ?? null })
      .returning();
    await audit(tx, who, { action: "form_model.import", objectType: "form_model", objectId: row!.id, details: { procedureId, version: row!.version } });
    return row!;
  });
}

/** Publishes a draft; the version published before it is retired. Applications keep theirs. */
export async function publishFormModel(db: DbOrTx, who: ChangeAuthor, id: string, now = new Date()) {
  return db.transaction(async (tx) => {
    const [model] = await tx.select().from(formModels).where(eq(formModels.id, id)).for("update");
    if (!model) throw new InputError("Modello inesistente");
    if (model.status !== "draft") throw new InputError("Solo una bozza può essere pubblicata: una versione pubblicata non cambia più");
    await tx
      .update(formModels)
      .set({ status: "retired" })
      .where(and(eq(formModels.procedureId, model.procedureId), eq(formModels.status, "published")));
    await tx.update(formModels).set({ status: "published", publishedAt: now }).where(eq(formModels.id, id));
    await audit(tx, who, { action: "form_model.publish", objectType: "form_model", objectId: id, details: { procedureId: model.procedureId, version: model.version } });
  });
}
