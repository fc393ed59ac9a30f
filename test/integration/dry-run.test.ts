import { desc, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "~/auth/api-tokens.server";
import * as one from "~/routes/api.v1.uploads.$id";
import * as webSend from "~/routes/caricamenti.invia";
import { ingestPendingUploads } from "~/uploads/ingest.server";
import { getDb } from "~db/client";
import { sessions } from "~db/schema";
import { cookieFor, GESTORE_DEMO, PEOPLE, seedDemo, statusOf, userOf } from "../support/actors";
import { fixture, gestoreId, postToApi } from "../support/uploads";

let token: string;

const post = (body: BodyInit, query = "?dryRun=true", headers: Record<string, string> = { "content-type": "text/plain; charset=utf-8" }) => postToApi(token, body, headers, query);

/** Every table an upload, its processing or its mail could write to. */
async function rowCounts() {
  const rows = await getDb().execute<Record<string, number>>(sql`select
    (select count(*)::int from uploads) as uploads, (select count(*)::int from upload_chunks) as chunks,
    (select count(*)::int from practices) as practices, (select count(*)::int from practice_history) as history,
    (select count(*)::int from mail_outbox) as mails, (select count(*)::int from pgboss.job) as jobs,
    (select count(*)::int from sftp_uploads) as sftp`);
  return rows[0]!;
}

/** A real upload through the API, processed: its outcome object. */
async function realUpload(name: string) {
  const res = await post(fixture(name), "");
  const { id } = await res.json();
  await ingestPendingUploads(await gestoreId(GESTORE_DEMO));
  return (await statusOf(one.loader, { path: `/api/v1/uploads/${id}`, params: { id }, headers: { authorization: `Bearer ${token}` } })).response!.json();
}

const comparable = (o: Record<string, unknown>) => ({ status: o.status, records: o.records, applied: o.applied, errorCount: o.errorCount, errors: o.errors, submissionId: o.submissionId, referenceDate: o.referenceDate });

beforeAll(async () => {
  await seedDemo();
  token = (await createApiToken(getDb(), { system: "test" }, { userId: (await userOf(PEOPLE.operatore)).id })).token;
});

describe("POST /api/v1/uploads?dryRun=true", () => {
  it("answers the outcome a real upload gets, against the stored practices, writing nothing", async () => {
    for (const name of ["valid-first.txt", "invalid-mixed.txt", "valid-second.txt"]) {
      const before = await rowCounts();
      const res = await post(fixture(name));
      expect(res.status).toBe(200);
      const checked = await res.json();
      expect(checked).toMatchObject({ id: null, dryRun: true, identicalToAccepted: null, gestore: GESTORE_DEMO });
      expect(await rowCounts()).toEqual(before);
      // Now for real: the same answer, and this time something is written.
      const real = await realUpload(name);
      expect(comparable(checked)).toEqual(comparable(real));
      expect((await rowCounts()).uploads).toBe(before.uploads + 1);
    }
  });

  it("checks against the current state: the first file again would be refused (stale and already sent)", async () => {
    const before = await rowCounts();
    const changed = Buffer.from(fixture("valid-first.txt").toString("utf8").replace("2020-06-A", "2020-06-B"));
    const checked = await (await post(changed)).json();
    expect(checked.status).toBe("rejected");
    expect(checked.errors.map((e: { code: string }) => e.code)).toContain("STALE_FILE");
    expect(await rowCounts()).toEqual(before);
  });

  it("for a file identical to an accepted one, answers that upload's outcome", async () => {
    const before = await rowCounts();
    const checked = await (await post(fixture("valid-first.txt"))).json();
    expect(checked).toMatchObject({ id: null, dryRun: true, status: "accepted" });
    expect(checked.identicalToAccepted).toMatch(/^[0-9a-f-]{36}$/);
    expect(await rowCounts()).toEqual(before);
  });

  it("refuses a wrong dryRun value in Italian and stores nothing", async () => {
    const before = await rowCounts();
    const res = await post(fixture("valid-second.txt"), "?dryRun=si");
    expect(res.status).toBe(400);
    expect((await res.json()).error).toEqual({ code: "BAD_QUERY", message: "Parametro dryRun non valido: usare true o false" });
    expect(await rowCounts()).toEqual(before);
  });

  it("takes a multipart file as well", async () => {
    const before = await rowCounts();
    const form = new FormData();
    form.append("file", new Blob([fixture("invalid-mixed.txt")], { type: "text/plain" }), "invalid-mixed.txt");
    const checked = await (await post(form, "?dryRun=true", {})).json();
    expect(checked).toMatchObject({ dryRun: true, status: "rejected" });
    expect(checked.errorCount).toBeGreaterThanOrEqual(12);
    expect(await rowCounts()).toEqual(before);
  });
});

describe("web: Verifica senza inviare", () => {
  it("answers the outcome as JSON to the page's script and stores nothing", async () => {
    const before = await rowCounts();
    const cookie = await cookieFor(PEOPLE.operatore);
    const u = await userOf(PEOPLE.operatore);
    const [s] = await getDb().select().from(sessions).where(eq(sessions.userId, u.id)).orderBy(desc(sessions.createdAt));
    const request = new Request("http://localhost:3999/caricamenti/invia?verifica=1", {
      method: "POST",
      headers: { cookie, "x-csrf-token": s!.csrfToken, "content-type": "text/plain; charset=utf-8", accept: "application/json", "x-file-name": "invalid-mixed.txt" },
      body: fixture("invalid-mixed.txt"),
    });
    const res = (await webSend.action({ request, params: {}, context: {} })) as Response;
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.checked).toMatchObject({ dryRun: true, status: "rejected" });
    expect(await rowCounts()).toEqual(before);
  });
});
