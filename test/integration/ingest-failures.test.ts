import { sql } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ingestPendingUploads } from "~/uploads/ingest.server";
import { handleWatchdogAction, watchdogData } from "~/uploads/watchdog.server";
import type { SignedIn } from "~/auth/guards.server";
import { getDb } from "~db/client";
import { asOwner } from "../support/owner";
import { generateFile } from "../bench/generate";
import { GESTORE_DEMO, PEOPLE, seedDemo, viewerOf } from "../support/actors";
import { D, fixture, gestoreId, practiceState, storeUpload, T, uploadAndProcess, withTrailer } from "../support/uploads";

/**
 * Issue 20: no file can stop a gestore's uploads. Each fault is injected at its phase; each time
 * the upload ends `rejected` or `failed`, nothing of it is visible, the gestore's lock is free and
 * the next valid file is accepted at once.
 */

// The reader's fault: a real exception from inside the file reader, for the uploads named here.
const poisonedReads = new Set<string>();
vi.mock("../../app/uploads/storage.server", async (original) => {
  const real = await original<typeof import("../../app/uploads/storage.server")>();
  return {
    ...real,
    async *readChunks(uploadId: string, ...rest: unknown[]) {
      for await (const chunk of real.readChunks(uploadId, ...(rest as []))) {
        yield chunk;
        if (poisonedReads.has(uploadId)) throw new Error("disk read failed (injected by the test)");
      }
    },
  };
});

let next = 0;
/** A valid file with one new practice: it must be accepted right after any failure. */
async function expectNextValidAccepted() {
  next += 1;
  const { upload } = await uploadAndProcess(GESTORE_DEMO, withTrailer(T("31/07/2020", `OK-${next}`), D({ code: `PR-OK-${next}` })));
  expect(upload.status).toBe("accepted");
  baseline = await practiceState();
}

const advisoryLocks = async () =>
  Number((await getDb().execute<{ n: string }>(sql`select count(*)::text n from pg_locks where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())`))[0]!.n);

const store = (content: Buffer | string) => storeUpload(GESTORE_DEMO, [typeof content === "string" ? Buffer.from(content) : content]);

async function uploadRow(id: string) {
  const [row] = await getDb().execute<{ status: string; failure_ref: string | null; failure_cause: string | null; attempts: number; errors: { line: number; field: string; code: string; message: string }[] }>(
    sql`select status, failure_ref, failure_cause, attempts, errors from uploads where id = ${id}`,
  );
  return row!;
}

async function expectFailedCleanly(id: string, cause: RegExp) {
  const row = await uploadRow(id);
  expect(row.status).toBe("failed");
  expect(row.failure_ref).toMatch(/^E-[0-9A-F]{8}$/);
  expect(row.failure_cause).toMatch(cause);
  expect(await practiceState() === baseline, "nothing of the file is visible").toBe(true);
  expect(await advisoryLocks()).toBe(0);
  const [audited] = await getDb().execute(sql`select 1 from audit_log where action = 'upload.fail' and object_id = ${id}`);
  expect(audited).toBeDefined();
}

let baseline: string;

beforeAll(async () => {
  await seedDemo();
  expect((await uploadAndProcess(GESTORE_DEMO, fixture("valid-first.txt"))).upload.status).toBe("accepted");
  baseline = await practiceState();
});

afterEach(async () => {
  await asOwner(`drop trigger if exists boom on practices; drop function if exists boom()`);
  delete process.env.INGEST_TIME_LIMIT_BASE_MS;
  delete process.env.INGEST_TIME_LIMIT_PER_MB_MS;
});

/** A trigger that raises (or stalls) on one practice code, as a database fault during apply. */
async function triggerOn(code: string, body = `raise exception 'boom on %', new.code`) {
  await asOwner(`create function boom() returns trigger language plpgsql as $$ begin if new.code = '${code}' then ${body}; end if; return new; end $$;
      create trigger boom before insert or update on practices for each row execute function boom();`);
}

