import fs from "node:fs";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as home from "~/routes/_index";
import * as catalogueAdmin from "~/routes/admin.catalogo._index";
import * as procedureAdmin from "~/routes/admin.procedimenti.$id";
import * as templateAdmin from "~/routes/admin.modelli.$name";
import * as measureAdmin from "~/routes/admin.misure.$id";
import { getSignedIn } from "~/auth/guards.server";
import { STALE_MESSAGE } from "~/lib/errors";
import * as catalogue from "~/routes/procedimenti._index";
import * as procedurePage from "~/routes/procedimenti.$id";
import * as spec from "~/routes/istruzioni.formato-flusso";
import { getDb } from "~db/client";
import { seedDemoCatalogue } from "~/demo/catalogue";
import { auditLog, branding, measures, procedures } from "~db/schema";
import { cookieFor, PEOPLE, seedDemo, statusOf } from "../support/actors";

type CatalogueData = Awaited<ReturnType<typeof catalogue.loader>>;

beforeAll(async () => {
  await seedDemo();
  expect(await seedDemoCatalogue(process.env.DATABASE_URL!)).toBe(true);
});

describe("demo catalogue", () => {
  it("is loaded once, links the two demo measures and sets the branding", async () => {
    expect(await seedDemoCatalogue(process.env.DATABASE_URL!)).toBe(false);
    const linked = await getDb().select({ code: measures.code, procedureId: measures.procedureId }).from(measures);
    expect(linked.filter((m) => m.procedureId).map((m) => m.code).sort()).toEqual(["COVID-LIQ", "INNOVA-PMI"]);
    expect(await getDb().select({ id: branding.id }).from(branding)).toHaveLength(1);
  });
});

describe("public pages without sign-in", () => {
  it("home shows branding, quick links and the published categories", async () => {
    const { status, data } = await statusOf(home.loader, { path: "/" });
    expect(status).toBe(200);
    const d = data as Awaited<ReturnType<typeof home.loader>>;
    expect(d.public).toMatchObject({ bodyName: "Regione Demo" });
    expect(d.public!.quickLinks.map((l) => l.url)).toContain("/procedimenti");
    expect(d.public!.categories.map((c) => c.title)).toEqual(["Imprese e sviluppo economico", "Lavoro e formazione"]);
  });

  it("catalogue tree hides drafts; search uses Italian stems and highlights", async () => {
    const { data } = await statusOf(catalogue.loader, { path: "/procedimenti" });
    const all = JSON.stringify((data as CatalogueData).tree);
    expect(all).toContain("Contributi per l'assunzione di giovani under 30");
    expect(all).not.toContain("Voucher per la formazione");
    const found = (await statusOf(catalogue.loader, { path: "/procedimenti?q=assunzioni" })).data as CatalogueData;
    expect(found.results!.map((r) => r.title)).toEqual(["Contributi per l'assunzione di giovani under 30"]);
    const perduto = (await statusOf(catalogue.loader, { path: "/procedimenti?q=fondo perduto" })).data as CatalogueData;
    expect(perduto.results![0]!.excerpt.filter((s) => s.mark).map((s) => s.text)).toEqual(["fondo", "perduto"]);
    const draft = (await statusOf(catalogue.loader, { path: "/procedimenti?q=voucher formazione" })).data as CatalogueData;
    expect(draft.results).toEqual([]);
    const tooLong = (await statusOf(catalogue.loader, { path: `/procedimenti?q=${"a".repeat(201)}` })).data as CatalogueData;
    expect(tooLong.error).toBe("Ricerca: al massimo 200 caratteri");
  });

  it("a procedure page is public when published and 404 when draft or unknown", async () => {
    const [pub] = await getDb().select().from(procedures).where(eq(procedures.status, "published")).limit(1);
    const [draft] = await getDb().select().from(procedures).where(eq(procedures.status, "draft")).limit(1);
    expect((await statusOf(procedurePage.loader, { path: `/procedimenti/${pub!.id}`, params: { id: pub!.id } })).status).toBe(200);
    expect((await statusOf(procedurePage.loader, { path: `/procedimenti/${draft!.id}`, params: { id: draft!.id } })).status).toBe(404);
    expect((await statusOf(procedurePage.loader, { path: "/procedimenti/x", params: { id: "x" } })).status).toBe(404);
  });

  it("the upload specification is published in Italian (docs/formato-flusso.md); the sample file is the fixture", async () => {
    const { html } = (await spec.loader()) as { html: string };
    expect(html).toContain("<table");
    expect(html).toContain("codice_pratica");
    expect(html).toContain("Codifica e sintassi");
    expect(html).toContain("caratteri di controllo");
    expect(html).not.toContain("Encoding and syntax");
    expect(fs.readFileSync("public/esempi/flusso-esempio.txt", "utf8")).toBe(fs.readFileSync("test/fixtures/uploads/valid-first.txt", "utf8"));
  });

  it("the Italian specification names the same error codes and fields as the English one", () => {
    const words = (file: string) => new Set([...fs.readFileSync(file, "utf8").matchAll(/`([A-Z_]{3,}|[a-z_]+_[a-z_]+)`/g)].map((m) => m[1]));
    const english = words("docs/upload-format.md");
    const italian = words("docs/formato-flusso.md");
    expect([...english].filter((w) => !italian.has(w))).toEqual([]);
    expect([...italian].filter((w) => !english.has(w))).toEqual([]);
  });
});

