import type { ChildProcess } from "node:child_process";
import { eq, sql } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { WORKER_NODE_FLAGS } from "~/bin/worker-flags";
import { getDb } from "~db/client";
import { asOwner } from "../support/owner";
import { uploads } from "~db/schema";
import { generateFile } from "../bench/generate";
import { GESTORE_ALTRO, GESTORE_DEMO, seedDemo } from "../support/actors";
import { startProcess, waitFor } from "../support/processes";
import { fixture, storeUpload as store } from "../support/uploads";

const workers: ChildProcess[] = [];

/** The real worker process, as `npm start` runs it, on this file's database. */
function startWorker() {
  const child = startProcess("app/bin/worker.ts", { nodeFlags: WORKER_NODE_FLAGS });
  workers.push(child);
  return child;
}

const count = async (table: "practices" | "practice_history") =>
  Number((await getDb().execute<{ n: string }>(sql.raw(`select count(*)::text n from ${table}`)))[0]!.n);
const uploadRow = async (id: string) => (await getDb().select().from(uploads).where(eq(uploads.id, id)))[0]!;

beforeAll(seedDemo);
afterEach(() => {
  for (const w of workers.splice(0)) if (w.exitCode === null) w.kill("SIGKILL");
});

describe("the ingestion worker", () => {
  it("killed in the middle of a large file leaves nothing applied, and the file completes after a restart", async () => {
    const N = 300_000;
    const big = generateFile({ n: N, cf: GESTORE_DEMO, measure: "COVID-LIQ", step: 0, seed: 7, ref: "31/01/2020", id: "CRASH-1" });
    const { uploadId } = await store(GESTORE_DEMO, big.chunks);
    const first = startWorker();
    await waitFor("processing to start", async () => (await uploadRow(uploadId)).linesRead > 0);
    first.kill("SIGKILL");
    await new Promise((r) => first.once("exit", r));
    const interrupted = await uploadRow(uploadId);
    expect(interrupted.status).toBe("processing");
    expect(interrupted.linesRead).toBeGreaterThan(0);
    expect(interrupted.linesRead).toBeLessThan(N);
    expect(await count("practices")).toBe(0);
    expect(await count("practice_history")).toBe(0);

    startWorker();
    const done = await waitFor("the file to complete", async () => {
      const row = await uploadRow(uploadId);
      return row.status !== "processing" && row;
    }, 600);
    expect(done).toMatchObject({ status: "accepted", created: N });
    expect(await count("practices")).toBe(N);
  }, 900_000);

  it("applies one gestore's files in arrival order while another gestore's file runs too", async () => {
    const a = await store(GESTORE_ALTRO, [
      Buffer.from(`T|1|${GESTORE_ALTRO}|31/07/2020|ALT-1\nD|X-1|COVID-LIQ|02342520158|Altra|042002|02/04/2020|PRESENTATA|02/04/2020|100|||\nC|1|100\n`),
    ]);
    const first = await store(GESTORE_DEMO, [fixture("valid-first.txt")]);
    const second = await store(GESTORE_DEMO, [fixture("valid-second.txt")]);
    startWorker();
    for (const id of [a.uploadId, first.uploadId, second.uploadId])
      await waitFor("uploads to complete", async () => (await uploadRow(id)).status !== "processing", 600);
    // valid-second.txt depends on valid-first.txt: taken the other way round it would be refused.
    expect((await uploadRow(first.uploadId)).status).toBe("accepted");
    expect(await uploadRow(second.uploadId)).toMatchObject({ status: "accepted", created: 1, transitioned: 3 });
    expect((await uploadRow(a.uploadId)).status).toBe("accepted");
  }, 900_000);

  it("two worker processes: a database fault fails its upload, a NUL byte rejects its file, the next files are accepted", async () => {
    await asOwner(`create function boom() returns trigger language plpgsql as $$ begin if new.code = 'W2-BOOM' then raise exception 'boom'; end if; return new; end $$;
        create trigger boom before insert or update on practices for each row execute function boom();`);
    const line = (code: string, name = "Impresa") => `D|${code}|COVID-LIQ|02342520158|${name}|042002|02/04/2020|PRESENTATA|02/04/2020|100|||`;
    const fileOf = (id: string, ...details: string[]) => Buffer.from(`T|1|${GESTORE_DEMO}|31/08/2020|${id}\n${details.join("\n")}\nC|${details.length}|${details.length * 100}\n`);
    const bad = await store(GESTORE_DEMO, [fileOf("W2-1", line("W2-A"), line("W2-BOOM"))]);
    const nul = await store(GESTORE_DEMO, [fileOf("W2-2", line("W2-B", "Al\u0000fa"))]);
    const good = await store(GESTORE_DEMO, [fileOf("W2-3", line("W2-C"))]);
    startWorker();
    startWorker();
    for (const id of [bad.uploadId, nul.uploadId, good.uploadId])
      await waitFor("uploads to complete", async () => (await uploadRow(id)).status !== "processing");
    expect(await uploadRow(bad.uploadId)).toMatchObject({ status: "failed", attempts: 1 });
    expect((await uploadRow(bad.uploadId)).failureRef).toMatch(/^E-/);
    expect((await uploadRow(nul.uploadId)).status).toBe("rejected");
    expect((await uploadRow(good.uploadId)).status).toBe("accepted");
    const codes = (await getDb().execute<{ code: string }>(sql`select code from practices where code like 'W2-%' order by code`)).map((r) => r.code);
    expect(codes).toEqual(["W2-C"]);
    const [{ n }] = await getDb().execute<{ n: string }>(sql`select count(*)::text n from pg_locks where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())`);
    expect(n).toBe("0");
    await asOwner(`drop trigger boom on practices; drop function boom()`);
  }, 900_000);
});
