import { isUuid } from "~db/uuid";
import { and, asc, eq, gte, isNull, or, sql, type SQL } from "drizzle-orm";
import { json } from "@remix-run/node";
import { z } from "zod";
import { getConfig } from "~/config.server";
import { windowCounter } from "~/lib/window-counter.server";
import { audit } from "~/audit/audit.server";
import { forbidden, requireForm, requirePermission, type SignedIn } from "~/auth/guards.server";
import { parseFormDefinition } from "~/forms/definition";
import { missingAnswers } from "~/forms/validate";
import { CSV_BOM, csvLine } from "~/lib/csv";
import { InputError } from "~/lib/errors";
import { clientIp } from "~/lib/request.server";
import { getDb } from "~db/client";
import { clickDaysForViewer } from "~db/queries/click-days";
import { applications, clickDayEntries, clickDays, formModels, procedures, users } from "~db/schema";
import { assignedTo, groupLabel } from "./clickday-groups";
import { markReady, sendClickDay } from "./clickday.server";
import { dateTimeMs } from "./receipt.server";

/** Data and actions of the click-day pages (/click-day/…): routes stay thin. */

const dbNow = async () => new Date((await getDb().execute<{ now: string }>(sql`select clock_timestamp()::text as now`))[0]!.now);

/** The server's clock, for the page's countdown to keep in step with (never the PC's clock). */
export async function serverClock() {
  return { now: (await dbNow()).toISOString() };
}

async function clickDayOr404(id: string) {
  const [row] = isUuid(id)
    ? await getDb().select({ day: clickDays, procedure: procedures.title }).from(clickDays).innerJoin(procedures, eq(procedures.id, clickDays.procedureId)).where(eq(clickDays.id, id))
    : [];
  if (!row) throw new Response("Click day non trovato.", { status: 404 });
  return row;
}

const dayView = (d: typeof clickDays.$inferSelect, procedure: string) => ({
  id: d.id,
  label: d.label,
  procedure,
  opensAt: d.opensAt.toISOString(),
  closesAt: d.closesAt?.toISOString() ?? null,
  quota: d.quota,
  /** The sub-quotas said in words, e.g. "per provincia: RM 2, LT 1"; null without a split. */
  split: d.groupBy === "none" ? null : `${d.groupBy === "province" ? "per provincia" : "per categoria"}: ${Object.entries(d.groupQuotas).sort(([a], [b]) => a.localeCompare(b, "it")).map(([k, v]) => `${k} ${v}`).join(", ")}`,
});

const clickDaysWithProcedure = (where?: SQL) =>
  getDb().select({ day: clickDays, procedure: procedures.title }).from(clickDays).innerJoin(procedures, eq(procedures.id, clickDays.procedureId)).where(where).orderBy(asc(clickDays.opensAt));

/** Click days not yet closed, for applicants to find theirs. */
export async function clickDayList(request: Request) {
  await requirePermission(request, "applications.own");
  const rows = await clickDaysWithProcedure(or(isNull(clickDays.closesAt), gte(clickDays.closesAt, sql`clock_timestamp()`)));
  return { days: rows.map((r) => dayView(r.day, r.procedure)) };
}

/** The applicant's click-day page: server clock, opening, their drafts of the procedure, ready ones and acknowledgements. */
export async function clickDayPage(request: Request, id: string) {
  const signedIn = await requirePermission(request, "applications.own");
  const { day, procedure } = await clickDayOr404(id);
  const db = getDb();
  const own = await db
    .select({
      application: applications,
      model: formModels.definition,
      entry: clickDayEntries,
      // Ready for another click day of the procedure: sent from that one's page only.
      readyElsewhere: sql<boolean>`exists (select 1 from ${clickDayEntries} e where e.application_id = ${applications.id} and e.click_day_id <> ${day.id})`,
    })
    .from(applications)
    .innerJoin(formModels, eq(formModels.id, applications.formModelId))
    .leftJoin(clickDayEntries, and(eq(clickDayEntries.applicationId, applications.id), eq(clickDayEntries.clickDayId, day.id)))
    .where(and(eq(applications.applicantUserId, signedIn.actor.userId), eq(applications.procedureId, day.procedureId)))
    .orderBy(asc(applications.createdAt));
  const now = await dbNow();
  const rows = own
    .filter((r) => r.entry || (r.application.state === "bozza" && !r.readyElsewhere && assignedTo(day, r.application.formModelId, r.application.data)))
    .map((r) => {
      const parsed = parseFormDefinition(r.model);
      const missing = parsed.ok ? missingAnswers(parsed.form, r.application.data).length : 0;
      const label = String(r.application.data.ragioneSociale ?? "") || "Domanda senza ragione sociale";
      return {
        id: r.application.id,
        label,
        missing,
        ready: Boolean(r.entry),
        key: r.entry?.sendKey ?? null,
        number: r.entry?.number ?? r.application.number,
        rank: r.entry?.rank ?? null,
        receivedAt: r.entry?.receivedAt?.toISOString() ?? null,
        withinQuota: r.entry?.withinQuota ?? null,
        group: r.entry?.groupKey == null ? null : groupLabel(day, r.entry.groupKey),
        groupRank: r.entry?.groupRank ?? null,
      };
    });
  return { day: dayView(day, procedure), serverNow: now.toISOString(), open: now >= day.opensAt, applications: rows };
}

const ClickDayForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("pronta"), applicationId: z.string().uuid() }),
  z.object({ intent: z.literal("invia"), chiave: z.array(z.string().uuid()).max(50) }),
]);

const sendsPerPerson = windowCounter();
const sendsPerAddress = windowCounter();

export const tooManySends = (seconds: number) => `Troppi tentativi di invio: riprovare tra ${seconds === 1 ? "1 secondo" : `${seconds} secondi`}. Le domande già inviate restano valide con la loro posizione.`;

/**
 * The limits on sends without a CAPTCHA (ADR 97): per person and per address, counted in this
 * process. Over either: 429 with Retry-After and the Italian message, before anything is read or written.
 */
function overSendLimits(request: Request, userId: string) {
  const { perPersonPerMinute, perAddressPerMinute } = getConfig().clickDayLimits;
  const person = sendsPerPerson.hit(userId);
  const address = sendsPerAddress.hit(clientIp(request) ?? "");
  const over = [person.hits > perPersonPerMinute ? person.windowEnd : 0, address.hits > perAddressPerMinute ? address.windowEnd : 0];
  const until = Math.max(...over);
  if (!until) return null;
  const seconds = Math.max(1, Math.ceil((until - Date.now()) / 1000));
  return json({ ok: false as const, error: tooManySends(seconds) }, { status: 429, headers: { "Retry-After": String(seconds) } });
}

export async function clickDayAction(request: Request, id: string) {
  const signedIn = await requirePermission(request, "applications.own");
  const form = await requireForm(request, signedIn);
  const parsed = ClickDayForm.safeParse({ intent: form.get("intent"), applicationId: form.get("applicationId") ?? undefined, chiave: form.getAll("chiave") });
  if (!parsed.success) return { ok: false as const, error: "Richiesta non valida: ricaricare la pagina del click day e riprovare." };
  if (parsed.data.intent === "invia") {
    const refused = overSendLimits(request, signedIn.actor.userId);
    if (refused) return refused;
  }
  try {
    if (parsed.data.intent === "pronta") {
      await markReady(request, signedIn, id, parsed.data.applicationId);
      return { ok: true as const, message: "Domanda segnata come pronta per il click day.", acks: [] };
    }
    const acks = await sendClickDay(request, signedIn, id, parsed.data.chiave);
    return { ok: true as const, message: acks.length === 1 ? "Domanda inviata." : `${acks.length} domande inviate.`, acks };
  } catch (e) {
    if (e instanceof InputError) return { ok: false as const, error: e.message };
    throw e;
  }
}

/** Click days for officials of the procedures' offices (ADR 120), each leading to its ranking. */
export async function rankingList(request: Request) {
  const signedIn = await requirePermission(request, "applications.handle");
  const rows = await clickDaysForViewer(getDb(), signedIn.actor);
  return { days: rows.map((r) => ({ ...dayView(r.day, r.procedure), received: r.day.lastRank })) };
}

/**
 * The click day an official may read the ranking of: unknown, 404; outside the offices of its
 * procedure (ADR 120), 403 and the refusal audited.
 */
async function rankedClickDay(request: Request, signedIn: SignedIn, id: string) {
  await clickDayOr404(id);
  const [row] = await clickDaysForViewer(getDb(), signedIn.actor, id);
  if (!row) throw await forbidden(request, signedIn.actor, "click_day_scope", { clickDayId: id });
  return row;
}

/** The sends of a click day in rank order (or, with a quota split, by group then rank in it: at most `limit` per group), with the applicant's name. */
async function rankedRows(id: string, limit: number, byGroup = false) {
  const rows = await getDb()
    .select({ rank: clickDayEntries.rank, receivedAt: clickDayEntries.receivedAt, withinQuota: clickDayEntries.withinQuota, groupKey: clickDayEntries.groupKey, groupRank: clickDayEntries.groupRank, number: clickDayEntries.number, completed: sql<boolean>`${clickDayEntries.completedAt} is not null`, applicationId: applications.id, name: users.name, surname: users.surname, fiscalCode: users.fiscalCode })
    .from(clickDayEntries)
    .innerJoin(applications, eq(applications.id, clickDayEntries.applicationId))
    .innerJoin(users, eq(users.id, clickDayEntries.applicantUserId))
    .where(and(eq(clickDayEntries.clickDayId, id), sql`${clickDayEntries.rank} is not null`, byGroup ? sql`${clickDayEntries.groupRank} <= ${limit}` : undefined))
    .orderBy(...(byGroup ? [asc(clickDayEntries.groupKey), asc(clickDayEntries.groupRank)] : [asc(clickDayEntries.rank)]))
    .limit(byGroup ? 100 * limit : limit);
  return rows.map((r) => ({ rank: r.rank!, receivedAt: r.receivedAt!, withinQuota: r.withinQuota!, groupKey: r.groupKey, groupRank: r.groupRank, number: r.number ?? "", completed: r.completed, applicationId: r.applicationId, applicant: `${r.name} ${r.surname}`, fiscalCode: r.fiscalCode }));
}

