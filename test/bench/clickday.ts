import http from "node:http";
import os from "node:os";
import { commitSessionCookie, hashToken, randomToken } from "~/auth/session.server";
import { fillDemoPages, seedDemoApplications } from "~/demo/applications";
import { seedDemoCatalogue } from "~/demo/catalogue";
import { benchDatabase } from "./database";
import { startSmtpServer } from "../support/smtp";
import { buildIfStale, percentile, postgresCpuMs, processCpuMs, startBenchWeb, startBenchWorker } from "./web";

/**
 * npm run bench:clickday — the click day's peak (issue 16, docs/decisions/0086). Prepares
 * BENCH_APPLICANTS (default 50,000) applicants, each with a session and one application ready for
 * a click day, on a fresh database; starts the web server in production mode; at the opening,
 * BENCH_CONNECTIONS (256, ADR 130) keep-alive connections of one bounded client on 127.0.0.1 post each
 * applicant's send once (a 2nd attempt with the same key only after a network error). Prints
 * acknowledgements per second and p50/p99 time to acknowledgement, then checks in the database:
 * every acknowledged send stored exactly once, ranks without gaps and agreeing with the
 * acknowledgements, no 5xx. Ends with
 * `acks_per_s=<n> p99_ms=<n> lost=<n> duplicates=<n> errors_5xx=<n>`. The job worker runs from
 * the opening (a real SMTP server on loopback receives the mails): once every send is in, the
 * line `completed_done_s=<n> receipts_done_s=<n> mails_done_s=<n>` says how long after the opening
 * the last acknowledged send was completed (ADR 64: issue 15's sending, by the job), the last PDF
 * receipt was stored and the last confirmation mail delivered (BENCH_RECEIPTS_MAX_S, default 1800, caps the
 * wait; 0 skips the worker).
 */
const N = Number(process.env.BENCH_APPLICANTS ?? 50_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 256);

const { url, sql, finish } = await benchDatabase("clickday");
await seedDemoCatalogue(url);
await seedDemoApplications();
const [procedure] = await sql<{ id: string }[]>`select id from procedures where title = 'Contributo per nuove assunzioni 2026'`;
// One complete draft made through the wizard's own save, then copied to every applicant.
const [sofia] = await sql<{ id: string }[]>`select u.id, a.id as access_id from users u join accesses a on a.user_id = u.id where u.fiscal_code = 'RMNSFO88C52H501R'`;
const [template] = await sql<{ id: string }[]>`select id from applications where applicant_user_id = ${sofia!.id} and state = 'bozza'`;
const { actorOf } = await import("~/auth/guards.server");
const { getDb } = await import("~db/client");
const { users, accesses } = await import("~db/schema");
const { eq } = await import("drizzle-orm");
const [u] = await getDb().select().from(users).where(eq(users.id, sofia!.id));
const [acc] = await getDb().select().from(accesses).where(eq(accesses.userId, sofia!.id));
await fillDemoPages({ actor: actorOf(u!, acc!), session: null as never }, template!.id);

console.log(`Preparing ${N} applicants with a ready application…`);
let t = performance.now();
await sql`
  insert into users (fiscal_code, name, surname, email)
  select 'BCD' || lpad(i::text, 13, '0'), 'Richiedente', 'N' || i, 'bench' || i || '@example.it' from generate_series(1, ${N}) i`;
await sql`insert into accesses (user_id, role) select id, 'richiedente' from users where fiscal_code like 'BCD%'`;
await sql`
  insert into applications (procedure_id, form_model_id, applicant_user_id, state, snapshot, data)
  select t.procedure_id, t.form_model_id, u.id, 'bozza', t.snapshot, t.data
  from users u, applications t where u.fiscal_code like 'BCD%' and t.id = ${template!.id}`;
const [day] = await sql<{ id: string }[]>`
  insert into click_days (procedure_id, label, opens_at, quota) values (${procedure!.id}, 'Click day bench', now() + interval '1 day', ${Math.ceil(N / 2)}) returning id`;
await sql`
  insert into click_day_entries (application_id, click_day_id, applicant_user_id, ready_at)
  select a.id, ${day!.id}, a.applicant_user_id, now() from applications a join users u on u.id = a.applicant_user_id where u.fiscal_code like 'BCD%'`;
const people = await sql<{ user_id: string; access_id: string; send_key: string; application_id: string }[]>`
  select e.applicant_user_id as user_id, ac.id as access_id, e.send_key, e.application_id
  from click_day_entries e join accesses ac on ac.user_id = e.applicant_user_id where e.click_day_id = ${day!.id}`;
