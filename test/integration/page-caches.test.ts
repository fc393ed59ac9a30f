import { beforeAll, describe, expect, it } from "vitest";
import { currentBranding, saveBranding } from "~/branding/branding.server";
import * as rootModule from "~/root";
import { getDb } from "~db/client";
import { filterOptions } from "~db/queries/filter-options";
import { cookieFor, PEOPLE, seedDemo, statusOf, userOf } from "../support/actors";
import { asOwner } from "../support/owner";

/**
 * What every page's layout and the filters read, kept per process until a NOTIFY (migration 0037,
 * docs/decisions/0073): a change made elsewhere (another process, an operator's SQL) reaches the
 * next page, and the writer's own process sees its change at once.
 */
beforeAll(seedDemo);

describe("page caches", () => {
  it("the branding a page shows follows a change made by another connection", async () => {
    const before = await currentBranding();
    await asOwner(`insert into branding (id, body_name, contact_email) values (1, 'Ente dal NOTIFY', 'notify@example.it')
      on conflict (id) do update set body_name = 'Ente dal NOTIFY', version = branding.version + 1`);
    await expect.poll(async () => (await currentBranding()).bodyName).toBe("Ente dal NOTIFY");
    expect(before.bodyName).not.toBe("Ente dal NOTIFY");
    const { data } = await statusOf(rootModule.loader, { path: "/", cookie: await cookieFor(PEOPLE.funzionario) });
    expect((data as { organizationName: string }).organizationName).toBe("Ente dal NOTIFY");
  });

  it("the writer's own next read sees its save at once (no wait for the NOTIFY)", async () => {
    const admin = await userOf(PEOPLE.amministratore);
    const current = await currentBranding();
    await saveBranding(getDb(), { actor: { userId: admin.id, fiscalCode: admin.fiscalCode, role: "amministratore" }, ip: "127.0.0.1" }, {
      bodyName: "Ente salvato",
      logoUrl: "",
      banner: "",
      quickLinks: "",
      contactEmail: "salvato@example.it",
      accessibilityUrl: "",
      version: String(current.version),
    });
    expect((await currentBranding()).bodyName).toBe("Ente salvato");
  });

  it("the filters' gestori and measures follow inserts and renames", async () => {
    const before = await filterOptions(getDb());
    expect(before.gestori.some((g) => g.name === "Ente nuovo della cache")).toBe(false);
    await asOwner(`insert into gestori (fiscal_code, name) values ('09876543217', 'Ente nuovo della cache')`);
    await expect.poll(async () => (await filterOptions(getDb())).gestori.find((g) => g.fiscalCode === "09876543217")?.name).toBe("Ente nuovo della cache");
    await asOwner(`update measures set name = 'Misura rinominata' where code = (select min(code) from measures)`);
    await expect.poll(async () => (await filterOptions(getDb())).measures[0]?.name).toBe("Misura rinominata");
  });
});