describe("characters PostgreSQL refuses, and the other control characters", () => {
  it("a NUL byte in denominazione is FORMAT with its line and field; nothing applied; the next file is accepted", async () => {
    const { upload } = await uploadAndProcess(GESTORE_DEMO, withTrailer(T("31/07/2020", "NUL-1"), D({ code: "PR-N1" }), D({ code: "PR-N2", name: "Alfa\u0000Beta" })));
    expect(upload.status).toBe("rejected");
    expect(upload.errors).toEqual([
      { line: 3, field: "denominazione", code: "FORMAT", message: "Formato non valido: il campo contiene un carattere di controllo (U+0000)" },
    ]);
    expect(await practiceState() === baseline, "nothing of the file is visible").toBe(true);
    expect(await advisoryLocks()).toBe(0);
    await expectNextValidAccepted();
  });

  it("control characters in any field (U+0001–U+001F but TAB and the line ends, U+007F): FORMAT, values shown storably; a TAB stays", async () => {
    const content = withTrailer(
      T("31/07/2020", "CTL\u0000-1"),
      D({ code: "PR-C1", notes: "nota\u0007" }),
      D({ code: "PR-C2", measure: "COVID\u0000LIQ", cf: "0234252015\u001b8" }),
      D({ code: "PR-C3\u007f", name: "Beta\tS.r.l." }),
      D({ code: "PR-C4", name: "Gamma\rS.r.l.", requested: "10\u000000" }),
    );
    const { upload } = await uploadAndProcess(GESTORE_DEMO, content);
    expect(upload.status).toBe("rejected");
    const found = upload.errors.map((e) => `${e.line}:${e.field}:${e.code}`);
    expect(found).toEqual(
      expect.arrayContaining([
        "1:id_invio:FORMAT", "2:note:FORMAT", "3:codice_misura:FORMAT", "3:cf_beneficiario:FORMAT",
        "4:codice_pratica:FORMAT", "5:denominazione:FORMAT", "5:importo_richiesto:FORMAT",
      ]),
    );
    expect(found).not.toContain("4:denominazione:FORMAT");
    // One error per broken field: the control character is what to fix.
    expect(upload.errors.filter((e) => e.line === 3 && e.field === "codice_misura")).toHaveLength(1);
    expect(upload.submissionId).toBeNull();
    expect(await practiceState() === baseline, "nothing of the file is visible").toBe(true);
    await expectNextValidAccepted();
  });

  it("a control character in the record type or the trailer, and a huge field, give storable short messages", async () => {
    const huge = "x".repeat(300_000) + "\u0000";
    const content = `T|1|${GESTORE_DEMO}|31/07/2020|BIG-1\nD\u0000|${huge}\n${D({ code: "PR-H1", name: huge })}\nC|2\u0000|1000\n`;
    const { upload } = await uploadAndProcess(GESTORE_DEMO, content);
    expect(upload.status).toBe("rejected");
    expect(upload.errors.find((e) => e.code === "RECORD_TYPE")!.message).toContain("D<U+0000>");
    expect(upload.errors.some((e) => e.line === 4 && e.field === "numero_record_d" && e.code === "FORMAT")).toBe(true);
    expect(Math.max(...upload.errors.map((e) => e.message.length))).toBeLessThan(300);
    await expectNextValidAccepted();
  });

  it("what else passes the checks and could fail in the database is refused by the format: amounts beyond numeric(15,2), years beyond the date type, names counted in characters", async () => {
    const { upload } = await uploadAndProcess(
      GESTORE_DEMO,
      withTrailer(T("31/07/2020", "EDGE-1"), D({ code: "PR-E1", requested: "12345678901234" }), D({ code: "PR-E2", submitted: "01/01/0000" })),
    );
    expect(upload.errors.map((e) => `${e.line}:${e.code}`)).toEqual(expect.arrayContaining(["2:FORMAT_AMOUNT", "3:FORMAT_DATE"]));
    // 200 characters of four UTF-8 bytes each: 800 bytes, within varchar(200).
    const { upload: ok } = await uploadAndProcess(
      GESTORE_DEMO,
      withTrailer(T("31/07/2020", "EDGE-2"), D({ code: "PR-E3", name: "😀".repeat(200), requested: "9999999999999,99", approved: "", submitted: "01/01/0001", stateDate: "29/02/0004" })),
    );
    expect(ok.status).toBe("accepted");
    baseline = await practiceState();
  });
});

