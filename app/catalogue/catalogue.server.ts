import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { audit } from "~/audit/audit.server";
import { FieldErrors, InputError, parseFields, StaleEditError } from "~/lib/errors";
import { formVersion, linkLines, optionalInt, optionalText, optionalUuid, requiredText } from "~/lib/form-schema";
import type { ChangeAuthor } from "~/audit/audit.server";
import type { DbOrTx, Tx } from "~db/client";
import { searchPublished, type SearchKind, type TreeNode } from "~db/queries/catalogue";
import { catalogueCategories, measures, orgUnits, positions, PROCEDURE_STATUSES, procedures } from "~db/schema";

/**
 * The catalogue of procedures: a tree of categories, each holding ordered procedures. Edits
 * carry the version they were made from and are refused when someone saved in between.
 */

export const categoryInput = z.object({
  title: requiredText("Titolo", 200),
  description: optionalText("Descrizione", 2000),
  parentId: optionalUuid("Categoria superiore non valida"),
});

export const categoryEdit = categoryInput.extend({ version: formVersion });

export const procedureInput = z.object({
  title: requiredText("Titolo", 200),
  categoryId: z.uuid({ message: "Categoria: scegliere una categoria" }),
  description: optionalText("Descrizione", 10000),
  orgUnitId: optionalUuid("Ufficio non valido"),
  responsiblePositionId: optionalUuid("Responsabile non valido"),
  costs: optionalText("Costi", 5000),
  howToApply: optionalText("Come presentare la domanda", 10000),
  maxDurationDays: optionalInt("Durata massima (giorni)", 1, 3650),
  requiredDocuments: optionalText("Documenti richiesti", 10000),
  links: linkLines("Collegamenti"),
  status: z.enum(PROCEDURE_STATUSES, { message: "Stato: scegliere bozza o pubblicato" }).default("draft"),
});

export const procedureEdit = procedureInput.extend({ version: formVersion });

export type Procedure = typeof procedures.$inferSelect;
export type Category = typeof catalogueCategories.$inferSelect;

async function checkCategory(tx: Tx, id: string, field: string) {
  const [c] = await tx.select({ id: catalogueCategories.id }).from(catalogueCategories).where(eq(catalogueCategories.id, id));
  if (!c) throw new FieldErrors({ [field]: "Categoria inesistente: ricaricare la pagina" });
}

async function checkProcedureRefs(tx: Tx, input: { categoryId: string; orgUnitId: string | null; responsiblePositionId: string | null }) {
  await checkCategory(tx, input.categoryId, "categoryId");
  if (input.orgUnitId) {
    const [o] = await tx.select({ id: orgUnits.id }).from(orgUnits).where(eq(orgUnits.id, input.orgUnitId));
    if (!o) throw new FieldErrors({ orgUnitId: "Ufficio inesistente" });
  }
  if (input.responsiblePositionId) {
    const [p] = await tx.select({ orgUnitId: positions.orgUnitId }).from(positions).where(eq(positions.id, input.responsiblePositionId));
    if (!p) throw new FieldErrors({ responsiblePositionId: "Figura responsabile inesistente" });
  }
}

const nextPosition = async (tx: Tx, table: typeof procedures | typeof catalogueCategories, where: ReturnType<typeof eq> | undefined) => {
  const [row] = await tx.select({ max: sql<number | null>`max(${table.position})` }).from(table).where(where);
  return (row?.max ?? -1) + 1;
};

const parentIs = (parentId: string | null) =>
  parentId ? eq(catalogueCategories.parentId, parentId) : isNull(catalogueCategories.parentId);

/** Fields whose value differs, for the audit trail (values themselves are public text). */
function changedFields<T extends Record<string, unknown>>(before: T, after: Partial<T>) {
  return Object.keys(after).filter((k) => k !== "version" && canonical(before[k]) !== canonical(after[k]));
}

// jsonb keeps keys in its own order: compare values with sorted keys.
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : x,
  );