describe("configuration pages", () => {
  it("send anonymous visitors to sign in and refuse other roles with an audited 403", async () => {
    const anon = await statusOf(catalogueAdmin.loader, { path: "/admin/catalogo" });
    expect(anon.status).toBe(302);
    const before = (await getDb().select().from(auditLog).where(eq(auditLog.action, "access.denied"))).length;
    for (const person of [PEOPLE.funzionario, PEOPLE.dirigente, PEOPLE.referente]) {
      const cookie = await cookieFor(person);
      expect((await statusOf(catalogueAdmin.loader, { path: "/admin/catalogo", cookie })).status).toBe(403);
      expect((await statusOf(templateAdmin.loader, { path: "/admin/modelli/test-message", cookie, params: { name: "test-message" } })).status).toBe(403);
    }
    const after = (await getDb().select().from(auditLog).where(eq(auditLog.action, "access.denied"))).length;
    expect(after - before).toBe(6);
  });

  async function adminForm() {
    const cookie = await cookieFor(PEOPLE.amministratore);
    const signedIn = await getSignedIn(new Request("http://localhost:3999/", { headers: { cookie } }));
    return { cookie, csrf: signedIn!.session.csrfToken };
  }

  it("a new measure refused on its dates leaves no half-made measure; a valid one is created and linked", async () => {
    const { cookie, csrf } = await adminForm();
    const form = { csrf, code: "EXPORT-26", name: "Export 2026", description: "", opensOn: "2026-06-01", closesOn: "2026-05-01", isOpen: "on",
      cadence: "monthly", day: "10", startsOn: "2026-07-01", endsOn: "", reminderEveryDays: "7", escalateAfterReminders: "3", maxDaysIstruttoria: "", maxDaysSospesa: "", orgUnitId: "" };
    const refused = await statusOf(measureAdmin.action, { path: "/admin/misure/nuova", cookie, params: { id: "nuova" }, form });
    expect(refused.data).toMatchObject({ ok: false, fields: { closesOn: "Data di chiusura: non può precedere la data di apertura" } });
    expect(await getDb().select().from(measures).where(eq(measures.code, "EXPORT-26"))).toEqual([]);
    const created = await statusOf(measureAdmin.action, { path: "/admin/misure/nuova", cookie, params: { id: "nuova" }, form: { ...form, closesOn: "2026-12-31" } });
    expect(created.status).toBe(303);
    const [m] = await getDb().select().from(measures).where(eq(measures.code, "EXPORT-26"));
    expect(created.response!.headers.get("location")).toBe(`/admin/misure/${m!.id}?salvato=1`);
    expect(m).toMatchObject({ opensOn: "2026-06-01", closesOn: "2026-12-31", isOpen: true, obligationCadence: "monthly", obligationDay: 10, obligationStartsOn: "2026-07-01" });
  });

  it("a stale procedure form posted to the page gets the Italian refusal and keeps the typed values", async () => {
    const { cookie, csrf } = await adminForm();
    const [p] = await getDb().select().from(procedures).where(eq(procedures.status, "published")).limit(1);
    const form = { csrf, title: "Titolo da un modulo vecchio", categoryId: p!.categoryId, status: "published", version: String(p!.version - 1 || 99) };
    const r = await statusOf(procedureAdmin.action, { path: `/admin/procedimenti/${p!.id}`, cookie, params: { id: p!.id }, form });
    expect(r.data).toMatchObject({ ok: false, error: STALE_MESSAGE, values: { title: "Titolo da un modulo vecchio" } });
    const [after] = await getDb().select().from(procedures).where(eq(procedures.id, p!.id));
    expect(after!.title).toBe(p!.title);
  });

  it("a form without the CSRF token is refused and changes nothing", async () => {
    const cookie = await cookieFor(PEOPLE.amministratore);
    const count = (await getDb().select().from(procedures)).length;
    const r = await statusOf(procedureAdmin.action, { path: "/admin/procedimenti/nuovo", cookie, params: { id: "nuovo" }, form: { title: "Senza token" } });
    expect(r.status).toBe(403);
    expect((await getDb().select().from(procedures)).length).toBe(count);
  });
});
