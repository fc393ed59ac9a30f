import { and, count, eq, ne, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { rankInGroups } from "~/applications/clickday-groups";
import { markReady, NOT_ASSIGNED, readyElsewhere, sendClickDay, wrongClickDay } from "~/applications/clickday.server";
import type { SignedIn } from "~/auth/guards.server";
import { InputError } from "~/lib/errors";
import * as list from "~/routes/admin.click-day._index";
import * as clickDayRoute from "~/routes/click-day.$id";
import * as ranking from "~/routes/click-day.graduatorie.$id";
import * as rankingCsv from "~/routes/click-day.graduatorie.$id.esporta";
import * as rankings from "~/routes/click-day.graduatorie._index";
import { getDb } from "~db/client";
import { applications, auditLog, clickDayEntries, clickDays, formModels, procedures, users } from "~db/schema";
import { PEOPLE } from "../support/actors";
import { call, personAs, signedInAs, type Who } from "../support/applicants";
import { applicantWithDraft, insertClickDay, openClickDayIn, seedClickDayProcedure } from "../support/click-days";

/** Issue 16: quotas per category or province, click days per form model or category (ADR 120). */

let procedureId: string;
let anna: Who;
let laura: Who;
const request = new Request("http://127.0.0.1/click-day");
let serial = 0;

const applicantWith = (answers: Record<string, string>) => applicantWithDraft(procedureId, "GRPDAY", ++serial, answers);

const refusal = (p: Promise<unknown>) => p.then(() => null, (e) => (e instanceof InputError ? e.message : e instanceof Response ? String(e.status) : Promise.reject(e)));
const waitUntil = async (at: Date) => { while (Date.now() < at.getTime() + 50) await new Promise((r) => setTimeout(r, 50)); };
const entriesOf = (dayId: string) => getDb().select().from(clickDayEntries).where(eq(clickDayEntries.clickDayId, dayId));
const dayRow = async (id: string) => (await getDb().select().from(clickDays).where(eq(clickDays.id, id)))[0]!;
const split = (id: string, set: Partial<typeof clickDays.$inferInsert>) => getDb().update(clickDays).set(set).where(eq(clickDays.id, id));

/** Ranks 1..n in each group, the overall ranks 1..N: no gap, no duplicate. */
function expectGapFree(entries: { rank: number | null; groupKey: string | null; groupRank: number | null }[]) {
  expect(entries.map((e) => e.rank).sort((a, b) => a! - b!)).toEqual(entries.map((_, i) => i + 1));
  const byGroup = new Map<string, number[]>();
  for (const e of entries) byGroup.set(e.groupKey!, [...(byGroup.get(e.groupKey!) ?? []), e.groupRank!]);
  for (const [, ranks] of byGroup) expect(ranks.sort((a, b) => a - b)).toEqual(ranks.map((_, i) => i + 1));
  return byGroup;
}

beforeAll(async () => {
  procedureId = await seedClickDayProcedure();
  anna = await personAs(PEOPLE.amministratore);
  laura = await personAs(PEOPLE.funzionario);
}, 120_000);

describe("ranking in groups (pure)", () => {
  it("continues each group's ranks and judges each against its own sub-quota; a group without one is fuori quota", () => {
    const day = { groupBy: "category" as const, groupField: "settore", groupQuotas: { a: 1, b: 2 }, groupLastRanks: { a: 1 }, quota: 3, formModelIds: [], assignField: null, assignValues: [] };
    const { ranked, groupLastRanks } = rankInGroups(day, 2, ["a", "b", "b", "b", "c"]);
    expect(ranked.map((r) => [r.groupKey, r.groupRank, r.withinQuota])).toEqual([["a", 2, false], ["b", 1, true], ["b", 2, true], ["b", 3, false], ["c", 1, false]]);
    expect(groupLastRanks).toEqual({ a: 2, b: 3, c: 1 });
    expect(rankInGroups({ ...day, groupBy: "none" }, 3, [null, null]).ranked.map((r) => r.withinQuota)).toEqual([true, false]);
  });
});

describe("quotas per category", () => {
  it("ranks many concurrent sends in their category without gaps, keeps the overall rank, and marks fuori quota against each sub-quota", async () => {
    const sectors = ["manifattura", "commercio", "servizi", "turismo"];
    const people: { signedIn: SignedIn; id: string }[] = [];
    for (let i = 0; i < 20; i++) people.push(await applicantWith({ settore: sectors[i % 4]! }));
    const day = await insertClickDay(procedureId, 3600, 9);
    await split(day.id, { groupBy: "category", groupField: "settore", groupQuotas: { manifattura: 3, commercio: 4, servizi: 2 } });
    for (const p of people) await markReady(request, p.signedIn, day.id, p.id);
    await waitUntil(await openClickDayIn(day.id, 1));
    // Two waves at once, so the sends fall in more than one group commit.
    const [first, second] = await Promise.all([
      Promise.all(people.slice(0, 10).map((p) => sendClickDay(request, p.signedIn, day.id, []))),
      new Promise((r) => setTimeout(r, 5)).then(() => Promise.all(people.slice(10).map((p) => sendClickDay(request, p.signedIn, day.id, [])))),
    ]);
    const acks = [...first, ...second].flat();
    expect(acks).toHaveLength(20);
    const entries = await entriesOf(day.id);
    const byGroup = expectGapFree(entries);
    expect([...byGroup.keys()].sort()).toEqual(["commercio", "manifattura", "servizi", "turismo"]);
    const quotas: Record<string, number> = { manifattura: 3, commercio: 4, servizi: 2, turismo: 0 };
    for (const e of entries) expect(e.withinQuota, `${e.groupKey} ${e.groupRank}`).toBe(e.groupRank! <= quotas[e.groupKey!]!);
    // Each ack carries the group and the rank in it, as stored; the group's order follows the overall order.
    for (const a of acks) {
      const e = entries.find((x) => x.applicationId === a.applicationId)!;
      expect(a).toMatchObject({ rank: e.rank, group: e.groupKey, groupRank: e.groupRank, withinQuota: e.withinQuota });
    }
    for (const g of byGroup.keys()) {
      const inGroup = entries.filter((e) => e.groupKey === g).sort((x, y) => x.rank! - y.rank!);
      expect(inGroup.map((e) => e.groupRank)).toEqual(inGroup.map((_, i) => i + 1));
    }
    const row = await dayRow(day.id);
    expect(row.lastRank).toBe(20);
    expect(row.groupLastRanks).toEqual({ manifattura: 5, commercio: 5, servizi: 5, turismo: 5 });
    // A retry returns the original ack, nothing more ranked.
    const again = await sendClickDay(request, people[0]!.signedIn, day.id, [acks.find((a) => a.applicationId === people[0]!.id)!.sendKey]);
    expect(again[0]).toEqual(acks.find((a) => a.applicationId === people[0]!.id));
    expect((await dayRow(day.id)).lastRank).toBe(20);
  }, 120_000);
});

describe("quotas per province", () => {
  it("ranks by the province of the municipality answered; an unknown one goes in its own group, fuori quota", async () => {
    const rome = await applicantWith({ comuneSede: "058091" });
    const rome2 = await applicantWith({ comuneSede: "058091" });
    const latina = await applicantWith({ comuneSede: "059011" });
    const unknown = await applicantWith({ comuneSede: "999999" });
    const day = await insertClickDay(procedureId, 3600, 2, "Click day per provincia");
    await split(day.id, { groupBy: "province", groupField: "comuneSede", groupQuotas: { RM: 1, LT: 1 } });
    for (const p of [rome, rome2, latina, unknown]) await markReady(request, p.signedIn, day.id, p.id);
    await waitUntil(await openClickDayIn(day.id, 1));
    for (const p of [rome, rome2, latina, unknown]) await sendClickDay(request, p.signedIn, day.id, []);
    const entries = await entriesOf(day.id);
    const of = (id: string) => entries.find((e) => e.applicationId === id)!;
    expect([of(rome.id), of(rome2.id), of(latina.id), of(unknown.id)].map((e) => [e.rank, e.groupKey, e.groupRank, e.withinQuota])).toEqual([
      [1, "RM", 1, true],
      [2, "RM", 2, false],
      [3, "LT", 1, true],
      [4, "", 1, false],
    ]);

    // The officials' ranking: quota lines per province; the export has the group and the rank in it.
    const page = await call(ranking.loader, laura, `/click-day/graduatorie/${day.id}`, { id: day.id });
    expect(page.status).toBe(200);
    const data = page.data as unknown as { groups: { key: string; label: string; quota: number; received: number; within: number }[] };
    expect(data.groups).toEqual([
      { key: "", label: "Provincia non indicata", quota: 0, received: 1, within: 0 },
      { key: "LT", label: "LT", quota: 1, received: 1, within: 1 },
      { key: "RM", label: "RM", quota: 1, received: 2, within: 1 },
    ]);
    const csv = await call(rankingCsv.loader, laura, `/click-day/graduatorie/${day.id}/esporta`, { id: day.id });
    const lines = (await csv.response!.text()).replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines[0]).toBe("Posizione;Provincia;Posizione nel gruppo;Numero;Richiedente;Codice fiscale;Ricevuta il;Esito");
    expect(lines[2]).toMatch(/^2;RM;2;DOM-\d{4}-\d{6};Persona GRPDAY\d+;[A-Z0-9]{16};\d{2}\/\d{2}\/\d{4}, \d{2}:\d{2}:\d{2},\d{3};Fuori quota$/);
    expect(lines[4]).toMatch(/^4;Provincia non indicata;1;/);
  }, 60_000);
});

