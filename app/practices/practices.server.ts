import { z } from "zod";
import { audit } from "~/audit/audit.server";
import { requireInScope, type Actor } from "~/auth/guards.server";
import { clientIp } from "~/lib/request.server";
import { getDb } from "~db/client";
import { filterOptions } from "~db/queries/filter-options";
import { countPractices, getPracticeDetail, listPractices, PAGE_SIZE, parseListCursor } from "~db/queries/practices";
import { isGestoreRole } from "~db/scope";
import { PRACTICE_STATE_VALUES } from "~db/schema";

const blank = z.literal("").transform(() => undefined);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().or(blank);

export const practiceFilterSchema = z.object({
  q: z.string().trim().max(100).optional(),
  measure: z.string().max(50).optional().or(blank),
  state: z.enum(PRACTICE_STATE_VALUES).optional().or(blank),
  gestore: z.string().regex(/^\d{11}$/).optional().or(blank),
  from: isoDate,
  to: isoDate,
  region: z.string().regex(/^\d{2}$/).optional().or(blank),
  province: z.string().regex(/^\d{3}$/).optional().or(blank),
  comune: z.string().regex(/^\d{6}$/).optional().or(blank),
  submittedFrom: isoDate,
  submittedTo: isoDate,
  event: z.enum(PRACTICE_STATE_VALUES).optional().or(blank),
  eventFrom: z.enum(PRACTICE_STATE_VALUES).optional().or(blank),
  eventSince: isoDate,
  eventUntil: isoDate,
  overLimitOn: isoDate,
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  dopo: z.string().max(20).optional(),
  prima: z.string().max(20).optional(),
});

/**
 * A page of the practice list: keyset pagination (a cursor `dopo` / `prima` in the URL, so page
 * 500 costs what page 1 does) and a total that is exact when cheap, estimated ("circa") when not
 * (docs/decisions/0036). It shows names and fiscal codes, so each view is audited with its filter. The page number is only shown; without a cursor the list starts over.
 */
export async function practiceListPage(request: Request, actor: Actor) {
  const url = new URL(request.url);
  const parsed = practiceFilterSchema.safeParse(Object.fromEntries(url.searchParams));
  const { page: asked, dopo, prima, ...filter } = parsed.success ? parsed.data : { page: 1, dopo: undefined, prima: undefined };
  const cursor = parseListCursor("after", dopo) ?? parseListCursor("before", prima);
  const page = cursor ? asked : 1;
  const db = getDb();
  const [result, total, options] = await Promise.all([listPractices(db, actor, filter, cursor), countPractices(db, actor, filter), filterOptions(db)]);
  await audit(db, { actor, ip: clientIp(request) }, {
    action: filter.q ? "practice.search" : "practice.list",
    objectType: "practice",
    gestoreId: isGestoreRole(actor.role) ? actor.gestoreId : null,
    details: { filter, page, shown: result.rows.length },
  });
  return {
    filter,
    invalidFilter: !parsed.success,
    rows: result.rows,
    next: result.next,
    prev: result.prev,
    page,
    total,
    pages: Math.max(1, Math.ceil(total.n / PAGE_SIZE)),
    measures: options.measures,
    // A gestore's own people see only their gestore's practices: no choice of gestore.
    gestori: isGestoreRole(actor.role) ? [] : options.gestori,
  };
}

/** The practice page: every view of individual practice data is audited. */
export async function viewPractice(request: Request, actor: Actor, id: string) {
  const db = getDb();
  const detail = await requireInScope(request, actor, () => getPracticeDetail(db, actor, id), "Pratica non trovata.");
  await audit(db, { actor, ip: clientIp(request) }, {
    action: "practice.view",
    objectType: "practice",
    objectId: id,
    gestoreId: detail.practice.gestoreId,
  });
  return detail;
}
