import { asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~db/client";
import { practiceHistory, practices, uploads } from "~db/schema";
import expected from "../fixtures/uploads/invalid-mixed.expected.json";
import { seedDemo, GESTORE_DEMO } from "../support/actors";
import { fixture, practiceState, uploadAndProcess } from "../support/uploads";

beforeAll(seedDemo);

async function statesByCode() {
  const rows = await getDb().select({ code: practices.code, state: practices.state }).from(practices).orderBy(asc(practices.code));
  return Object.fromEntries(rows.map((r) => [r.code, r.state]));
}

describe("the sample files, in order", () => {
  it("valid-first.txt is accepted and creates 5 practices", async () => {
    const { upload } = await uploadAndProcess(GESTORE_DEMO, fixture("valid-first.txt"));
    expect(upload).toMatchObject({ status: "accepted", records: 5, created: 5, transitioned: 0, updated: 0, unchanged: 0, errorCount: 0 });
    expect(upload.submissionId).toBe("2020-06-A");
    expect(upload.referenceDate).toBe("2020-06-30");
    expect(await statesByCode()).toEqual({
      "PR-0001": "PRESENTATA", "PR-0002": "IN_ISTRUTTORIA", "PR-0003": "DELIBERATA", "PR-0004": "EROGATA", "PR-0005": "SOSPESA",
    });
    const [p3] = await getDb().select().from(practices).where(eq(practices.code, "PR-0003"));
    expect(p3).toMatchObject({ amountRequested: "40000.00", amountApproved: "35000.00", amountDisbursed: null, stateDate: "2020-05-20" });
    expect(p3!.snapshot).toEqual({ value: "DELIBERATA", context: { stateDate: "2020-05-20" } });
  });

  it("the same file again returns the earlier outcome and applies nothing", async () => {
    const before = await practiceState();
    const count = (await getDb().select().from(uploads)).length;
    const again = await uploadAndProcess(GESTORE_DEMO, fixture("valid-first.txt"));
    expect(again.reused).toBe(true);
    expect(again.upload.status).toBe("accepted");
    expect((await getDb().select().from(uploads)).length).toBe(count);
    expect(await practiceState()).toBe(before);
  });

  it("invalid-mixed.txt is rejected with the expected errors and nothing applied", async () => {
    const before = await practiceState();
    const { upload } = await uploadAndProcess(GESTORE_DEMO, fixture("invalid-mixed.txt"));
    expect(upload.status).toBe("rejected");
    expect(upload).toMatchObject({ created: 0, transitioned: 0, updated: 0, unchanged: 0 });
    for (const e of expected.errors_include) {
      expect(upload.errors, `line ${e.line}`).toContainEqual(expect.objectContaining({ line: e.line, code: e.code }));
    }
    expect(upload.errors.map((e) => e.line)).toEqual([...upload.errors.map((e) => e.line)].sort((a, b) => a - b));
    expect(upload.errorCount).toBe(upload.errors.length);
    for (const e of upload.errors) expect(e.message.length).toBeGreaterThan(10);
    expect(await practiceState()).toBe(before);
  });

  it("a rejected file sent again is processed again, as a new upload", async () => {
    const first = await uploadAndProcess(GESTORE_DEMO, fixture("invalid-mixed.txt"));
    const second = await uploadAndProcess(GESTORE_DEMO, fixture("invalid-mixed.txt"));
    expect(second.reused).toBe(false);
    expect(second.uploadId).not.toBe(first.uploadId);
    expect(second.upload.status).toBe("rejected");
  });

  it("valid-second.txt (CRLF) is accepted: 1 created, 3 transitioned", async () => {
    const { upload } = await uploadAndProcess(GESTORE_DEMO, fixture("valid-second.txt"));
    expect(upload).toMatchObject({ status: "accepted", records: 4, created: 1, transitioned: 3 });
    expect(await statesByCode()).toMatchObject({
      "PR-0001": "DELIBERATA", "PR-0002": "NON_AMMESSA", "PR-0005": "IN_ISTRUTTORIA", "PR-0006": "PRESENTATA",
    });
    const [p1] = await getDb().select().from(practices).where(eq(practices.code, "PR-0001"));
    const history = await getDb().select().from(practiceHistory).where(eq(practiceHistory.practiceId, p1!.id)).orderBy(asc(practiceHistory.id));
    // The first report stays on the practice; PRESENTATA → DELIBERATA is a multi-step jump: one
    // transition, dated data_stato, no invented dates, with the amount approved on the way.
    expect([p1!.firstState, p1!.firstStateDate]).toEqual(["PRESENTATA", "2020-04-02"]);
    expect(history.map((h) => [h.kind, h.fromState, h.toState, h.stateDate])).toEqual([["transition", "PRESENTATA", "DELIBERATA", "2020-07-15"]]);
    expect(Object.keys(history[0]!.changes ?? {})).toContain("importo_deliberato");
  });

  it("invalid-mixed.txt is still rejected after valid-second.txt", async () => {
    const before = await practiceState();
    const { upload } = await uploadAndProcess(GESTORE_DEMO, fixture("invalid-mixed.txt"));
    expect(upload.status).toBe("rejected");
    for (const e of expected.errors_include)
      expect(upload.errors).toContainEqual(expect.objectContaining({ line: e.line, code: e.code }));
    expect(await practiceState()).toBe(before);
  });
});
