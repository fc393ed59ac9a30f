import { beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "~/auth/api-tokens.server";
import * as errorsCsv from "~/routes/api.v1.uploads.$id.errors[.]csv";
import * as one from "~/routes/api.v1.uploads.$id";
import { ingestPendingUploads } from "~/uploads/ingest.server";
import { getDb } from "~db/client";
import { GESTORE_ALTRO, GESTORE_DEMO, PEOPLE, seedDemo, statusOf, userOf } from "../support/actors";
import { fixture, gestoreId, postToApi } from "../support/uploads";

let token: string;
let otherToken: string;

const post = (body: BodyInit, headers: Record<string, string>, withToken = token) => postToApi(withToken, body, headers);

async function get(id: string, withToken = token) {
  return statusOf(one.loader, { path: `/api/v1/uploads/${id}`, params: { id }, headers: { authorization: `Bearer ${withToken}` } });
}

beforeAll(async () => {
  await seedDemo();
  token = (await createApiToken(getDb(), { system: "test" }, { userId: (await userOf(PEOPLE.operatore)).id })).token;
  otherToken = (await createApiToken(getDb(), { system: "test" }, { userId: (await userOf(PEOPLE.altroOperatore)).id })).token;
});

describe("POST /api/v1/uploads", () => {
  let acceptedId: string;

  it("takes a text/plain body, answers 202 processing at once, then the outcome is readable", async () => {
    const res = await post(fixture("valid-first.txt"), { "content-type": "text/plain; charset=utf-8" });
    expect(res.status).toBe(202);
    const outcome = await res.json();
    expect(outcome).toMatchObject({ status: "processing", gestore: GESTORE_DEMO, completedAt: null });
    expect(outcome.sha256).toMatch(/^[0-9a-f]{64}$/);
    await ingestPendingUploads(await gestoreId(GESTORE_DEMO));
    const { status, response } = await get(outcome.id);
    expect(status).toBe(200);
    expect(await response!.json()).toMatchObject({
      id: outcome.id, status: "accepted", submissionId: "2020-06-A", referenceDate: "2020-06-30", records: 5,
      applied: { created: 5, transitioned: 0, updated: 0, unchanged: 0 }, errorCount: 0, errors: [],
    });
    acceptedId = outcome.id;
  });

  it("answers 200 with the earlier outcome for a byte-identical accepted file", async () => {
    const res = await post(fixture("valid-first.txt"), { "content-type": "text/plain; charset=utf-8" });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: acceptedId, status: "accepted" });
  });

  it("takes the multipart field `file`; a rejected file's errors come as CSV for Excel", async () => {
    const form = new FormData();
    form.append("file", new Blob([fixture("invalid-mixed.txt")], { type: "text/plain" }), "invalid-mixed.txt");
    const res = await post(form, {});
    expect(res.status).toBe(202);
    const { id } = await res.json();
    await ingestPendingUploads(await gestoreId(GESTORE_DEMO));
    const outcome = await (await get(id)).response!.json();
    expect(outcome.status).toBe("rejected");
    expect(outcome.applied).toEqual({ created: 0, transitioned: 0, updated: 0, unchanged: 0 });
    expect(outcome.errorCount).toBeGreaterThanOrEqual(12);
    const csv = await statusOf(errorsCsv.loader, { path: `/api/v1/uploads/${id}/errors.csv`, params: { id }, headers: { authorization: `Bearer ${token}` } });
    const bytes = Buffer.from(await csv.response!.arrayBuffer());
    const text = bytes.toString("utf8");
    expect(csv.response!.headers.get("content-type")).toMatch(/text\/csv/);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(text).toContain("riga;campo;codice;messaggio");
    expect(text).toMatch(/\r\n2;stato;TRANSITION_NOT_ALLOWED;/);
  });

  it("refuses other content types with 415", async () => {
    const res = await post(JSON.stringify({ a: 1 }), { "content-type": "application/json" });
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ error: { code: "UNSUPPORTED_MEDIA_TYPE" } });
  });

  it("refuses a declared size over 200 MB with 413 FILE_TOO_LARGE", async () => {
    const res = await post("x", { "content-type": "text/plain", "content-length": String(201 * 1024 * 1024) });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: "FILE_TOO_LARGE" } });
  });

  it("answers 401 without a valid token", async () => {
    expect((await post("x", { "content-type": "text/plain" }, "gp_wrong")).status).toBe(401);
  });
});

describe("GET /api/v1/uploads/{id}", () => {
  it("answers 403 for another gestore's upload and 404 for an unknown one", async () => {
    const res = await post(fixture("valid-first.txt"), { "content-type": "text/plain" });
    const { id } = await res.json();
    expect((await get(id, otherToken)).status).toBe(403);
    expect(await (await get(id, otherToken)).response!.json()).toMatchObject({ error: { code: "FORBIDDEN" } });
    expect((await get("00000000-0000-0000-0000-000000000000")).status).toBe(404);
    expect(GESTORE_ALTRO).not.toBe(GESTORE_DEMO);
  });
});