describe("a fault inside the ingestion ends the upload failed, nothing applied, the lock free", () => {
  it("a database error on a chosen practice during a first file's COPY", async () => {
    await triggerOn("PR-T2");
    const { upload } = await uploadAndProcess(GESTORE_DEMO, withTrailer(T("31/07/2020", "TRG-1"), D({ code: "PR-T1" }), D({ code: "PR-T2" })));
    expect(upload.status).toBe("failed");
    await expectFailedCleanly(upload.id, /P0001: boom on PR-T2/);
    await asOwner(`drop trigger boom on practices`);
    await expectNextValidAccepted();
  });

  it("a database error on a chosen practice while moving known practices (history, then update)", async () => {
    await triggerOn("PR-0001");
    const { upload } = await uploadAndProcess(GESTORE_DEMO, fixture("valid-second.txt"));
    await expectFailedCleanly(upload.id, /boom on PR-0001/);
    await asOwner(`drop trigger boom on practices`);
    await expectNextValidAccepted();
  });

  it("an exception thrown from the file reader", async () => {
    const big = generateFile({ n: 20_000, cf: GESTORE_DEMO, measure: "COVID-LIQ", step: 0, seed: 3, ref: "31/07/2020", id: "READ-1" });
    const { uploadId } = await store(Buffer.concat(big.chunks));
    poisonedReads.add(uploadId);
    await ingestPendingUploads(await gestoreId(GESTORE_DEMO));
    await expectFailedCleanly(uploadId, /disk read failed/);
    await expectNextValidAccepted();
  });

  it("the worker's connection terminated (pg_terminate_backend) during the COPY", async () => {
    const big = generateFile({ n: 150_000, cf: GESTORE_DEMO, measure: "COVID-LIQ", step: 0, seed: 4, ref: "31/07/2020", id: "KILL-1" });
    const { uploadId } = await store(Buffer.concat(big.chunks));
    // The trigger makes the copy slow enough to be caught in the act.
    await triggerOn("__never__", "perform 1");
    const running = ingestPendingUploads(await gestoreId(GESTORE_DEMO));
    let killed = false;
    for (const until = Date.now() + 50_000; Date.now() < until && !killed; ) {
      const rows = await getDb().execute<{ pid: number }>(sql`select pid from pg_stat_activity where query ilike 'copy practices%' and datname = current_database() and pid <> pg_backend_pid()`);
      if (rows[0]) killed = Boolean(await getDb().execute(sql`select pg_terminate_backend(${rows[0].pid})`));
      else await new Promise((r) => setTimeout(r, 20));
    }
    expect(killed).toBe(true);
    await running;
    await expectFailedCleanly(uploadId, /CONNECTION_CLOSED|terminat/i);
    await asOwner(`drop trigger boom on practices`);
    await expectNextValidAccepted();
  }, 60_000);

  it("the time limit: a statement that stalls is ended, the upload fails with the limit as cause", async () => {
    process.env.INGEST_TIME_LIMIT_BASE_MS = "1500";
    process.env.INGEST_TIME_LIMIT_PER_MB_MS = "0";
    await triggerOn("PR-SLOW", "perform pg_sleep(60)");
    const started = Date.now();
    const { upload } = await uploadAndProcess(GESTORE_DEMO, withTrailer(T("31/07/2020", "SLOW-1"), D({ code: "PR-SLOW" })));
    expect(Date.now() - started).toBeLessThan(20_000);
    await expectFailedCleanly(upload.id, /time limit of 2 s exceeded/);
    await asOwner(`drop trigger boom on practices`);
    await expectNextValidAccepted();
  });

  it("an upload that killed its worker at every attempt is failed, not retried forever", async () => {
    const { uploadId } = await store(withTrailer(T("31/07/2020", "DIES-1"), D({ code: "PR-DIES" })));
    await getDb().execute(sql`update uploads set attempts = 3 where id = ${uploadId}`);
    await ingestPendingUploads(await gestoreId(GESTORE_DEMO));
    await expectFailedCleanly(uploadId, /interrupted 3 times/);
    await expectNextValidAccepted();
  });

  it("two workers draining the same gestore: each fault fails its own upload, the files after it are accepted", async () => {
    await triggerOn("PR-W2");
    const bad = await store(withTrailer(T("31/07/2020", "TWO-1"), D({ code: "PR-W1" }), D({ code: "PR-W2" })));
    const nul = await store(withTrailer(T("31/07/2020", "TWO-2"), D({ code: "PR-W3", notes: "\u0000" })));
    const good = await store(withTrailer(T("31/07/2020", "TWO-3"), D({ code: "PR-W4" })));
    const id = await gestoreId(GESTORE_DEMO);
    await Promise.all([ingestPendingUploads(id), ingestPendingUploads(id)]);
    expect((await uploadRow(bad.uploadId)).status).toBe("failed");
    expect((await uploadRow(nul.uploadId)).status).toBe("rejected");
    expect((await uploadRow(good.uploadId)).status).toBe("accepted");
    expect((await uploadRow(bad.uploadId)).attempts).toBe(1);
    expect(await advisoryLocks()).toBe(0);
    baseline = await practiceState();
    await asOwner(`drop trigger boom on practices`);
    await expectNextValidAccepted();
  });

  it("an administrator marks a stuck upload failed: audited, the worker's session ended, the next file accepted", async () => {
    process.env.INGEST_TIME_LIMIT_BASE_MS = "600000";
    await triggerOn("PR-STUCK", "perform pg_sleep(120)");
    const { uploadId } = await store(withTrailer(T("31/07/2020", "STUCK-1"), D({ code: "PR-STUCK" })));
    await getDb().execute(sql`update uploads set received_at = now() - interval '1 hour' where id = ${uploadId}`);
    const running = ingestPendingUploads(await gestoreId(GESTORE_DEMO));
    for (const until = Date.now() + 20_000; Date.now() < until; ) {
      const [row] = await getDb().execute<{ phase: string }>(sql`select phase from uploads where id = ${uploadId}`);
      if (row!.phase === "applying" || row!.phase === "reading") break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await getDb().execute(sql`update uploads set started_at = now() - interval '1 hour' where id = ${uploadId}`);
    expect((await watchdogData()).overdue.map((u) => u.id)).toContain(uploadId);
    const admin = { actor: await viewerOf(PEOPLE.amministratore) } as unknown as SignedIn;
    const form = new FormData();
    form.set("intent", "fail");
    form.set("id", uploadId);
    const result = await handleWatchdogAction(new Request("http://localhost:3999/admin/caricamenti", { method: "POST" }), admin, form);
    expect(result).toMatchObject({ ok: true, message: expect.stringMatching(/codice E-[0-9A-F]{8}/) });
    await running;
    await expectFailedCleanly(uploadId, /amministratore/);
    const [audit] = await getDb().execute<{ actor_role: string }>(sql`select actor_role from audit_log where action = 'upload.fail' and object_id = ${uploadId}`);
    expect(audit!.actor_role).toBe("amministratore");
    expect((await watchdogData()).failed.map((u) => u.id)).toContain(uploadId);
    await asOwner(`drop trigger boom on practices`);
    await expectNextValidAccepted();
  }, 60_000);
});
