import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, getSql } from "~db/client";
import type { MonitoringFilter } from "~db/queries/monitoring";
import { applyPracticeReport } from "~/machines/runner.server";
import { ingestPendingUploads } from "~/uploads/ingest.server";
import { GESTORE_ALTRO, GESTORE_DEMO, seedDemo } from "../support/actors";
import { expectSummaryEqualsRaw, rebuiltRows, summaryRows } from "../support/monitoring";
import { sendUpload, uploadAndProcess, uploadRow } from "../support/uploads";

/**
 * Files of different gestori write the monitoring summary at the same time (docs/decisions/0034):
 * no lock shared by every gestore's apply phase, and the summary stays exact.
 */
const TODAY = "2026-03-20";
const GESTORE_TERZO = "03456789019";
const VIEWS: MonitoringFilter[] = [{}, { gestore: GESTORE_ALTRO }, { region: "11" }];
const COMUNI = ["042002", "058091", "109006", "041044"];

/** `n` practices of gestore `cf` (step 0 new, step 1 moved on), on the same keys as the others'. */
function file(cf: string, ref: string, id: string, n: number, step: 0 | 1) {
  const lines = Array.from({ length: n }, (_, i) => {
    const state = step === 0 ? "PRESENTATA|02/04/2020" : i % 3 === 0 ? "NON_AMMESSA|20/05/2020" : "IN_ISTRUTTORIA|15/04/2020";
    return `D|C-${i}|COVID-LIQ|02342520158|Impresa ${i}|${COMUNI[i % COMUNI.length]}|01/04/2020|${state}|1000|||`;
  });
  return [`T|1|${cf}|${ref}|${id}`, ...lines, `C|${n}|${n * 1000}`].join("\n") + "\n";
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string) {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: still waiting after ${ms} ms`)), ms)));
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

beforeAll(async () => {
  await seedDemo();
});

describe("files of different gestori and the monitoring summary", () => {
  it("a file applies while another gestore's writer of the summary has not committed", async () => {
    const first = await uploadAndProcess(GESTORE_DEMO, file(GESTORE_DEMO, "30/04/2020", "A-1", 50, 0), { today: TODAY });
    expect(first.upload.status).toBe("accepted");
    // An open transaction that has written the summary (a gestore's file in its apply phase).
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let wrote!: () => void;
    const written = new Promise<void>((r) => (wrote = r));
    const open = getSql().begin(async (tx) => {
      await tx`select monitoring_apply(array(select id from practices order by id limit 5), -1)`;
      await tx`select monitoring_apply(array(select id from practices order by id limit 5), 1)`;
      wrote();
      await held;
    });
    await written;
    try {
      // Under one lock for every gestore this would wait for the open transaction forever.
      const other = await withTimeout(uploadAndProcess(GESTORE_ALTRO, file(GESTORE_ALTRO, "30/04/2020", "B-1", 50, 0), { today: TODAY }), 20_000, "the other gestore's file");
      expect(other.upload.status).toBe("accepted");
      const slots = await getDb().execute<{ slot: number }>(sql`select distinct slot from monitoring_rollup where n <> 0 order by slot`);
      expect(slots.map((r) => r.slot)).toEqual([0, 1]);
    } finally {
      release();
      await open;
    }
    expect(await summaryRows()).toBe(await rebuiltRows());
    await expectSummaryEqualsRaw(VIEWS, TODAY);
  });

  it("three gestori's files and a runner move at once: all applied, the summary exact", async () => {
    await uploadAndProcess(GESTORE_TERZO, file(GESTORE_TERZO, "30/04/2020", "C-1", 50, 0), { today: TODAY });
    const sent = await Promise.all([
      sendUpload(GESTORE_DEMO, file(GESTORE_DEMO, "31/05/2020", "A-2", 400, 1)),
      sendUpload(GESTORE_ALTRO, file(GESTORE_ALTRO, "31/05/2020", "B-2", 400, 0).replace(/\|C-/g, "|N-")),
      sendUpload(GESTORE_TERZO, file(GESTORE_TERZO, "31/05/2020", "C-2", 50, 1)),
    ]);
    const [p] = await getDb().execute<{ id: number }>(sql`
      select p.id from practices p join gestori g on g.id = p.gestore_id where g.fiscal_code = ${GESTORE_ALTRO} and p.code = 'C-1'`);
    await Promise.all([
      ...sent.map((s) => ingestPendingUploads(s.gestoreId, { today: TODAY })),
      getDb().transaction((tx) =>
        applyPracticeReport(tx, { practiceId: p!.id, report: { state: "IN_ISTRUTTORIA", stateDate: "2020-05-02" }, actor: { fiscalCode: "TEST" } }),
      ),
    ]);
    for (const s of sent) expect((await uploadRow(s.uploadId)).status).toBe("accepted");
    expect(await summaryRows()).toBe(await rebuiltRows());
    await expectSummaryEqualsRaw(VIEWS, TODAY);
  });
});
