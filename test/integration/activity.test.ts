import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "~/auth/guards.server";
import { handleWork } from "~/backoffice/handling.server";
import { openThread, reply } from "~/backoffice/threads.server";
import { unzipEntries } from "~/lib/xlsx";
import { todayInRome } from "~/lib/dates";
import * as activityRoute from "~/routes/attivita._index";
import * as itemsRoute from "~/routes/attivita.elenco";
import * as exportRoute from "~/routes/attivita.esporta";
import { getDb } from "~db/client";
import { auditLog, practices } from "~db/schema";
import { cookieFor, GESTORE_DEMO, PEOPLE, seedDemo, statusOf, userOf, viewerOf } from "../support/actors";
import { fixture, uploadAndProcess } from "../support/uploads";

async function actor(cf: string): Promise<Actor> {
  const v = await viewerOf(cf);
  const u = await userOf(cf);
  return { ...v, fiscalCode: cf, name: u.name, surname: u.surname, email: u.email, accessId: "" };
}

type Report = { tables: { id: string; head: string[]; rows: unknown[][]; links: (string | null)[][] }[]; problems: string[] };
let laura: Actor, paolo: Actor, giulia: Actor;
const today = todayInRome();

beforeAll(async () => {
  await seedDemo();
  await uploadAndProcess(GESTORE_DEMO, fixture("valid-first.txt"));
  [laura, paolo, giulia] = await Promise.all([PEOPLE.funzionario, PEOPLE.dirigente, PEOPLE.operatore].map(actor));
  const ps = await getDb().select().from(practices).orderBy(practices.id).limit(3);
  // Laura takes three practices, concludes one and hands one to Paolo.
  for (const p of ps) await handleWork({ actor: laura }, { practiceId: p.id, action: "take" });
  await handleWork({ actor: laura }, { practiceId: ps[0]!.id, action: "complete" });
  await handleWork({ actor: laura }, { practiceId: ps[1]!.id, action: "assign", assigneeUserId: paolo.userId });
  // One clarification answered in time, one unanswered and past due.
  const answered = await openThread({ actor: laura }, { practiceId: ps[2]!.id, kind: "chiarimento", subject: "Visura", body: "Inviare la visura.", dueOn: "2099-12-31" });
  await reply({ actor: giulia }, answered.threadId, "Ecco la visura.");
  await openThread({ actor: laura }, { practiceId: ps[2]!.id, kind: "chiarimento", subject: "Firma", body: "Manca la firma.", dueOn: "2020-01-01" });
});

const row = (r: Report, table: string, first: string) => r.tables.find((t) => t.id === table)!.rows.find((x) => String(x[0]).startsWith(first))!;