export async function createCategory(db: DbOrTx, who: ChangeAuthor, raw: unknown) {
  const input = parseFields(categoryInput, raw);
  return db.transaction(async (tx) => {
    if (input.parentId) await checkCategory(tx, input.parentId, "parentId");
    const position = await nextPosition(tx, catalogueCategories, parentIs(input.parentId));
    const [created] = await tx.insert(catalogueCategories).values({ ...input, position }).returning();
    await audit(tx, who, { action: "catalogue.category.create", objectType: "catalogue_category", objectId: created!.id, details: { title: input.title } });
    return created!;
  });
}

export async function updateCategory(db: DbOrTx, who: ChangeAuthor, id: string, raw: unknown) {
  const input = parseFields(categoryEdit, raw);
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(catalogueCategories).where(eq(catalogueCategories.id, id)).for("update");
    if (!before) throw new InputError("Categoria inesistente");
    if (before.version !== input.version) throw new StaleEditError();
    if (input.parentId) {
      await checkCategory(tx, input.parentId, "parentId");
      // A category cannot move under itself or one of its descendants.
      const [cycle] = await tx.execute<{ found: boolean }>(sql`
        with recursive up as (
          select id, parent_id from catalogue_categories where id = ${input.parentId}
          union all select c.id, c.parent_id from catalogue_categories c join up on c.id = up.parent_id)
        select exists (select 1 from up where id = ${id}) as found`);
      if (cycle?.found) throw new FieldErrors({ parentId: "Categoria superiore: non può essere la categoria stessa o una sua sottocategoria" });
    }
    const { version, ...values } = input;
    const moved = (before.parentId ?? null) !== (input.parentId ?? null);
    const position = moved ? await nextPosition(tx, catalogueCategories, parentIs(input.parentId)) : before.position;
    const [after] = await tx
      .update(catalogueCategories)
      .set({ ...values, position, version: version + 1, updatedAt: new Date() })
      .where(and(eq(catalogueCategories.id, id), eq(catalogueCategories.version, version)))
      .returning();
    if (!after) throw new StaleEditError();
    await audit(tx, who, {
      action: "catalogue.category.update",
      objectType: "catalogue_category",
      objectId: id,
      details: { fields: changedFields(before, values) },
    });
    return after;
  });
}

/** Deletes an empty category (no subcategories, no procedures). */
export async function deleteCategory(db: DbOrTx, who: ChangeAuthor, id: string, version: number) {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(catalogueCategories).where(eq(catalogueCategories.id, id)).for("update");
    if (!before) throw new InputError("Categoria inesistente");
    if (before.version !== version) throw new StaleEditError();
    const [child] = await tx.select({ id: catalogueCategories.id }).from(catalogueCategories).where(eq(catalogueCategories.parentId, id)).limit(1);
    const [proc] = await tx.select({ id: procedures.id }).from(procedures).where(eq(procedures.categoryId, id)).limit(1);
    if (child || proc) throw new InputError("La categoria non è vuota: spostare o eliminare prima sottocategorie e procedimenti");
    await tx.delete(catalogueCategories).where(eq(catalogueCategories.id, id));
    await audit(tx, who, { action: "catalogue.category.delete", objectType: "catalogue_category", objectId: id, details: { title: before.title } });
  });
}

export const moveInput = z.object({
  kind: z.enum(["category", "procedure"]),
  id: z.uuid({ message: "Elemento non valido" }),
  direction: z.enum(["up", "down"], { message: "Direzione non valida" }),
});

/**
 * Moves a category or procedure one place up or down among its siblings. The siblings are
 * locked and renumbered, so two administrators moving at once each see the other's move.
 */
