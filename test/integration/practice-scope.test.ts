import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as practicePage from "~/routes/pratiche.$id";
import * as practicesList from "~/routes/pratiche._index";
import * as uploadFile from "~/routes/caricamenti.$id.file";
import * as uploadPage from "~/routes/caricamenti.$id";
import { getDb } from "~db/client";
import { auditLog, practices } from "~db/schema";
import { cookieFor, GESTORE_DEMO, PEOPLE, seedDemo, statusOf } from "../support/actors";
import { fixture, uploadAndProcess } from "../support/uploads";

let practiceId: number;
let uploadId: string;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  await seedDemo();
  const { upload } = await uploadAndProcess(GESTORE_DEMO, fixture("valid-first.txt"));
  uploadId = upload.id;
  const [p] = await getDb().select().from(practices).where(eq(practices.code, "PR-0001"));
  practiceId = p!.id;
  for (const who of ["operatore", "altroOperatore", "funzionario"] as const) cookies[who] = await cookieFor(PEOPLE[who]);
});

describe("practices and uploads are confined to their gestore", () => {
  it("another gestore's operator is refused the practice page, the upload page and the original file", async () => {
    const c = cookies.altroOperatore;
    expect((await statusOf(practicePage.loader, { path: `/pratiche/${practiceId}`, params: { id: String(practiceId) }, cookie: c })).status).toBe(403);
    expect((await statusOf(uploadPage.loader, { path: `/caricamenti/${uploadId}`, params: { id: uploadId }, cookie: c })).status).toBe(403);
    expect((await statusOf(uploadFile.loader, { path: `/caricamenti/${uploadId}/file`, params: { id: uploadId }, cookie: c })).status).toBe(403);
  });

  it("another gestore's operator finds none of its practices in the list, whatever the filter says", async () => {
    const { data } = await statusOf(practicesList.loader, { path: `/pratiche?gestore=${GESTORE_DEMO}`, cookie: cookies.altroOperatore });
    expect((data as { total: { n: number; estimated: boolean } }).total).toEqual({ n: 0, estimated: false });
    const own = await statusOf(practicesList.loader, { path: "/pratiche", cookie: cookies.operatore });
    expect((own.data as { total: { n: number; estimated: boolean } }).total).toEqual({ n: 5, estimated: false });
  });

  it("an official reads it, and the view is audited", async () => {
    const { status } = await statusOf(practicePage.loader, { path: `/pratiche/${practiceId}`, params: { id: String(practiceId) }, cookie: cookies.funzionario });
    expect(status).toBe(200);
    const rows = await getDb().select().from(auditLog).where(eq(auditLog.objectId, String(practiceId)));
    expect(rows.map((r) => [r.action, r.actorFiscalCode])).toContainEqual(["practice.view", PEOPLE.funzionario]);
  });

  it("the original file downloads byte for byte with its SHA-256", async () => {
    const { response } = await statusOf(uploadFile.loader, { path: `/caricamenti/${uploadId}/file`, params: { id: uploadId }, cookie: cookies.operatore });
    const bytes = Buffer.from(await response!.arrayBuffer());
    expect(bytes.equals(fixture("valid-first.txt"))).toBe(true);
    const { createHash } = await import("node:crypto");
    expect(response!.headers.get("x-content-sha256")).toBe(createHash("sha256").update(bytes).digest("hex"));
  });
});