const clients: { cookie: string; body: string; applicationId: string }[] = [];
for (let i = 0; i < people.length; i += 5000) {
  const rows = people.slice(i, i + 5000).map((p) => ({ p, token: randomToken(), csrf: randomToken(24) }));
  await sql`insert into sessions ${sql(rows.map((r) => ({ id_hash: hashToken(r.token), user_id: r.p.user_id, access_id: r.p.access_id, csrf_token: r.csrf, expires_at: new Date(Date.now() + 86_400_000) })))}`;
  for (const r of rows) {
    const cookie = (await commitSessionCookie(r.token)).split(";")[0]!.replace(/^gp_session=/, "__Host-gp_session=");
    clients.push({ cookie, body: new URLSearchParams({ csrf: r.csrf, intent: "invia", chiave: r.p.send_key }).toString(), applicationId: r.p.application_id });
  }
}
await sql`analyze`;
console.log(`  prepared in ${((performance.now() - t) / 1000).toFixed(1)} s`);

buildIfStale();
// Every simulated applicant comes from 127.0.0.1: the per-address limit (ADR 97) would stop the load client.
process.env.CLICK_DAY_SENDS_PER_ADDRESS_PER_MINUTE = String(10 * N);
const web = await startBenchWeb(url);
// The applicants opened the page minutes ago and watched the countdown: each session is due a "last seen" update.
await sql`update sessions set last_seen_at = now() - interval '5 minutes' where user_id in (select applicant_user_id from click_day_entries where click_day_id = ${day!.id})`;
const [opening] = await sql<{ opens_at: Date }[]>`update click_days set opens_at = date_trunc('second', now()) + interval '3 seconds' where id = ${day!.id} returning opens_at`;
const RECEIPTS_MAX_S = Number(process.env.BENCH_RECEIPTS_MAX_S ?? 1800);
const smtp = RECEIPTS_MAX_S > 0 ? await startSmtpServer() : null;
const worker = smtp ? await startBenchWorker(url, { SMTP_URL: smtp.url, MAIL_FROM: "click-day@bench.invalid" }) : null;
const path = `/click-day/${day!.id}?_data=${encodeURIComponent("routes/click-day.$id")}`;
const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
type Ack = { applicationId: string; rank: number; number: string };
const acks: (Ack & { ms: number; order: number })[] = [];
let errors5xx = 0;
let refusals = 0;
let networkErrors = 0;
let firstProblem: string | null = null;

