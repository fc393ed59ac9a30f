import { z } from "zod";
import { audit } from "~/audit/audit.server";
import { requireInScope, type Actor } from "~/auth/guards.server";
import { clientIp } from "~/lib/request.server";
import { getDb } from "~db/client";
import { listGestori } from "~db/queries/gestori";
import { getPracticeDetail, listPractices, measureCodes } from "~db/queries/practices";
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
});

/** The practice list and search: it shows names and fiscal codes, so each view is audited with its filter. */
export async function practiceListPage(request: Request, actor: Actor) {
  const url = new URL(request.url);
  const parsed = practiceFilterSchema.safeParse(Object.fromEntries(url.searchParams));
  const { page, ...filter } = parsed.success ? parsed.data : { page: 1 };
  const db = getDb();
  const [result, measures, gestori] = await Promise.all([
    listPractices(db, actor, filter, page),
    measureCodes(db),
    isGestoreRole(actor.role) ? Promise.resolve([]) : listGestori(db, actor),
  ]);
  await audit(db, { actor, ip: clientIp(request) }, {
    action: filter.q ? "practice.search" : "practice.list",
    objectType: "practice",
    gestoreId: isGestoreRole(actor.role) ? actor.gestoreId : null,
    details: { filter, page, shown: result.rows.length },
  });
  return {
    filter,
    invalidFilter: !parsed.success,
    ...result,
    measures,
    gestori: gestori.map((g) => ({ fiscalCode: g.fiscalCode, name: g.name })),
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