/** Per group of a quota split: its sub-quota, the applications received and those within it. */
async function groupTotals(day: typeof clickDays.$inferSelect) {
  const counts = await getDb().execute<{ g: string; n: number; within: number }>(sql`
    select group_key as g, count(*)::int as n, (count(*) filter (where within_quota))::int as within
    from click_day_entries where click_day_id = ${day.id} and rank is not null group by group_key`);
  const by = new Map(counts.map((c) => [c.g, c]));
  const keys = [...new Set([...Object.keys(day.groupQuotas), ...by.keys()])].sort((a, b) => a.localeCompare(b, "it"));
  return keys.map((key) => ({ key, label: groupLabel(day, key), quota: day.groupQuotas[key] ?? 0, received: Number(by.get(key)?.n ?? 0), within: Number(by.get(key)?.within ?? 0) }));
}

/** The seconds around the opening the chart shows: from 5 before to 60 after. */
const CHART_SECONDS = { before: 5, after: 60 };

/** Sends received in each second around the opening (second 0 is the opening's), zeros included. */
async function sendsPerSecond(id: string) {
  const rows = await getDb().execute<{ s: number; n: number }>(sql`
    select floor(extract(epoch from e.received_at - d.opens_at))::int as s, count(*)::int as n
    from click_day_entries e join click_days d on d.id = e.click_day_id
    where e.click_day_id = ${id} and e.rank is not null and e.received_at < d.opens_at + make_interval(secs => ${CHART_SECONDS.after + 1})
    group by 1`);
  const by = new Map(rows.map((r) => [Number(r.s), Number(r.n)]));
  return Array.from({ length: CHART_SECONDS.before + CHART_SECONDS.after + 1 }, (_, i) => {
    const second = i - CHART_SECONDS.before;
    return { second, sends: by.get(second) ?? 0 };
  });
}

/** The ranked list of a click day with its quota line; an access to individual data, audited. */
export async function rankingPage(request: Request, id: string) {
  const signedIn = await requirePermission(request, "applications.handle");
  const { day, procedure } = await rankedClickDay(request, signedIn, id);
  const split = day.groupBy !== "none";
  const rows = await rankedRows(id, split ? 200 : 1000, split);
  await audit(getDb(), { actor: signedIn.actor, ip: clientIp(request) }, { action: "click_day.ranking_view", objectType: "click_day", objectId: id, details: { rows: rows.length } });
  return {
    day: dayView(day, procedure),
    received: day.lastRank,
    perSecond: await sendsPerSecond(id),
    groupBy: day.groupBy,
    groups: split ? await groupTotals(day) : [],
    rows: rows.map((r) => ({ rank: r.rank, receivedAt: r.receivedAt.toISOString(), withinQuota: r.withinQuota, groupKey: r.groupKey, groupRank: r.groupRank, number: r.number, applicationId: r.applicationId, completed: r.completed, applicant: r.applicant })),
  };
}

/** The whole ranking as CSV for Excel (Italian formats, receipt time to the millisecond), audited. */
export async function rankingExport(request: Request, id: string) {
  const signedIn = await requirePermission(request, "applications.handle");
  const { day } = await rankedClickDay(request, signedIn, id);
  const rows = await rankedRows(id, 1_000_000);
  await audit(getDb(), { actor: signedIn.actor, ip: clientIp(request) }, { action: "click_day.ranking_export", objectType: "click_day", objectId: id, details: { rows: rows.length } });
  const split = day.groupBy !== "none";
  const groupHeader = split ? [day.groupBy === "province" ? "Provincia" : "Categoria", "Posizione nel gruppo"] : [];
  let body = CSV_BOM + csvLine(["Posizione", ...groupHeader, "Numero", "Richiedente", "Codice fiscale", "Ricevuta il", "Esito"]);
  for (const r of rows) body += csvLine([r.rank, ...(split ? [groupLabel(day, r.groupKey ?? ""), r.groupRank ?? ""] : []), r.number, r.applicant, r.fiscalCode, dateTimeMs(r.receivedAt), r.withinQuota ? "In quota" : "Fuori quota"]);
  return new Response(body, { headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": 'attachment; filename="graduatoria-click-day.csv"' } });
}
