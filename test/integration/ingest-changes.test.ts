import { asc, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~db/client";
import { practiceHistory, practices } from "~db/schema";
import { generateFile } from "../bench/generate";
import { GESTORE_DEMO, seedDemo } from "../support/actors";
import { uploadAndProcess } from "../support/uploads";

/** What a later file does to known practices: field changes, nothing at all, many moves. */
const T = (ref: string, id: string) => `T|1|${GESTORE_DEMO}|${ref}|${id}`;
const D = (f: { code: string; name: string; state: string; date: string; requested: string; approved?: string; notes?: string }) =>
  `D|${f.code}|COVID-LIQ|02342520158|${f.name}|042002|02/04/2020|${f.state}|${f.date}|${f.requested}|${f.approved ?? ""}||${f.notes ?? ""}`;
const file = (header: string, details: string[], total: string) => [header, ...details, `C|${details.length}|${total}`].join("\n") + "\n";

const byCode = async (code: string) => (await getDb().select().from(practices).where(eq(practices.code, code)))[0]!;
const historyOf = async (id: number) =>
  getDb().select().from(practiceHistory).where(eq(practiceHistory.practiceId, id)).orderBy(asc(practiceHistory.id));

beforeAll(seedDemo);

describe("a later file", () => {
  it("records changed fields without a change of state, with their old and new values", async () => {
    const first = await uploadAndProcess(GESTORE_DEMO, file(T("30/04/2020", "CH-1"), [D({ code: "CH-1", name: "Alfa S.r.l.", state: "IN_ISTRUTTORIA", date: "10/04/2020", requested: "1000" })], "1000"));
    expect(first.upload.status).toBe("accepted");
    const name = "Alfa \\ Società\tnuova";
    const second = await uploadAndProcess(
      GESTORE_DEMO,
      file(T("31/05/2020", "CH-2"), [D({ code: "CH-1", name, state: "IN_ISTRUTTORIA", date: "10/05/2020", requested: "1200,50", notes: "integrata" })], "1200,50"),
    );
    expect(second.upload).toMatchObject({ status: "accepted", created: 0, transitioned: 0, updated: 1, unchanged: 0 });
    const p = await byCode("CH-1");
    expect(p).toMatchObject({ beneficiaryName: name, amountRequested: "1200.50", notes: "integrata", state: "IN_ISTRUTTORIA", stateDate: "2020-05-10" });
    expect(p.firstState).toBe("IN_ISTRUTTORIA");
    const [h] = await historyOf(p.id);
    expect(h).toMatchObject({ kind: "update", fromState: "IN_ISTRUTTORIA", toState: "IN_ISTRUTTORIA", stateDate: "2020-05-10", uploadId: second.uploadId });
    expect(h!.changes).toEqual({
      data_stato: ["2020-04-10", "2020-05-10"],
      denominazione: ["Alfa S.r.l.", name],
      importo_richiesto: [1000.0, 1200.5],
      note: ["", "integrata"],
    });
  });

  it("leaves an identical record alone and counts it unchanged", async () => {
    const before = await byCode("CH-1");
    const again = await uploadAndProcess(
      GESTORE_DEMO,
      file(T("30/06/2020", "CH-3"), [D({ code: "CH-1", name: before.beneficiaryName, state: "IN_ISTRUTTORIA", date: "10/05/2020", requested: "1200,50", notes: "integrata" })], "1200,50"),
    );
    expect(again.upload).toMatchObject({ status: "accepted", updated: 0, transitioned: 0, unchanged: 1 });
    expect(await byCode("CH-1")).toEqual(before);
    expect(await historyOf(before.id)).toHaveLength(1);
  });

  it("moves more practices than one history segment holds, each exactly once", async () => {
    const n = 120_000; // above the 100,000 rows of a history segment
    const created = await uploadAndProcess(GESTORE_DEMO, Buffer.concat(generateFile({ n, cf: GESTORE_DEMO, measure: "COVID-LIQ", step: 0, seed: 3, ref: "31/07/2020", id: "SEG-1" }).chunks));
    expect(created.upload).toMatchObject({ status: "accepted", created: n });
    const moved = await uploadAndProcess(GESTORE_DEMO, Buffer.concat(generateFile({ n, cf: GESTORE_DEMO, measure: "COVID-LIQ", step: 1, seed: 3, ref: "31/08/2020", id: "SEG-2" }).chunks));
    expect(moved.upload).toMatchObject({ status: "accepted", transitioned: n, created: 0 });
    const [counts] = await getDb().execute<{ moved: number; history: number; first: number }>(sql`
      select (select count(*)::int from practices where code like 'P%' and state = 'IN_ISTRUTTORIA' and last_upload_id = ${moved.uploadId}) as moved,
             (select count(distinct practice_id)::int from practice_history where upload_id = ${moved.uploadId}) as history,
             (select count(*)::int from practices where code like 'P%' and first_state = 'PRESENTATA' and first_upload_id = ${created.uploadId}) as first`);
    expect(counts).toEqual({ moved: n, history: n, first: n });
    expect(moved.upload.transitioned).toBe(n);
  }, 120_000);
});
