import type { ChildProcess } from "node:child_process";
import http from "node:http";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildIfNeeded } from "~/bin/build-if-needed";
import { WORKER_NODE_FLAGS } from "~/bin/worker-flags";
import { createApiToken } from "~/auth/api-tokens.server";
import { enqueue } from "~/jobs/queue.server";
import { setMeasureObligation } from "~/timeliness/settings.server";
import { getDb } from "~db/client";
import { uploads } from "~db/schema";
import { ACCESS_EXPIRY_QUEUE, ACCESS_REMINDER_QUEUE, REMINDERS_QUEUE } from "~/jobs/queues";
import { generateFile } from "../bench/generate";
import { freePort } from "../support/free-port";
import { GESTORE_ALTRO, GESTORE_DEMO, PEOPLE, seedDemo, userOf } from "../support/actors";
import { childPids, expectRunning, startProcess, waitFor } from "../support/processes";
import { signInOverHttp } from "../support/web-server";
import { fixture } from "../support/uploads";

// docs/decisions/0007: two web processes and two workers, real child processes as `npm start`
// runs them, on this file's one database; a request may go to either web process.
const children: ChildProcess[] = [];
const webs: string[] = [];
const workers: ReturnType<typeof startProcess>[] = [];

function start(script: string, env: Record<string, string> = {}, nodeFlags: string[] = []) {
  const child = startProcess(script, { env, nodeFlags });
  children.push(child);
  return child;
}

async function startWeb(env: Record<string, string> = {}) {
  const port = await freePort();
  const web = start("app/bin/web.ts", { PORT: String(port), ...env });
  const origin = `http://127.0.0.1:${port}`;
  await waitFor(`web on ${port}`, async () => {
    expectRunning(web, `the web process on ${port}`);
    return (await fetch(`${origin}/`).catch(() => null))?.ok;
  }, 180);
  return Object.assign(origin, { pid: web.pid!, stdoutTail: web.stdoutTail }) as string & { pid: number; stdoutTail: () => string };
}

const startWorker = () => {
  const w = start("app/bin/worker.ts", {}, WORKER_NODE_FLAGS);
  workers.push(w);
  return w;
};

/** The status of a GET on a new connection (no keep-alive), 0 when it fails or takes too long. */
function statusOf(url: string, timeout = 10_000) {
  return new Promise<number>((resolve) => {
    const req = http.get(url, { agent: false, timeout }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(0));
  });
}

const uploadRow = async (id: string) => (await getDb().select().from(uploads).where(eq(uploads.id, id)))[0]!;
const count = async (q: string) => Number((await getDb().execute<{ n: string }>(sql.raw(`select count(*)::text n from (${q}) x`)))[0]!.n);

beforeAll(async () => {
  buildIfNeeded();
  await seedDemo();
  webs.push(await startWeb(), await startWeb());
  startWorker();
  startWorker();
  // Ready once they have created their queues (the enablement ones are created last).
  await waitFor("the workers", async () => (await count(`select 1 from pgboss.queue where name in ('${ACCESS_EXPIRY_QUEUE}', '${ACCESS_REMINDER_QUEUE}')`)) === 2);
}, 300_000);

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
});