describe("click days per form model or category", () => {
  it("takes only the applications assigned to it; a send to the wrong click day is refused in Italian with nothing written", async () => {
    const maker = await applicantWith({ settore: "manifattura" });
    const shop = await applicantWith({ settore: "commercio" });
    const dayA = await insertClickDay(procedureId, 3600, 10, "Click day manifattura");
    const dayB = await insertClickDay(procedureId, 3600, 10, "Click day commercio");
    await split(dayA.id, { assignField: "settore", assignValues: ["manifattura"] });
    await split(dayB.id, { assignField: "settore", assignValues: ["commercio", "servizi"] });
    expect(await refusal(markReady(request, shop.signedIn, dayA.id, shop.id))).toBe(NOT_ASSIGNED);
    expect(await getDb().select().from(clickDayEntries).where(eq(clickDayEntries.applicationId, shop.id))).toHaveLength(0);
    await markReady(request, maker.signedIn, dayA.id, maker.id);
    await markReady(request, shop.signedIn, dayB.id, shop.id);
    // Ready for one click day: another one of the procedure that would also take it says so, nothing changes.
    const dayAny = await insertClickDay(procedureId, 3600, 10, "Click day per tutti");
    expect(await refusal(markReady(request, shop.signedIn, dayAny.id, shop.id))).toBe(readyElsewhere("Click day commercio"));
    expect((await getDb().select().from(clickDayEntries).where(eq(clickDayEntries.applicationId, shop.id)))[0]!.clickDayId).toBe(dayB.id);
    // The other click day's page does not offer it; its own lists it as ready.
    const [shopUser] = await getDb().select({ cf: users.fiscalCode }).from(users).where(eq(users.id, shop.signedIn.actor.userId));
    const shopBrowser = await signedInAs(shopUser!.cf);
    const listedOn = async (dayId: string) =>
      ((await call(clickDayRoute.loader, shopBrowser, `/click-day/${dayId}`, { id: dayId })).data as unknown as { applications: { id: string; ready: boolean }[] }).applications;
    expect((await listedOn(dayAny.id)).map((a) => a.id)).not.toContain(shop.id);
    expect((await listedOn(dayB.id)).find((a) => a.id === shop.id)?.ready).toBe(true);
    // A model not assigned: refused as well.
    const [model] = await getDb().select({ id: formModels.id }).from(formModels).where(eq(formModels.procedureId, procedureId));
    const other = await applicantWith({ settore: "commercio" });
    await split(dayB.id, { formModelIds: ["00000000-0000-4000-8000-000000000000"] });
    expect(await refusal(markReady(request, other.signedIn, dayB.id, other.id))).toBe(NOT_ASSIGNED);
    await split(dayB.id, { formModelIds: [model!.id] });
    await markReady(request, other.signedIn, dayB.id, other.id);

    await openClickDayIn(dayA.id, 1);
    await waitUntil(await openClickDayIn(dayB.id, 1));
    const [shopEntry] = await getDb().select().from(clickDayEntries).where(eq(clickDayEntries.applicationId, shop.id));
    expect(await refusal(sendClickDay(request, shop.signedIn, dayA.id, [shopEntry!.sendKey]))).toBe(wrongClickDay("Click day commercio"));
    expect((await dayRow(dayA.id)).lastRank).toBe(0);
    expect((await getDb().select().from(applications).where(eq(applications.id, shop.id)))[0]!.state).toBe("bozza");
    // "Send all ready" on a click day sends only what is assigned to it.
    const [ackA] = await sendClickDay(request, maker.signedIn, dayA.id, []);
    expect(ackA).toMatchObject({ applicationId: maker.id, rank: 1 });
    const [ackB] = await sendClickDay(request, shop.signedIn, dayB.id, [shopEntry!.sendKey]);
    expect(ackB).toMatchObject({ applicationId: shop.id, rank: 1 });

    // An assignment changed after the marking (before the opening): the send is refused, nothing written.
    const late = await applicantWith({ settore: "servizi" });
    const dayC = await insertClickDay(procedureId, 3600, 10, "Click day servizi");
    await markReady(request, late.signedIn, dayC.id, late.id);
    await split(dayC.id, { assignField: "settore", assignValues: ["turismo"] });
    await waitUntil(await openClickDayIn(dayC.id, 1));
    expect(await refusal(sendClickDay(request, late.signedIn, dayC.id, []))).toBe(NOT_ASSIGNED);
    expect((await dayRow(dayC.id)).lastRank).toBe(0);
  }, 60_000);
});

