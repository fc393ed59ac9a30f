import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createApiToken, listApiTokens, revokeApiToken } from "~/auth/api-tokens.server";
import { hashToken } from "~/auth/session.server";
import * as apiGestore from "~/routes/api.v1.gestori.$cf";
import { getDb } from "~db/client";
import { accesses, apiTokens } from "~db/schema";
import { GESTORE_ALTRO, GESTORE_DEMO, PEOPLE, seedDemo, statusOf, userOf, viewerOf } from "../support/actors";

const who = { system: "test" };
let bianchiToken: string;
let ferriToken: string;

async function get(cf: string, token?: string) {
  return statusOf(apiGestore.loader, {
    path: `/api/v1/gestori/${cf}`,
    params: { cf },
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
}

beforeAll(async () => {
  await seedDemo();
  bianchiToken = (await createApiToken(getDb(), who, { userId: (await userOf(PEOPLE.operatore)).id })).token;
  ferriToken = (await createApiToken(getDb(), who, { userId: (await userOf(PEOPLE.altroOperatore)).id })).token;
});

describe("API tokens", () => {
  it("are stored only as a hash", async () => {
    const rows = await getDb().select().from(apiTokens);
    expect(rows.length).toBe(2);
    for (const r of rows) {
      expect([bianchiToken, ferriToken]).not.toContain(r.tokenHash);
      expect([hashToken(bianchiToken), hashToken(ferriToken)]).toContain(r.tokenHash);
    }
  });

  it("give access to the token's own gestore and record the last use", async () => {
    const { status, response } = await get(GESTORE_DEMO, bianchiToken);
    expect(status).toBe(200);
    expect(await response!.json()).toMatchObject({ fiscalCode: GESTORE_DEMO, measures: ["COVID-LIQ"] });
    const [row] = await getDb().select().from(apiTokens).where(eq(apiTokens.tokenHash, hashToken(bianchiToken)));
    expect(row!.lastUsedAt).not.toBeNull();
  });

  it("are refused on another gestore's data with 403 and the JSON error shape", async () => {
    const { status, response } = await get(GESTORE_ALTRO, bianchiToken);
    expect(status).toBe(403);
    expect(await response!.json()).toEqual({ error: { code: "FORBIDDEN", message: expect.any(String) } });
    expect((await get(GESTORE_DEMO, ferriToken)).status).toBe(403);
  });

  it("answer 401 without a token or with an unknown one", async () => {
    expect((await get(GESTORE_DEMO)).status).toBe(401);
    const bad = await get(GESTORE_DEMO, "gp_not-a-real-token");
    expect(bad.status).toBe(401);
    expect(await bad.response!.json()).toMatchObject({ error: { code: "UNAUTHORIZED" } });
  });

  it("cannot be listed or revoked by another gestore", async () => {
    const ferri = await viewerOf(PEOPLE.altroOperatore);
    const visible = await listApiTokens(getDb(), ferri);
    expect(visible.map((t) => t.gestoreFiscalCode)).toEqual([GESTORE_ALTRO]);
    const [bianchiRow] = await getDb().select().from(apiTokens).where(eq(apiTokens.tokenHash, hashToken(bianchiToken)));
    const ferriActor = { ...ferri, fiscalCode: PEOPLE.altroOperatore, name: "", surname: "", email: "", accessId: "" };
    await expect(revokeApiToken(getDb(), { actor: ferriActor }, bianchiRow!.id)).rejects.toThrow(/non trovato/);
    const [after] = await getDb().select().from(apiTokens).where(eq(apiTokens.id, bianchiRow!.id));
    expect(after!.revokedAt).toBeNull();
  });

  it("stop working once revoked", async () => {
    const { token, id } = await createApiToken(getDb(), who, { userId: (await userOf(PEOPLE.referente)).id });
    expect((await get(GESTORE_DEMO, token)).status).toBe(200);
    const referente = await viewerOf(PEOPLE.referente);
    await revokeApiToken(getDb(), { actor: { ...referente, fiscalCode: PEOPLE.referente, name: "", surname: "", email: "", accessId: "" } }, id);
    expect((await get(GESTORE_DEMO, token)).status).toBe(401);
  });

  it("answer 403 when the operator's access has been revoked", async () => {
    const ferri = await userOf(PEOPLE.altroOperatore);
    await getDb().update(accesses).set({ status: "revoked", revokedAt: new Date() }).where(eq(accesses.userId, ferri.id));
    const { status, response } = await get(GESTORE_ALTRO, ferriToken);
    expect(status).toBe(403);
    expect(await response!.json()).toMatchObject({ error: { code: "FORBIDDEN" } });
  });

  it("are issued only to enabled gestore operators", async () => {
    const official = await userOf(PEOPLE.funzionario);
    await expect(createApiToken(getDb(), who, { userId: official.id })).rejects.toThrow(/operatori abilitati/);
  });
});
