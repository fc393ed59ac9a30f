import { and, asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "../client";
import { catalogueCategories, measures, orgUnits, positions, procedures } from "../schema";

type Procedure = typeof procedures.$inferSelect;

/** Reads of the catalogue of procedures: the administration pages and the public area. */

export async function getProcedure(db: DbOrTx, id: string) {
  if (!z.uuid().safeParse(id).success) return null;
  const [row] = await db.select().from(procedures).where(eq(procedures.id, id));
  return row ?? null;
}

export async function getCategory(db: DbOrTx, id: string) {
  if (!z.uuid().safeParse(id).success) return null;
  const [row] = await db.select().from(catalogueCategories).where(eq(catalogueCategories.id, id));
  return row ?? null;
}

export type TreeProcedure = { id: string; title: string; status: Procedure["status"]; measureCode: string | null };
export type TreeNode = { id: string; title: string; description: string; version: number; children: TreeNode[]; procedures: TreeProcedure[] };

/** The whole tree, ordered; with `publishedOnly` drafts and categories left empty are omitted. */
export async function catalogueTree(db: DbOrTx, opts: { publishedOnly: boolean }): Promise<TreeNode[]> {
  const cats = await db.select().from(catalogueCategories).orderBy(asc(catalogueCategories.position), asc(catalogueCategories.title));
  const procs = await db
    .select({ id: procedures.id, title: procedures.title, status: procedures.status, categoryId: procedures.categoryId, measureCode: measures.code })
    .from(procedures)
    .leftJoin(measures, eq(measures.procedureId, procedures.id))
    .where(opts.publishedOnly ? eq(procedures.status, "published") : undefined)
    .orderBy(asc(procedures.position), asc(procedures.title));
  const nodes = new Map<string, TreeNode & { parentId: string | null }>();
  for (const c of cats) nodes.set(c.id, { id: c.id, title: c.title, description: c.description, version: c.version, parentId: c.parentId, children: [], procedures: [] });
  for (const p of procs) nodes.get(p.categoryId)?.procedures.push({ id: p.id, title: p.title, status: p.status, measureCode: p.measureCode });
  const roots: TreeNode[] = [];
  for (const c of cats) {
    const node = nodes.get(c.id)!;
    const parent = c.parentId ? nodes.get(c.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  const strip = (list: TreeNode[]): TreeNode[] =>
    list
      .map(({ id, title, description, version, children, procedures: ps }) => ({ id, title, description, version, children: strip(children), procedures: ps }))
      .filter((n) => !opts.publishedOnly || n.procedures.length > 0 || n.children.length > 0);
  return strip(roots);
}

/** A published procedure as the public page shows it, with its office and responsible figure. */
export async function publicProcedure(db: DbOrTx, id: string) {
  if (!z.uuid().safeParse(id).success) return null;
  const [row] = await db
    .select({
      procedure: procedures,
      category: catalogueCategories.title,
      office: orgUnits.name,
      responsibleTitle: positions.title,
      responsibleHolder: positions.holder,
      responsibleEmail: positions.email,
    })
    .from(procedures)
    .innerJoin(catalogueCategories, eq(catalogueCategories.id, procedures.categoryId))
    .leftJoin(orgUnits, eq(orgUnits.id, procedures.orgUnitId))
    .leftJoin(positions, eq(positions.id, procedures.responsiblePositionId))
    .where(and(eq(procedures.id, id), eq(procedures.status, "published")));
  return row ?? null;
}

export const SEARCH_KINDS = ["procedure", "faq"] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

/**
 * Italian full-text search over what the public area shows (websearch syntax: words, "phrases",
 * -exclusions): published procedures and published frequent answers (ADR 0099), best matches
 * first, with a highlighted excerpt of the description or of the answer.
 */
export async function searchPublished(db: DbOrTx, text: string, limit: number, kinds: readonly SearchKind[] = SEARCH_KINDS) {
  const rows = await db.execute<{ kind: SearchKind; id: string; title: string; category: string; excerpt: string }>(sql`
    with query as (select websearch_to_tsquery('italian', ${text}) q),
    hits as (
      select 'procedure' as kind, p.id, p.title, c.title as category,
             ts_headline('italian', p.description, query.q, 'MaxWords=30, MinWords=10, StartSel=<<, StopSel=>>') as excerpt,
             ts_rank(p.search, query.q) as rank
      from procedures p join catalogue_categories c on c.id = p.category_id, query
      where ${kinds.includes("procedure")} and p.status = 'published' and p.search @@ query.q
      union all
      select 'faq', f.id, f.question, 'Domande frequenti',
             ts_headline('italian', f.answer, query.q, 'MaxWords=30, MinWords=10, StartSel=<<, StopSel=>>'),
             ts_rank(f.search, query.q)
      from faq_entries f, query
      where ${kinds.includes("faq")} and f.status = 'published' and f.search @@ query.q
    )
    select kind, id, title, category, excerpt from hits
    order by rank desc, title
    limit ${limit}`);
  return [...rows];
}