describe("two web processes and two workers on one database", () => {
  it("WEB_PROCESSES=2: two processes share one port; one killed with SIGKILL is replaced while the other answers", async () => {
    const web = await startWeb({ WEB_PROCESSES: "2", LOG_LEVEL: "info" });
    // Both must have loaded the app: on a busy machine the second may still be loading when the
    // first answers, and killing the only listening process closes the port.
    const listening = () => new Set([...web.stdoutTail().matchAll(/"msg":"web process listening","pid":(\d+)/g)].map((m) => Number(m[1])));
    const processes = await waitFor("two listening web processes", async () => {
      const pids = childPids(web.pid);
      return pids.length === 2 && pids.every((pid) => listening().has(pid)) ? pids : null;
    }, 180);
    process.kill(processes[0]!, "SIGKILL");
    // A request the dead process had accepted is lost with it; the next ones are answered (the
    // other process may still be loading the app on a busy machine: they wait for it).
    const during = await Promise.all(Array.from({ length: 10 }, () => statusOf(`${web}/accedi`, 90_000)));
    expect(during.filter((s) => s === 200).length).toBeGreaterThan(0);
    const replaced = await waitFor("a new web process", async () => {
      const now = childPids(web.pid);
      return now.length === 2 && !now.includes(processes[0]!) ? now : null;
    }, 60);
    expect(replaced).toContain(processes[1]);
    const after = await Promise.all(Array.from({ length: 10 }, () => statusOf(`${web}/accedi`)));
    expect(after).toEqual(Array(10).fill(200));
  }, 240_000);

  it("a SAML sign-in started on one web process completes on the other", async () => {
    const [a, b] = (webs as [string, string]).map((w) => ({ port: Number(new URL(w).port) }));
    // Started on a; the IdP step and the ACS post (with the browser's login binding) go to b.
    const { acs, jar } = await signInOverHttp(a!, PEOPLE.operatore, { redirectTo: "/enti", then: b! });
    expect(acs.status).toBe(302);
    const cookie = `gp_session=${jar.get("gp_session")}`;
    // Signed in on both processes.
    for (const origin of webs) {
      const page = await fetch(`${origin}/enti`, { headers: { cookie }, redirect: "manual" });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("Bianchi");
    }
  });

  it("one gestore's uploads, sent to both web processes, are applied in order exactly once while another's proceed", async () => {
    const [a, b] = webs as [string, string];
    const tokenOf = async (cf: string) => (await createApiToken(getDb(), { system: "test" }, { userId: (await userOf(cf)).id })).token;
    const [mine, theirs] = [await tokenOf(PEOPLE.operatore), await tokenOf(PEOPLE.altroOperatore)];
    const send = async (origin: string, token: string, body: Uint8Array) => {
      const r = await fetch(`${origin}/api/v1/uploads`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "text/plain", "x-file-name": "flusso.txt" },
        body: new Blob([body as BlobPart]),
      });
      expect(r.status).toBe(202);
      return ((await r.json()) as { id: string }).id;
    };
    const other = await send(b, theirs, Buffer.from(
      `T|1|${GESTORE_ALTRO}|31/07/2020|ALT-MP\nD|X-MP|COVID-LIQ|02342520158|Altra|042002|02/04/2020|PRESENTATA|02/04/2020|100|||\nC|1|100\n`,
    ));
    const first = await send(a, mine, fixture("valid-first.txt"));
    const second = await send(b, mine, fixture("valid-second.txt"));
    for (const id of [other, first, second]) await waitFor("uploads to complete", async () => (await uploadRow(id)).status !== "processing");
    // valid-second.txt depends on valid-first.txt: taken the other way round it would be refused.
    expect((await uploadRow(first)).status).toBe("accepted");
    expect(await uploadRow(second)).toMatchObject({ status: "accepted", created: 1, transitioned: 3 });
    expect((await uploadRow(other)).status).toBe("accepted");
    // Exactly once: no practice has the same move twice.
    expect(await count(`select practice_id, to_state from practice_history group by 1, 2 having count(*) > 1`)).toBe(0);
  }, 180_000);

  it("reminder and access-expiry jobs run by both workers at once send nothing twice", async () => {
    await setMeasureObligation(getDb(), { system: "test" }, { code: "COVID-LIQ", cadence: "monthly", day: 15, startsOn: "2020-01-01" });
    const jobs: { queue: string; id: string }[] = [];
    for (const queue of [REMINDERS_QUEUE, ACCESS_EXPIRY_QUEUE, ACCESS_REMINDER_QUEUE]) for (let i = 0; i < 4; i++) jobs.push({ queue, id: (await enqueue(queue, {}))! });
    await waitFor("the jobs to finish", async () => (await count(`select 1 from pgboss.job where id in (${jobs.map((j) => `'${j.id}'`).join(",")}) and state not in ('completed', 'failed')`)) === 0);
    expect(await count(`select 1 from pgboss.job where id in (${jobs.map((j) => `'${j.id}'`).join(",")}) and state = 'failed'`)).toBe(0);
    expect(await count(`select 1 from reminders`)).toBeGreaterThan(0);
    expect(await count(`select recipient, subject, text from mail_outbox group by 1, 2, 3 having count(*) > 1`)).toBe(0);
  }, 180_000);

  it("a worker killed with SIGKILL in the middle of a large file: the other completes it, nothing partial is visible", async () => {
    const [a] = webs as [string];
    const N = 200_000;
    const before = await count(`select 1 from practices`);
    const big = generateFile({ n: N, cf: GESTORE_DEMO, measure: "COVID-LIQ", step: 0, seed: 11, ref: "31/01/2021", id: "MULTI-1" });
    const token = (await createApiToken(getDb(), { system: "test" }, { userId: (await userOf(PEOPLE.operatore)).id })).token;
    const r = await fetch(`${a}/api/v1/uploads`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "text/plain" },
      body: new Blob(big.chunks as BlobPart[]),
    });
    expect(r.status).toBe(202);
    const id = ((await r.json()) as { id: string }).id;
    // Whichever worker took it is the one to kill: the one whose connection holds an advisory lock.
    const pids = workers.map((w) => w.pid);
    const victim = await waitFor("the worker holding the file", async () => {
      const rows = await getDb().execute<{ app: string }>(sql`
        select a.application_name as app from pg_locks l join pg_stat_activity a on a.pid = l.pid
         where l.locktype = 'advisory' and l.granted`);
      const pid = rows.map((r) => Number(r.app.split("/")[1])).find((p) => pids.includes(p));
      return workers.find((w) => w.pid === pid);
    });
    victim.kill("SIGKILL");
    await new Promise((res) => victim.once("exit", res));
    const interrupted = await uploadRow(id);
    expect(interrupted.status).toBe("processing");
    expect(interrupted.linesRead).toBeLessThan(N);
    expect(await count(`select 1 from practices`)).toBe(before);
    const survivor = workers.find((w) => w !== victim)!;
    const done = await waitFor("the other worker to complete the file", async () => {
      expectRunning(survivor, "the surviving worker");
      const row = await uploadRow(id);
      return row.status !== "processing" && row;
    }, 480);
    expect(done).toMatchObject({ status: "accepted", created: N });
    expect(await count(`select 1 from practices`)).toBe(before + N);
  }, 600_000);
});
