import { desc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as aspetto from "~/routes/admin.aspetto";
import * as logoRoute from "~/routes/marchio.logo";
import { getDb } from "~db/client";
import { auditLog, branding, sessions } from "~db/schema";
import { cookieFor, PEOPLE, seedDemo, statusOf, userOf } from "../support/actors";

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from("rest of a tiny png")]);
const SVG = Buffer.from(`<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#06c"/></svg>`);

let cookie: string;
let csrf: string;

beforeAll(async () => {
  await seedDemo();
  cookie = await cookieFor(PEOPLE.amministratore);
  const u = await userOf(PEOPLE.amministratore);
  csrf = (await getDb().select().from(sessions).where(eq(sessions.userId, u.id)).orderBy(desc(sessions.createdAt)).limit(1))[0]!.csrfToken;
});

/** Posts the Aspetto page's logo form as a browser would (multipart). */
async function post(intent: string, file?: { name: string; bytes: Buffer; type: string }) {
  const form = new FormData();
  form.set("csrf", csrf);
  form.set("intent", intent);
  if (file) form.set("logo", new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
  const request = new Request("http://localhost:3999/admin/aspetto", { method: "POST", headers: { cookie }, body: form });
  return (await aspetto.action({ request, params: {}, context: {} })) as { ok: boolean; message?: string; error?: string };
}

const stored = async () => (await getDb().select().from(branding).where(eq(branding.id, 1)))[0];
const fetchLogo = async (v = "") => (await statusOf(logoRoute.loader, { path: `/marchio/logo${v}` })).response!;

describe("the body's logo, uploaded in Aspetto", () => {
  it("a PNG is stored, shown in the header's address, served with its type, and audited", async () => {
    const result = await post("logo", { name: "logo.png", bytes: PNG, type: "image/png" });
    expect(result).toMatchObject({ ok: true, message: "Logo caricato: ora compare in testata." });
    const row = await stored();
    expect(row!.logoType).toBe("image/png");
    expect(row!.logoUrl).toMatch(/^\/marchio\/logo\?v=[0-9a-f]{16}$/);
    const res = await fetchLogo(row!.logoUrl.slice("/marchio/logo".length));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("cache-control")).toContain("immutable");
    expect(Buffer.from(await res.arrayBuffer()).equals(PNG)).toBe(true);
    const [a] = await getDb().select().from(auditLog).where(eq(auditLog.action, "branding.logo")).orderBy(desc(auditLog.id)).limit(1);
    expect(a!.actorFiscalCode).toBe(PEOPLE.amministratore);
  });

  it("a plain SVG is accepted and served so that, opened alone, it can run nothing", async () => {
    expect((await post("logo", { name: "logo.svg", bytes: SVG, type: "image/svg+xml" })).ok).toBe(true);
    const res = await fetchLogo();
    expect(res.headers.get("content-type")).toBe("image/svg+xml");
    expect(res.headers.get("content-security-policy")).toContain("sandbox");
    expect(res.headers.get("cache-control")).toBe("no-cache");
  });

  it.each([
    ["no file", undefined, "Scegliere il file del logo."],
    ["an empty file", { name: "vuoto.png", bytes: Buffer.alloc(0), type: "image/png" }, "Scegliere il file del logo."],
    ["a GIF", { name: "logo.gif", bytes: Buffer.from("GIF89a....."), type: "image/gif" }, "Il logo deve essere un'immagine PNG, JPEG o SVG."],
    ["a program named .png", { name: "logo.png", bytes: Buffer.from("MZ\x90\x00"), type: "image/png" }, "Il logo deve essere un'immagine PNG, JPEG o SVG."],
    ["a PNG over 512 KB", { name: "grande.png", bytes: Buffer.concat([PNG, Buffer.alloc(512 * 1024)]), type: "image/png" }, "Il logo supera la dimensione massima di 512 KB."],
    ["an SVG with a script", { name: "x.svg", bytes: Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), type: "image/svg+xml" }, "Il logo SVG contiene script"],
    ["an SVG with an event handler", { name: "x.svg", bytes: Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), type: "image/svg+xml" }, "Il logo SVG contiene script"],
    ["an SVG fetching an outside image", { name: "x.svg", bytes: Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg"><image href="https://tracker.example/p.gif"/></svg>`), type: "image/svg+xml" }, "Il logo SVG contiene script"],
  ])("%s is refused in Italian and nothing changes", async (_what, file, message) => {
    const before = await stored();
    const audits = (await getDb().select().from(auditLog)).length;
    const result = await post("logo", file);
    expect(result.ok).toBe(false);
    expect(result.error).toContain(message);
    expect(await stored()).toEqual(before);
    expect((await getDb().select().from(auditLog)).length).toBe(audits);
  });

  it("removing the logo empties the header's address; the logo address then answers 404", async () => {
    expect(await post("remove-logo")).toMatchObject({ ok: true, message: "Logo rimosso." });
    expect(await stored()).toMatchObject({ logoUrl: "", logoBytes: null });
    expect((await fetchLogo()).status).toBe(404);
  });

  it("is refused to anyone but an administrator", async () => {
    const form = new FormData();
    form.set("intent", "logo");
    const request = new Request("http://localhost:3999/admin/aspetto", { method: "POST", headers: { cookie: await cookieFor(PEOPLE.funzionario) }, body: form });
    const status = await aspetto.action({ request, params: {}, context: {} }).then(() => 200, (e: unknown) => (e instanceof Response ? e.status : 500));
    expect(status).toBe(403);
  });
});
