import { acceptsApplications } from "~/applications/pages.server";
import fs from "node:fs";
import path from "node:path";
import { marked } from "marked";
import { getBranding } from "~/branding/branding.server";
import { searchCatalogue, searchQuery } from "~/catalogue/catalogue.server";
import { getDb } from "~db/client";
import { catalogueTree, publicProcedure, type SearchKind } from "~db/queries/catalogue";
import { listPublishedFaq } from "~db/queries/faq";

/** Data of the public pages (no sign-in): only published procedures and public branding. */

export async function publicHomeData() {
  const branding = await getBranding(getDb());
  const tree = await catalogueTree(getDb(), { publishedOnly: true });
  return {
    bodyName: branding.bodyName,
    banner: branding.banner,
    quickLinks: branding.quickLinks,
    categories: tree.map((n) => ({ id: n.id, title: n.title, description: n.description, count: countProcedures(n) })),
  };
}

function countProcedures(n: Awaited<ReturnType<typeof catalogueTree>>[number]): number {
  return n.procedures.length + n.children.reduce((s, c) => s + countProcedures(c), 0);
}

/** Splits ts_headline's <<…>> marks into text segments, so nothing from the database becomes HTML. */
function segments(excerpt: string) {
  return excerpt.split(/(<<.*?>>)/).filter(Boolean).map((s) => (s.startsWith("<<") ? { mark: true, text: s.slice(2, -2) } : { mark: false, text: s }));
}

/** Where a search hit is read: a procedure's page, or its entry on the frequent answers' page. */
const hitHref = (r: { kind: SearchKind; id: string }) => (r.kind === "faq" ? `/istruzioni/domande-frequenti#faq-${r.id}` : `/procedimenti/${r.id}`);

/** The `q` of a public search page, run through the catalogue's one search (ADR 0099). */
async function searchPage(url: URL, kinds?: readonly SearchKind[]) {
  const raw = url.searchParams.get("q") ?? "";
  const parsed = searchQuery.safeParse(raw);
  const q = parsed.success ? parsed.data : "";
  const results = q
    ? (await searchCatalogue(getDb(), q, { kinds })).map((r) => ({ id: r.id, kind: r.kind, href: hitHref(r), title: r.title, category: r.category, excerpt: segments(r.excerpt) }))
    : null;
  return { q: raw.slice(0, 200), error: parsed.success ? null : parsed.error.issues[0]!.message, results };
}

export async function cataloguePageData(url: URL) {
  return { ...(await searchPage(url)), tree: await catalogueTree(getDb(), { publishedOnly: true }) };
}

/** The public frequent answers: every published entry, or those the search finds. */
export async function faqPageData(url: URL) {
  const [search, entries] = await Promise.all([searchPage(url, ["faq"]), listPublishedFaq(getDb())]);
  return { ...search, entries: entries.map((e) => ({ id: e.id, question: e.question, answer: e.answer, category: e.category })) };
}

export async function procedurePageData(id: string) {
  const row = await publicProcedure(getDb(), id);
  if (!row) throw new Response("Il procedimento richiesto non esiste o non è pubblicato.", { status: 404 });
  const p = row.procedure;
  return {
    id: p.id,
    title: p.title,
    category: row.category,
    description: p.description,
    office: row.office,
    responsible: row.responsibleTitle ? { title: row.responsibleTitle, holder: row.responsibleHolder, email: row.responsibleEmail } : null,
    costs: p.costs,
    howToApply: p.howToApply,
    maxDurationDays: p.maxDurationDays,
    requiredDocuments: p.requiredDocuments,
    links: p.links,
    updatedAt: p.updatedAt.toISOString(),
    applyOnline: await acceptsApplications(getDb(), p),
  };
}

const SPEC_FILE = path.resolve("docs/formato-flusso.md");
let specCache: { mtime: number; html: string } | undefined;

/**
 * The upload format specification in Italian, rendered from the repository's docs/formato-flusso.md
 * (the Italian twin of docs/upload-format.md, the contract the ingestion and its tests follow).
 * The file is ours, not user input; its first heading is replaced by the page's own.
 */
export function uploadSpecHtml(): string {
  const mtime = fs.statSync(SPEC_FILE).mtimeMs;
  if (specCache?.mtime === mtime) return specCache.html;
  const source = fs.readFileSync(SPEC_FILE, "utf8").replace(/^# .*\n/, "");
  // Headings start at h2 (the page has its h1); tables get bootstrap classes.
  const html = (marked.parse(source, { async: false }) as string)
    .replace(/<table>/g, '<div class="table-responsive"><table class="table table-sm">')
    .replace(/<\/table>/g, "</table></div>");
  specCache = { mtime, html };
  return html;
}
