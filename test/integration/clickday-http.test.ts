import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureApplicant } from "~/applications/applicant.server";
import { startDraft } from "~/applications/applications.server";
import { markReady } from "~/applications/clickday.server";
import { completeClickDaySends } from "~/applications/clickday-complete.server";
import { actorOf, type SignedIn } from "~/auth/guards.server";
import { commitSessionCookie, createSession } from "~/auth/session.server";
import { fillDemoPages } from "~/demo/applications";
import { getDb, getSql } from "~db/client";
import { accesses, applications, clickDayEntries, clickDays, sessions } from "~db/schema";
import { insertClickDay, openClickDayIn, seedClickDayProcedure } from "../support/click-days";
import { freePort } from "../support/free-port";
import { expectRunning, startProcess, waitFor } from "../support/processes";
import { rawRequest } from "../support/web-server";

/**
 * The click day's send over HTTP through the real web process (issue 16, ADR 96–97): a web
 * process killed with SIGKILL in the middle of a burst loses no acknowledged send, and clients
 * retrying with their keys get their original acknowledgement; the limits per person and per
 * address answer 429 with Retry-After and an Italian message, and write nothing.
 */

type Ack = { applicationId: string; sendKey: string; number: string; rank: number; receivedAt: string; withinQuota: boolean };
type Client = { cookie: string; csrf: string; key: string; applicationId: string };

const request = new Request("http://127.0.0.1/click-day");
let procedureId: string;
let template: { data: Record<string, unknown> } & Record<string, unknown>;
const children: ReturnType<typeof startProcess>[] = [];

async function startWeb(env: Record<string, string> = {}) {
  const port = await freePort();
  const web = startProcess("app/bin/web.ts", { env: { PORT: String(port), BASE_URL: `http://127.0.0.1:${port}`, ...env } });
  children.push(web);
  const origin = `http://127.0.0.1:${port}`;
  await waitFor(`web on ${port}`, async () => {
    expectRunning(web, `the web process on ${port}`);
    return (await fetch(`${origin}/accedi`).catch(() => null))?.ok;
  }, 180);
  return { web, origin };
}

let serial = 0;
/** Applicants with one complete draft each, marked ready for `dayId`, each with a signed-in session. */
async function readyApplicants(n: number, dayId: string): Promise<Client[]> {
  const clients: Client[] = [];
  for (let i = 0; i < n; i++) {
    serial += 1;
    const fiscalCode = `CLKHTP${String(serial).padStart(4, "0")}AH501Z`;
    const { user, access } = await getSql().begin((tx) => ensureApplicant(tx, { fiscalCode, name: "Persona", surname: `Burst${serial}`, email: `burst${serial}@example.it` }, { system: "test" }, new Date()));
    const signedIn: SignedIn = { actor: actorOf(user, access), session: null as never };
    const id = await startDraft(request, signedIn, procedureId);
    // The answers of one draft filled through the wizard, copied: the wizard once per applicant would take minutes.
    await getDb().update(applications).set({ data: template.data }).where(eq(applications.id, id));
    await markReady(request, signedIn, dayId, id);
    const token = await createSession(getDb(), { userId: user.id, accessId: access.id });
    const [s] = await getDb().select().from(sessions).where(eq(sessions.userId, user.id));
    const [entry] = await getDb().select().from(clickDayEntries).where(eq(clickDayEntries.applicationId, id));
    clients.push({ cookie: (await commitSessionCookie(token)).split(";")[0]!, csrf: s!.csrfToken, key: entry!.sendKey, applicationId: id });
  }
  return clients;
}

const clickDay = (inSeconds: number, quota = 1000) => insertClickDay(procedureId, inSeconds, quota, "Click day HTTP");


/** The page's own post ("Invia le domande pronte"), read as Remix data; null when the connection failed. */
async function send(origin: string, dayId: string, c: Client, asData = true) {
  const path = `/click-day/${dayId}${asData ? `?_data=${encodeURIComponent("routes/click-day.$id")}` : ""}`;
  try {
    const r = await fetch(origin + path, {
      method: "POST",
      redirect: "manual",
      headers: { cookie: c.cookie, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrf: c.csrf, intent: "invia", chiave: c.key }).toString(),
    });
    return { status: r.status, retryAfter: r.headers.get("retry-after"), body: await r.text() };
  } catch {
    return null;
  }
}