describe("the ranking is for the officials of the procedure's offices", () => {
  it("lists and opens only click days of their procedures; another's is 403, audited", async () => {
    const [elsewhere] = await getDb()
      .select({ id: procedures.id })
      .from(procedures)
      .where(and(ne(procedures.id, procedureId), sql`${procedures.orgUnitId} is distinct from ${laura.access.orgUnitId}`, sql`${procedures.applicationOffices} = '[]'::jsonb`, sql`${procedures.applicationRoutingRules} = '[]'::jsonb`))
      .limit(1);
    const day = await insertClickDay(elsewhere!.id, 3600, 5, "Click day di un altro ufficio");
    const listed = (await call(rankings.loader, laura, "/click-day/graduatorie", {})).data as unknown as { days: { id: string }[] };
    expect(listed.days.some((d) => d.id === day.id)).toBe(false);
    expect(listed.days.length).toBeGreaterThan(0);
    expect((await call(ranking.loader, laura, `/click-day/graduatorie/${day.id}`, { id: day.id })).status).toBe(403);
    expect((await call(rankingCsv.loader, laura, `/click-day/graduatorie/${day.id}/esporta`, { id: day.id })).status).toBe(403);
    const denied = await getDb().select({ n: count() }).from(auditLog).where(and(eq(auditLog.action, "access.denied"), eq(auditLog.actorUserId, laura.user.id), sql`${auditLog.details}->>'clickDayId' = ${day.id}`));
    expect(denied[0]!.n).toBe(2);
    // The administrator reaches every one.
    expect((await call(ranking.loader, anna, `/click-day/graduatorie/${day.id}`, { id: day.id })).status).toBe(200);
  });
});

