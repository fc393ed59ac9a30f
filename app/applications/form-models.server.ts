import { and, desc, eq, max } from "drizzle-orm";
import { audit, type ChangeAuthor } from "~/audit/audit.server";
import { parseFormDefinition, type DefinitionProblem, type FormDefinition } from "~/forms/definition";
import { applyEdit, type EditOp } from "~/forms/edit";
import { FieldErrors, InputError } from "~/lib/errors";
import type { DbOrTx } from "~db/client";
import { formModels, procedures } from "~db/schema";

/** An import refused: every offending component with its path; nothing was stored. */
export class DefinitionRefused extends InputError {
  constructor(
    readonly problems: DefinitionProblem[],
    readonly what = "Modello non importato",
  ) {
    super(`${what} (nessuna modifica salvata): ${problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`);
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
  return db.transaction((tx) => insertDraft(tx, who, procedureId, parsed.form, "form_model.import"));
}

/** The procedure's next version, as a draft; the procedure row is locked so versions never collide. */
async function insertDraft(tx: DbOrTx, who: ChangeAuthor, procedureId: string, form: FormDefinition, action: string, details: Record<string, unknown> = {}) {
  const [procedure] = await tx.select().from(procedures).where(eq(procedures.id, procedureId)).for("update");
  if (!procedure) throw new FieldErrors({ procedureId: "Procedimento inesistente" });
  const [{ last } = { last: 0 }] = await tx.select({ last: max(formModels.version) }).from(formModels).where(eq(formModels.procedureId, procedureId));
  const [row] = await tx
    .insert(formModels)
    .values({ procedureId, version: (last ?? 0) + 1, status: "draft", definition: form, createdBy: who.actor?.userId ?? null })
    .returning();
  await audit(tx, who, { action, objectType: "form_model", objectId: row!.id, details: { procedureId, version: row!.version, ...details } });
  return row!;
}

export const ONLY_DRAFTS = "Questa versione è pubblicata o ritirata e non cambia più: crea una nuova bozza per modificarla.";

/**
 * A new draft copying a version (usually the published one), so that editing never touches a
 * published form. When the procedure already has a draft, that draft is returned instead:
 * one draft at a time keeps the administrators on the same copy.
 */
export async function draftFrom(db: DbOrTx, who: ChangeAuthor, modelId: string) {
  return db.transaction(async (tx) => {
    const [model] = await tx.select().from(formModels).where(eq(formModels.id, modelId));
    if (!model) throw new InputError("Modello inesistente");
    await tx.select({ id: procedures.id }).from(procedures).where(eq(procedures.id, model.procedureId)).for("update");
    const [draft] = await tx.select().from(formModels).where(and(eq(formModels.procedureId, model.procedureId), eq(formModels.status, "draft"))).orderBy(desc(formModels.version)).limit(1);
    if (draft) return { row: draft, created: false };
    const form = parseFormDefinition(model.definition);
    if (!form.ok) throw new Error("stored form definition no longer valid");
    return { row: await insertDraft(tx, who, model.procedureId, form.form, "form_model.new_draft", { from: model.version }), created: true };
  });
}

/** A draft with one page, to build a model from nothing in the editor. */
export async function emptyDraft(db: DbOrTx, who: ChangeAuthor, procedureId: string, title: string) {
  const form: FormDefinition = { display: "wizard", title, components: [{ type: "panel", key: "pagina1", title: "Pagina 1", components: [] }] };
  return db.transaction((tx) => insertDraft(tx, who, procedureId, form, "form_model.new_draft"));
}

/**
 * One change from the editor, on a draft only (docs/decisions/0093): validated by the import's
 * own parser; a refusal throws with the path of each problem and writes nothing.
 */
export async function editDraft(db: DbOrTx, who: ChangeAuthor, modelId: string, op: EditOp) {
  return db.transaction(async (tx) => {
    const [model] = await tx.select().from(formModels).where(eq(formModels.id, modelId)).for("update");
    if (!model) throw new InputError("Modello inesistente");
    if (model.status !== "draft") throw new InputError(ONLY_DRAFTS);
    const current = parseFormDefinition(model.definition);
    if (!current.ok) throw new Error("stored form definition no longer valid");
    const result = applyEdit(current.form, op);
    if (!result.ok) throw new DefinitionRefused(result.problems, "Modifica non salvata");
    await tx.update(formModels).set({ definition: result.form }).where(eq(formModels.id, modelId));
    await audit(tx, who, { action: "form_model.edit", objectType: "form_model", objectId: modelId, details: { op: op.op, key: "key" in op ? op.key : null } });
    return result.form;
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