export async function moveItem(db: DbOrTx, who: ChangeAuthor, raw: unknown) {
  const input = parseFields(moveInput, raw);
  return db.transaction(async (tx) => {
    const table = input.kind === "category" ? catalogueCategories : procedures;
    let siblings: { id: string; position: number }[];
    if (input.kind === "category") {
      const [me] = await tx.select().from(catalogueCategories).where(eq(catalogueCategories.id, input.id));
      if (!me) throw new InputError("Categoria inesistente");
      siblings = await tx
        .select({ id: catalogueCategories.id, position: catalogueCategories.position })
        .from(catalogueCategories)
        .where(parentIs(me.parentId))
        .orderBy(asc(catalogueCategories.position), asc(catalogueCategories.title))
        .for("update");
    } else {
      const [me] = await tx.select().from(procedures).where(eq(procedures.id, input.id));
      if (!me) throw new InputError("Procedimento inesistente");
      siblings = await tx
        .select({ id: procedures.id, position: procedures.position })
        .from(procedures)
        .where(eq(procedures.categoryId, me.categoryId))
        .orderBy(asc(procedures.position), asc(procedures.title))
        .for("update");
    }
    const at = siblings.findIndex((s) => s.id === input.id);
    const to = input.direction === "up" ? at - 1 : at + 1;
    if (at < 0 || to < 0 || to >= siblings.length) return false;
    const order = siblings.map((s) => s.id);
    [order[at], order[to]] = [order[to]!, order[at]!];
    for (const [i, id] of order.entries()) {
      if (siblings.find((s) => s.id === id)!.position !== i) await tx.update(table).set({ position: i }).where(eq(table.id, id));
    }
    await audit(tx, who, {
      action: `catalogue.${input.kind}.move`,
      objectType: input.kind === "category" ? "catalogue_category" : "procedure",
      objectId: input.id,
      details: { direction: input.direction },
    });
    return true;
  });
}

export async function createProcedure(db: DbOrTx, who: ChangeAuthor, raw: unknown) {
  const input = parseFields(procedureInput, raw);
  return db.transaction(async (tx) => {
    await checkProcedureRefs(tx, input);
    const position = await nextPosition(tx, procedures, eq(procedures.categoryId, input.categoryId));
    const [created] = await tx
      .insert(procedures)
      .values({ ...input, position, publishedAt: input.status === "published" ? new Date() : null })
      .returning();
    await audit(tx, who, {
      action: "procedure.create",
      objectType: "procedure",
      objectId: created!.id,
      details: { title: input.title, status: input.status },
    });
    return created!;
  });
}

export async function updateProcedure(db: DbOrTx, who: ChangeAuthor, id: string, raw: unknown) {
  const input = parseFields(procedureEdit, raw);
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(procedures).where(eq(procedures.id, id)).for("update");
    if (!before) throw new InputError("Procedimento inesistente");
    if (before.version !== input.version) throw new StaleEditError();
    await checkProcedureRefs(tx, input);
    const { version, ...values } = input;
    const position =
      before.categoryId === input.categoryId ? before.position : await nextPosition(tx, procedures, eq(procedures.categoryId, input.categoryId));
    const publishedAt = input.status === "published" ? (before.publishedAt ?? new Date()) : null;
    // The version in the WHERE clause is the guard; the row lock above only orders the writers.
    const [after] = await tx
      .update(procedures)
      .set({ ...values, position, publishedAt, version: version + 1, updatedAt: new Date() })
      .where(and(eq(procedures.id, id), eq(procedures.version, version)))
      .returning();
    if (!after) throw new StaleEditError();
    const fields = changedFields(before as unknown as Record<string, unknown>, values);
    await audit(tx, who, {
      action: before.status !== input.status ? (input.status === "published" ? "procedure.publish" : "procedure.unpublish") : "procedure.update",
      objectType: "procedure",
      objectId: id,
      details: { fields },
    });
    return after;
  });
}

/** Flat list of categories with their depth, for <select> menus. */
export function flattenTree(tree: TreeNode[], depth = 0): { id: string; title: string; depth: number }[] {
  return tree.flatMap((n) => [{ id: n.id, title: n.title, depth }, ...flattenTree(n.children, depth + 1)]);
}

export const searchQuery = z.string().trim().max(200, "Ricerca: al massimo 200 caratteri");

/**
 * The public area's one search (the catalogue page and the frequent answers): published
 * procedures and frequent answers, or only the kinds asked for (docs/decisions/0099).
 */
export async function searchCatalogue(db: DbOrTx, q: string, opts: { limit?: number; kinds?: readonly SearchKind[] } = {}) {
  const text = searchQuery.parse(q);
  if (!text) return [];
  return searchPublished(db, text, opts.limit ?? 50, opts.kinds);
}