describe("the quota split in the administration page", () => {
  const good = () => ({ procedureId, label: "Bando per categoria", opensAt: "2027-04-01T09:00:00", closesAt: "", quota: "5", groupBy: "category", groupField: "settore", groupQuotas: "manifattura: 3\ncommercio: 2", assignField: "", assignValues: "" });

  it("saves a split and an assignment, audited", async () => {
    const r = await call(list.action, anna, "/admin/click-day", {}, { ...good(), assignField: "settore", assignValues: "manifattura, commercio" });
    expect(r.data).toMatchObject({ ok: true });
    const [row] = await getDb().select().from(clickDays).where(eq(clickDays.label, "Bando per categoria"));
    expect(row).toMatchObject({ groupBy: "category", groupField: "settore", groupQuotas: { manifattura: 3, commercio: 2 }, assignField: "settore", assignValues: ["manifattura", "commercio"] });
    const [audited] = await getDb().select().from(auditLog).where(and(eq(auditLog.action, "click_day.create"), eq(auditLog.objectId, row!.id)));
    expect(audited!.details).toMatchObject({ groupBy: "category", groupQuotas: { manifattura: 3, commercio: 2 } });
    const province = await call(list.action, anna, "/admin/click-day", {}, { ...good(), label: "Per provincia", groupBy: "province", groupField: "comuneSede", groupQuotas: "RM: 4\nLT: 1" });
    expect(province.data).toMatchObject({ ok: true });
  });

  it("refuses each bad split or assignment with an Italian message beside the field and writes nothing", async () => {
    const cases: [Record<string, string | string[]>, string, string][] = [
      [{ groupBy: "regione" }, "groupBy", "Ripartizione della quota: scegliere una voce"],
      [{ groupField: "" }, "groupField", "Campo della ripartizione: obbligatorio con una ripartizione"],
      [{ groupField: "nonEsiste" }, "groupField", "Campo della ripartizione: non è un campo del modulo del procedimento"],
      [{ groupField: "settore; drop" }, "groupField", "Campo della ripartizione: indicare la chiave di un campo del modulo (lettere e cifre)"],
      [{ groupQuotas: "" }, "groupQuotas", "Quote per gruppo: indicarne almeno una"],
      [{ groupQuotas: "manifattura 3" }, "groupQuotas", "Quote per gruppo: riga 1 non valida, scrivere «gruppo: quota» con una quota di almeno 1"],
      [{ groupQuotas: "manifattura: 3\ncommercio: 0" }, "groupQuotas", "Quote per gruppo: riga 2 non valida, scrivere «gruppo: quota» con una quota di almeno 1"],
      [{ groupQuotas: "manifattura: 3\nmanifattura: 2" }, "groupQuotas", "Quote per gruppo: «manifattura» compare due volte"],
      [{ groupQuotas: "manifattura: 3\ncommercio: 3" }, "groupQuotas", "Quote per gruppo: la somma (6) deve essere uguale alla quota (5)"],
      [{ groupBy: "province", groupField: "comuneSede", groupQuotas: "RM: 4\nXX: 1" }, "groupQuotas", "Quote per gruppo: XX non è la sigla di una provincia (per esempio RM)"],
      [{ groupBy: "none", groupField: "", groupQuotas: "RM: 5" }, "groupQuotas", "Quote per gruppo: scegliere prima una ripartizione della quota"],
      [{ formModelIds: ["00000000-0000-4000-8000-000000000000"] }, "formModelIds", "Modelli: scegliere modelli del procedimento del click day"],
      [{ formModelIds: ["non-un-id"] }, "formModelIds", "Modelli: sceglierne dall'elenco"],
      [{ assignValues: "manifattura" }, "assignField", "Campo delle categorie assegnate: indicarlo insieme alle categorie"],
      [{ assignField: "settore" }, "assignValues", "Categorie assegnate: indicarne almeno una"],
      [{ assignField: "altro", assignValues: "x" }, "assignField", "Campo delle categorie assegnate: non è un campo del modulo del procedimento"],
    ];
    const before = (await getDb().select({ n: count() }).from(clickDays))[0]!.n;
    for (const [change, field, message] of cases) {
      const r = await call(list.action, anna, "/admin/click-day", {}, { ...good(), label: "Non salvato", ...change });
      expect(r.data, JSON.stringify(change)).toMatchObject({ ok: false, fields: { [field]: message } });
    }
    expect((await getDb().select({ n: count() }).from(clickDays))[0]!.n).toBe(before);
  });
});