describe("the activity report", () => {
  it("shows a dirigente their unit's officials: taken, concluded, reassigned, held now; clarifications by outcome", async () => {
    const { status, data } = await statusOf(activityRoute.loader, { path: "/attivita", cookie: await cookieFor(PEOPLE.dirigente) });
    expect(status).toBe(200);
    const r = data as Report;
    expect(row(r, "funzionari", "Neri Laura").slice(1, 5)).toEqual([3, 1, 1, 1]);
    expect(row(r, "funzionari", "Rossi Paolo").slice(1, 5)).toEqual([1, 0, 0, 1]);
    expect(row(r, "funzionari", "Totale").slice(1, 5)).toEqual([4, 1, 1, 2]);
    expect(row(r, "chiarimenti", "Neri Laura").slice(1)).toEqual([1, 0, 1, 0]);
    expect(row(r, "messaggi", "Enti gestori")[1]).toBe(1);
    // Days from the practice's submission (its first reported state) to Laura's taking it in charge.
    const [median] = row(r, "tempi", "Neri Laura").slice(1) as { days: number }[];
    expect(median!.days).toBeGreaterThan(0);
  });

  it("links each number to its items, in scope", async () => {
    const r = (await statusOf(activityRoute.loader, { path: "/attivita", cookie: await cookieFor(PEOPLE.dirigente) })).data as Report;
    const t = r.tables.find((x) => x.id === "funzionari")!;
    const i = t.rows.findIndex((x) => String(x[0]).startsWith("Neri Laura"));
    const href = t.links[i]![1]!;
    const items = await statusOf(itemsRoute.loader, { path: href, cookie: await cookieFor(PEOPLE.dirigente) });
    expect((items.data as { rows: unknown[] }).rows).toHaveLength(3);
    const clar = r.tables.find((x) => x.id === "chiarimenti")!;
    const late = clar.links[clar.rows.findIndex((x) => String(x[0]).startsWith("Neri Laura"))]![3]!;
    const lateItems = (await statusOf(itemsRoute.loader, { path: late, cookie: await cookieFor(PEOPLE.dirigente) })).data as { rows: { label: string; href: string }[] };
    expect(lateItems.rows.map((x) => x.label)).toEqual(["Firma"]);
  });

  it("shows an official only their own figures and the unit's totals; their colleague's items are refused", async () => {
    const r = (await statusOf(activityRoute.loader, { path: "/attivita", cookie: await cookieFor(PEOPLE.funzionario) })).data as Report;
    const names = r.tables.find((t) => t.id === "funzionari")!.rows.map((x) => x[0]);
    expect(names).toEqual(["Neri Laura", "Totale della struttura"]);
    const colleague = `/attivita/elenco?voce=prese&funzionario=${paolo.userId}&dal=${today}&al=${today}`;
    expect((await statusOf(itemsRoute.loader, { path: colleague, cookie: await cookieFor(PEOPLE.funzionario) })).status).toBe(403);
  });

  it("refuses gestori, observers and operators, and a dirigente asking for another unit", async () => {
    for (const cf of [PEOPLE.operatore, PEOPLE.osservatore, "MRCSLV87S62A271O"])
      expect((await statusOf(activityRoute.loader, { path: "/attivita", cookie: await cookieFor(cf) })).status).toBe(403);
    const other = "00000000-0000-4000-8000-000000000000";
    expect((await statusOf(activityRoute.loader, { path: `/attivita?struttura=${other}`, cookie: await cookieFor(PEOPLE.dirigente) })).status).toBe(403);
  });

  it.each([
    ["a start date that is not a date", "dal=31-12-2026", "Data di inizio non valida."],
    ["a start after the end", "dal=2026-12-01&al=2026-11-01", "La data di inizio è dopo la data di fine."],
    ["a unit that is not an id", "struttura=settore", "Struttura non valida."],
  ])("refuses %s with an Italian message, showing no figures and changing nothing", async (_, q, message) => {
    const before = (await getDb().select().from(auditLog)).length;
    const r = (await statusOf(activityRoute.loader, { path: `/attivita?${q}`, cookie: await cookieFor(PEOPLE.amministratore) })).data as Report;
    expect(r.problems).toContain(message);
    expect(r.tables).toEqual([]);
    // Only the read itself is audited.
    expect((await getDb().select().from(auditLog)).length).toBe(before + 1);
  });

  it("exports a table in CSV for Italian spreadsheets and in XLSX, audited", async () => {
    const cookie = await cookieFor(PEOPLE.dirigente);
    const csv = await statusOf(exportRoute.loader, { path: "/attivita/esporta?tabella=funzionari&formato=csv", cookie });
    const bytes = Buffer.from(await csv.response!.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString("utf8");
    expect(text).toContain("Funzionario;Prese in carico;Concluse");
    expect(text).toMatch(/Neri Laura;3;1;1;1/);
    const xlsx = await statusOf(exportRoute.loader, { path: "/attivita/esporta?tabella=chiarimenti&formato=xlsx", cookie });
    const sheet = unzipEntries(Buffer.from(await xlsx.response!.arrayBuffer())).get("xl/worksheets/sheet1.xml")!;
    expect(sheet).toContain("Risposte in tempo");
    expect((await statusOf(exportRoute.loader, { path: "/attivita/esporta?tabella=segreta&formato=csv", cookie })).status).toBe(400);
    const audits = await getDb().select().from(auditLog).where(eq(auditLog.action, "activity.export"));
    expect(audits.length).toBe(2);
  });
});