function post(c: (typeof clients)[number]) {
  return new Promise<{ status: number; body: string } | null>((resolve) => {
    const req = http.request(web.base + path, { method: "POST", agent, headers: { cookie: c.cookie, "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(c.body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (b: Buffer) => chunks.push(b));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on("error", (e) => { networkErrors++; firstProblem ??= e.message; resolve(null); });
    req.end(c.body);
  });
}

while (Date.now() < opening!.opens_at.getTime()) await new Promise((r) => setTimeout(r, 5));
console.log(`Sending: ${clients.length} applicants over ${CONNECTIONS} keep-alive connections…`);
let next = 0;
// CPU per acknowledged send (ADR 57): waiting for a core does not count, so attempts compare across loads.
const cpu0 = { web: processCpuMs(web.pid), pg: await postgresCpuMs(sql), worker: worker ? processCpuMs(worker.pid) : 0 };
const client0 = process.cpuUsage();
t = performance.now();
await Promise.all(
  Array.from({ length: CONNECTIONS }, async () => {
    while (next < clients.length) {
      const c = clients[next++]!;
      const started = performance.now();
      let r = await post(c);
      if (!r) r = await post(c); // a retry after a network error, with the same idempotency key
      if (!r) continue;
      if (r.status >= 500) { errors5xx++; firstProblem ??= `HTTP ${r.status}`; continue; }
      const data = r.status === 200 ? (JSON.parse(r.body) as { ok: boolean; acks?: Ack[]; error?: string }) : null;
      if (!data?.ok || !data.acks?.length) { refusals++; firstProblem ??= `HTTP ${r.status} ${data?.error ?? r.body.slice(0, 120)}`; continue; }
      for (const a of data.acks) acks.push({ ...a, ms: performance.now() - started, order: acks.length });
    }
  }),
);
const seconds = (performance.now() - t) / 1000;
const client1 = process.cpuUsage(client0);
const cpu1 = { web: processCpuMs(web.pid), pg: await postgresCpuMs(sql), worker: worker ? processCpuMs(worker.pid) : 0 };
agent.destroy();
await web.stop();

const stored = await sql<{ application_id: string; rank: number; number: string }[]>`
  select e.application_id, e.rank, e.number from click_day_entries e where e.click_day_id = ${day!.id} and e.rank is not null order by e.rank`;
const byApp = new Map(stored.map((s) => [s.application_id, s]));
const lost = acks.filter((a) => { const s = byApp.get(a.applicationId); return !s || s.rank !== a.rank || s.number !== a.number; }).length;
const seen = new Set<string>();
let duplicates = 0;
for (const a of acks) { if (seen.has(a.applicationId)) duplicates++; seen.add(a.applicationId); }
// The number is taken at the acknowledgement (on the entry) and copied to the application by the completion (ADR 64).
const [dup] = await sql<{ n: number }[]>`select (select count(*) - count(distinct number) from applications where number is not null) + (select count(number) - count(distinct number) from click_day_entries) as n`;
duplicates += Number(dup!.n);
const gapless = stored.every((s, i) => s.rank === i + 1);
const inOrder = [...acks].sort((x, y) => x.order - y.order);
// The acknowledgements one connection got follow the ranks; across connections answers may cross on the wire.
const times = acks.map((a) => a.ms);
const acksPerS = Math.round(acks.length / seconds);
const p50 = Math.round(percentile(times, 50));
const p99 = Math.round(percentile(times, 99));
console.log(`acknowledged ${acks.length} of ${clients.length} in ${seconds.toFixed(1)} s: ${acksPerS}/s; p50 ${p50} ms, p99 ${p99} ms`);
console.log(`stored sends ${stored.length}; ranks gapless 1..${stored.length}: ${gapless ? "yes" : "NO"}; every ack stored with its rank and number: ${lost === 0 ? "yes" : "NO"}; unacknowledged ${clients.length - new Set(acks.map((a) => a.applicationId)).size}; refusals ${refusals}; network errors ${networkErrors}${firstProblem ? `; first problem: ${firstProblem}` : ""}`);
const perSend = (ms: number | null) => (ms === null ? "n/a" : (ms / Math.max(1, acks.length)).toFixed(2));
console.log(
  `cpu_ms_per_send web=${perSend(cpu1.web - cpu0.web)} pg=${perSend(cpu0.pg === null || cpu1.pg === null ? null : cpu1.pg - cpu0.pg)} worker=${perSend(cpu1.worker - cpu0.worker)} (during the burst; load average ${os.loadavg()[0]!.toFixed(1)})`,
);
// The load client shares the two cores: what it spends is CPU the platform cannot have on this machine.
console.log(`cpu_ms_per_send client=${perSend((client1.user + client1.system) / 1000)} (this load client, same cores)`);
console.log(`acks in order received: first rank ${inOrder[0]?.rank ?? "-"}, last rank ${inOrder.at(-1)?.rank ?? "-"}`);
if (worker && smtp) {
  // The receipts and mails follow through jobs; the figure is from the opening to the last one done.
  const since = (done: number) => ((done - opening!.opens_at.getTime()) / 1000).toFixed(0);
  const counts = async () =>
    (await sql<{ completed: number; receipts: number; mails: number }[]>`
      select (select count(*)::int from click_day_entries e join applications a on a.id = e.application_id where e.click_day_id = ${day!.id} and e.completed_at is not null and a.number = e.number) as completed,
             (select count(distinct f.application_id)::int from application_files f join click_day_entries e on e.application_id = f.application_id where f.kind = 'ricevuta' and e.click_day_id = ${day!.id}) as receipts,
             (select count(*)::int from mail_outbox m join click_day_entries e on m.dedupe_key = 'application-sent:' || e.application_id where e.click_day_id = ${day!.id} and m.state = 'sent') as mails`)[0]!;
  let completedDone = 0;
  let receiptsDone = 0;
  let mailsDone = 0;
  const deadline = Date.now() + RECEIPTS_MAX_S * 1000;
  for (let last = ""; Date.now() < deadline; await new Promise((r) => setTimeout(r, 1000))) {
    const c = await counts();
    if (!completedDone && c.completed >= stored.length) completedDone = Date.now();
    if (!receiptsDone && c.receipts >= stored.length) receiptsDone = Date.now();
    if (!mailsDone && c.mails >= stored.length) mailsDone = Date.now();
    const line = `  completed ${c.completed}/${stored.length}, receipts ${c.receipts}/${stored.length}, mails ${c.mails}/${stored.length}`;
    if (line !== last && Math.floor(Date.now() / 10_000) !== Math.floor((Date.now() - 1000) / 10_000)) console.log((last = line));
    if (receiptsDone && mailsDone) break;
  }
  await worker.stop();
  await smtp.close();
  console.log(`completed_done_s=${completedDone ? since(completedDone) : `>${RECEIPTS_MAX_S}`} receipts_done_s=${receiptsDone ? since(receiptsDone) : `>${RECEIPTS_MAX_S}`} mails_done_s=${mailsDone ? since(mailsDone) : `>${RECEIPTS_MAX_S}`}`);
}
await finish();
console.log(`acks_per_s=${acksPerS} p99_ms=${p99} lost=${lost} duplicates=${duplicates} errors_5xx=${errors5xx}`);
process.exit(0);
