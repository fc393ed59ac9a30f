import { and, count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { ALREADY_OPEN } from "~/applications/clickday-admin.server";
import { seedDemoCatalogue } from "~/demo/catalogue";
import * as edit from "~/routes/admin.click-day.$id";
import * as list from "~/routes/admin.click-day._index";
import * as ranking from "~/routes/click-day.graduatorie.$id";
import { getDb } from "~db/client";
import { auditLog, clickDays, procedures } from "~db/schema";
import { PEOPLE, seedDemo } from "../support/actors";
import { call, personAs, type Who } from "../support/applicants";

/** Issue 16: administrators create and change click days before they open (ADR 98). */
let anna: Who;
let laura: Who;
let procedureId: string;
const days = async () => (await getDb().select({ n: count() }).from(clickDays))[0]!.n;
const good = () => ({ procedureId, label: "Bando assunzioni — prima finestra", opensAt: "2027-03-01T09:00:05", closesAt: "2027-03-01T18:00", quota: "250" });

beforeAll(async () => {
  await seedDemo();
  await seedDemoCatalogue(process.env.DATABASE_URL!);
  anna = await personAs(PEOPLE.amministratore);
  laura = await personAs(PEOPLE.funzionario);
  procedureId = (await getDb().select().from(procedures).limit(1))[0]!.id;
});

describe("click days configured by an administrator", () => {
  it("creates one with its opening read in Rome to the second, audited", async () => {
    const r = await call(list.action, anna, "/admin/click-day", {}, good());
    expect(r.data).toMatchObject({ ok: true, message: "Click day creato." });
    const [row] = await getDb().select().from(clickDays).where(eq(clickDays.label, good().label));
    expect(row!.opensAt.toISOString()).toBe("2027-03-01T08:00:05.000Z"); // CET, UTC+1
    expect(row!.closesAt!.toISOString()).toBe("2027-03-01T17:00:00.000Z");
    expect(row!.quota).toBe(250);
    const [audited] = await getDb().select().from(auditLog).where(and(eq(auditLog.action, "click_day.create"), eq(auditLog.objectId, row!.id)));
    expect(audited!.actorUserId).toBe(anna.user.id);
    // Summer time: UTC+2.
    await call(list.action, anna, "/admin/click-day", {}, { ...good(), label: "Estate", opensAt: "2027-07-01T10:00:00", closesAt: "" });
    expect((await getDb().select().from(clickDays).where(eq(clickDays.label, "Estate")))[0]!.opensAt.toISOString()).toBe("2027-07-01T08:00:00.000Z");
  });

  it("refuses each bad input with an Italian message beside the field and writes nothing", async () => {
    const cases: [Record<string, string>, string, string][] = [
      [{ procedureId: "" }, "procedureId", "Procedimento: sceglierne uno"],
      [{ procedureId: "00000000-0000-4000-8000-000000000000" }, "procedureId", "Procedimento: sceglierne uno"],
      [{ label: " " }, "label", "Nome: campo obbligatorio"],
      [{ opensAt: "01/03/2027 09:00" }, "opensAt", "Apertura: indicare data e ora (gg/mm/aaaa hh:mm:ss)"],
      [{ opensAt: "2020-01-01T09:00:00" }, "opensAt", "Apertura: deve essere nel futuro"],
      [{ closesAt: "2027-03-01T08:59:59" }, "closesAt", "Chiusura: deve seguire l'apertura"],
      [{ quota: "0" }, "quota", "Quota: almeno 1"],
      [{ quota: "dieci" }, "quota", "Quota: un numero intero"],
      [{ quota: "2,5" }, "quota", "Quota: un numero intero"],
    ];
    const before = await days();
    for (const [change, field, message] of cases) {
      const r = await call(list.action, anna, "/admin/click-day", {}, { ...good(), ...change });
      expect(r.data, JSON.stringify(change)).toMatchObject({ ok: false, fields: { [field]: message } });
    }
    expect(await days()).toBe(before);
  });

  it("changes a click day before it opens; once open it cannot change; only administrators reach the pages", async () => {
    await call(list.action, anna, "/admin/click-day", {}, { ...good(), label: "Da spostare" });
    const [row] = await getDb().select().from(clickDays).where(eq(clickDays.label, "Da spostare"));
    const r = await call(edit.action, anna, `/admin/click-day/${row!.id}`, { id: row!.id }, { ...good(), label: "Da spostare", quota: "300" });
    expect(r.data).toMatchObject({ ok: true, message: "Click day aggiornato." });
    expect((await getDb().select().from(clickDays).where(eq(clickDays.id, row!.id)))[0]!.quota).toBe(300);
    // Opened (as the clock would have it): nothing changes any more.
    await getDb().update(clickDays).set({ opensAt: new Date(Date.now() - 60_000), closesAt: null }).where(eq(clickDays.id, row!.id));
    const late = await call(edit.action, anna, `/admin/click-day/${row!.id}`, { id: row!.id }, { ...good(), label: "Da spostare", quota: "1" });
    expect(late.data).toMatchObject({ ok: false, error: ALREADY_OPEN });
    expect((await getDb().select().from(clickDays).where(eq(clickDays.id, row!.id)))[0]!.quota).toBe(300);
    // Ids that are not click days: 404, never a database error.
    expect((await call(edit.action, anna, "/admin/click-day/x%00", { id: "x\u0000" }, good())).status).toBe(404);
    expect((await call(edit.loader, anna, "/admin/click-day/abc", { id: "abc" })).status).toBe(404);
    expect((await call(edit.action, anna, "/admin/click-day/00000000-0000-4000-8000-000000000000", { id: "00000000-0000-4000-8000-000000000000" }, good())).data).toMatchObject({ ok: false, error: "Click day non trovato." });
    // 36 characters of hex digits and dashes are not yet a uuid (PostgreSQL would refuse it: a 500).
    const dashes = "-".repeat(36);
    expect((await call(ranking.loader, laura, `/click-day/graduatorie/${dashes}`, { id: dashes })).status).toBe(404);
    expect((await call(list.loader, laura, "/admin/click-day", {})).status).toBe(403);
    expect((await call(list.action, laura, "/admin/click-day", {}, good())).status).toBe(403);
  });
});