const waitUntil = async (at: Date) => { while (Date.now() < at.getTime() + 50) await new Promise((r) => setTimeout(r, 20)); };
const entryOf = async (id: string) => (await getDb().select().from(clickDayEntries).where(eq(clickDayEntries.applicationId, id)))[0]!;

beforeAll(async () => {
  procedureId = await seedClickDayProcedure();
  const { user, access } = await getSql().begin((tx) => ensureApplicant(tx, { fiscalCode: "CLKHTPTMPL01H501", name: "Modello", surname: "Domanda", email: "modello@example.it" }, { system: "test" }, new Date()));
  const signedIn: SignedIn = { actor: actorOf(user, access), session: null as never };
  const id = await startDraft(request, signedIn, procedureId);
  await fillDemoPages(signedIn, id);
  [template] = (await getDb().select().from(applications).where(eq(applications.id, id))) as never[];
}, 180_000);

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
});

describe("click day over HTTP", () => {
  it("a web process killed with SIGKILL mid-burst loses no acknowledged send; retries with the same keys get the original acknowledgements", async () => {
    const N = 120;
    const day = await clickDay(3600);
    const clients = await readyApplicants(N, day.id);
    const first = await startWeb({ CLICK_DAY_SENDS_PER_ADDRESS_PER_MINUTE: "100000" });
    await waitUntil(await openClickDayIn(day.id, 2));

    const before = new Map<string, Ack>();
    let unansweredAtKill = 0;
    let next = 0;
    let killed = false;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < clients.length && !killed) {
          const c = clients[next++]!;
          const r = await send(first.origin, day.id, c);
          if (r?.status === 200) {
            const data = JSON.parse(r.body) as { ok: boolean; acks: Ack[] };
            expect(data.ok).toBe(true);
            for (const a of data.acks) before.set(a.applicationId, a);
          }
          // Killed once a few sends are acknowledged and others are still on the wire.
          if (!killed && before.size >= 10) {
            killed = true;
            unansweredAtKill = clients.length - before.size;
            first.web.kill("SIGKILL");
          }
        }
      }),
    );
    expect(killed).toBe(true);
    expect(unansweredAtKill).toBeGreaterThan(0);
    await waitFor("the killed process to end", async () => first.web.signalCode === "SIGKILL");

    // Every acknowledgement given before the kill is stored, with its rank and number (on the entry:
    // no worker runs here, so the sending is still to complete, ADR 64).
    for (const a of before.values()) {
      const e = await entryOf(a.applicationId);
      expect({ rank: e.rank, withinQuota: e.withinQuota, number: e.number }).toEqual({ rank: a.rank, withinQuota: a.withinQuota, number: a.number });
    }

    // Every client retries with its key on a new process: the acknowledged get their original ack.
    const second = await startWeb({ CLICK_DAY_SENDS_PER_ADDRESS_PER_MINUTE: "100000" });
    const after = new Map<string, Ack>();
    for (const c of clients) {
      const r = await send(second.origin, day.id, c);
      expect(r?.status).toBe(200);
      const data = JSON.parse(r!.body) as { ok: boolean; acks: Ack[] };
      expect(data.ok).toBe(true);
      for (const a of data.acks) after.set(a.applicationId, a);
    }
    for (const [id, a] of before) expect(after.get(id)).toEqual(a);
    expect(after.size).toBe(N);

    // The completion (the job's work) sends each acknowledged application once, with its acknowledged number.
    expect(await completeClickDaySends(day.id)).toBe(N);
    expect(await completeClickDaySends(day.id)).toBe(0);
    for (const a of before.values()) expect((await getDb().select().from(applications).where(eq(applications.id, a.applicationId)))[0]!.number).toBe(a.number);
    // Stored exactly once: ranks 1..N without gaps, distinct numbers, one machine history row each.
    const ranks = await getDb().execute<{ rank: number; number: string }>(sql`
      select e.rank, a.number from click_day_entries e join applications a on a.id = e.application_id where e.click_day_id = ${day.id} order by e.rank`);
    expect(ranks.map((r) => r.rank)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    expect(new Set(ranks.map((r) => r.number)).size).toBe(N);
    const [history] = await getDb().execute<{ n: number }>(sql`
      select count(*)::int n from machine_history h join click_day_entries e on e.application_id = h.object_id where e.click_day_id = ${day.id} and h.event = 'SUBMIT'`);
    expect(history!.n).toBe(N);
  }, 300_000);

  it("limits sends per person and per address: 429 with Retry-After and an Italian message, nothing written", async () => {
    const day = await clickDay(3600);
    const [person, neighbour, third] = await readyApplicants(3, day.id);
    const { origin } = await startWeb({ CLICK_DAY_SENDS_PER_PERSON_PER_MINUTE: "3", CLICK_DAY_SENDS_PER_ADDRESS_PER_MINUTE: "5" });
    // The windows are whole minutes: start well inside one.
    while (Date.now() % 60_000 > 40_000) await new Promise((r) => setTimeout(r, 500));
    await waitUntil(await openClickDayIn(day.id, 1));
    // A send without the session's CSRF token is refused before any limit is counted or anything written.
    const forged = await send(origin, day.id, { ...third!, csrf: "x".repeat(32) });
    expect(forged?.status).toBe(403);
    expect(forged!.body).toContain("Richiesta non valida: ricaricare la pagina e riprovare.");
    for (let i = 0; i < 3; i++) expect((await send(origin, day.id, person!))?.status).toBe(200);
    // The person's 4th attempt, as the page posts it (a document request).
    const page = await send(origin, day.id, person!, false);
    expect(page?.status).toBe(429);
    expect(Number(page!.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(page!.retryAfter)).toBeLessThanOrEqual(60);
    expect(page!.body).toMatch(/Troppi tentativi di invio: riprovare tra \d+ second[io]\. Le domande già inviate restano valide con la loro posizione\./);
    // The address has had 4 sends: one more passes, the next is refused and sends nothing.
    expect((await send(origin, day.id, neighbour!))?.status).toBe(200);
    const refused = await send(origin, day.id, third!);
    expect(refused?.status).toBe(429);
    expect(JSON.parse(refused!.body)).toMatchObject({ ok: false, error: expect.stringMatching(/^Troppi tentativi di invio: riprovare tra/) });
    expect(refused!.retryAfter).toMatch(/^\d+$/);
    const e = await entryOf(third!.applicationId);
    expect(e.rank).toBeNull();
    const [app] = await getDb().select().from(applications).where(eq(applications.id, third!.applicationId));
    expect({ state: app!.state, number: app!.number }).toEqual({ state: "bozza", number: null });
    expect((await getDb().select().from(clickDays).where(eq(clickDays.id, day.id)))[0]!.lastRank).toBe(2);
  }, 180_000);
  it("the send's short road (ADR 68) keeps every guard: no session, a revoked access, a forged token, a cross-site post, bad input or a body too large send nothing", async () => {
    const day = await clickDay(3600);
    const [revoked, forger, bulky, honest] = await readyApplicants(4, day.id);
    const { origin } = await startWeb({ CLICK_DAY_SENDS_PER_ADDRESS_PER_MINUTE: "100000" });
    const port = Number(new URL(origin).port);
    await waitUntil(await openClickDayIn(day.id, 1));
    const path = `/click-day/${day.id}?_data=${encodeURIComponent("routes/click-day.$id")}`;
    const post = (c: Client, body: string | AsyncIterable<Buffer>, headers: Record<string, string> = {}) =>
      rawRequest({ port }, { method: "POST", path, headers: { cookie: c.cookie, "content-type": "application/x-www-form-urlencoded", ...headers }, body });
    const form = (c: Client, fields: Record<string, string> = {}) => new URLSearchParams({ csrf: c.csrf, intent: "invia", chiave: c.key, ...fields }).toString();
    const nothingSent = async (c: Client) => {
      expect((await entryOf(c.applicationId)).rank).toBeNull();
      const [app] = await getDb().select().from(applications).where(eq(applications.id, c.applicationId));
      expect({ state: app!.state, number: app!.number }).toEqual({ state: "bozza", number: null });
    };

    // Signed out: the data request is sent to the sign-in, as Remix would (204 + X-Remix-Redirect), with the security headers.
    const anonymous = await post({ ...honest!, cookie: "" }, form(honest!));
    expect(anonymous.status).toBe(204);
    expect(anonymous.headers["x-remix-redirect"]).toMatch(/^\/accedi\?redirectTo=/);
    expect(anonymous.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(anonymous.headers["x-frame-options"]).toBe("DENY");
    expect(anonymous.headers["x-content-type-options"]).toBe("nosniff");

    // An access revoked after the sign-in ends the session at this very request.
    await getDb().update(accesses).set({ status: "revoked", revokedAt: new Date() }).where(eq(accesses.userId, (await getDb().select().from(clickDayEntries).where(eq(clickDayEntries.applicationId, revoked!.applicationId)))[0]!.applicantUserId));
    const afterRevocation = await post(revoked!, form(revoked!));
    expect(afterRevocation.status).toBe(204);
    expect(afterRevocation.headers["x-remix-redirect"]).toMatch(/^\/accedi/);
    await nothingSent(revoked!);

    // A forged CSRF token (same length, compared in constant time): 403 and the Italian message.
    const forged = await post(forger!, form(forger!, { csrf: forger!.csrf.replace(/./, (ch) => (ch === "A" ? "B" : "A")) }));
    expect(forged.status).toBe(403);
    expect(forged.body).toContain("Richiesta non valida: ricaricare la pagina e riprovare.");
    await nothingSent(forger!);

    // A post from another site's page: the request checks refuse it before the session is read.
    const crossSite = await post(forger!, form(forger!), { origin: "http://evil.example" });
    expect(crossSite.status).toBe(400);
    expect(crossSite.body).toContain("i moduli di questo sito si inviano solo dalle sue pagine");
    await nothingSent(forger!);

    // Input zod refuses (a key that is not a key), and a character nothing may store.
    const badKey = await post(forger!, form(forger!, { chiave: "non-una-chiave" }));
    expect(JSON.parse(badKey.body)).toEqual({ ok: false, error: "Richiesta non valida: ricaricare la pagina del click day e riprovare." });
    const nul = await post(forger!, form(forger!, { intent: "invia\u0000" }));
    expect(nul.status).toBe(400);
    expect(nul.body).toContain("Campo «intent»");
    await nothingSent(forger!);

    // A body over 16 KB sent in chunks (no length declared) is cut off: 413, Italian, nothing sent.
    async function* chunked() {
      yield Buffer.from(form(bulky!) + "&");
      for (let i = 0; i < 20; i++) yield Buffer.from(`x${i}=${"a".repeat(1000)}&`);
    }
    const tooLarge = await post(bulky!, chunked());
    expect(tooLarge.status).toBe(413);
    expect(JSON.parse(tooLarge.body)).toEqual({ message: "Richiesta troppo grande." });
    await nothingSent(bulky!);
    // Declared over the form limit (1 MB): refused before reading, as every page's post.
    const declared = await post(bulky!, "x", { "content-length": String(2 * 1024 * 1024) });
    expect(declared.status).toBe(413);
    expect(declared.body).toContain("Richiesta troppo grande.");
    await nothingSent(bulky!);

    // The honest send on the same road: acknowledged, ranked first.
    const ok = await post(honest!, form(honest!));
    expect(ok.status).toBe(200);
    expect(ok.headers["x-remix-response"]).toBe("yes");
    expect(ok.headers["content-security-policy"]).toContain("script-src 'self' 'nonce-");
    expect(JSON.parse(ok.body)).toMatchObject({ ok: true, acks: [{ applicationId: honest!.applicationId, rank: 1 }] });
    expect((await getDb().select().from(clickDays).where(eq(clickDays.id, day.id)))[0]!.lastRank).toBe(1);
  }, 180_000);
});
