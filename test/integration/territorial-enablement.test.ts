import { and, count, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  decideEnablementRequest,
  revokeAccess,
  submitEnablementRequests,
  withdrawEnablementRequest,
  type EnablementActor,
} from "~/enablement/enablement.server";
import { personalFiscalCodeCheckChar } from "~/lib/fiscal-code";
import { setAtsQuota, setRegionQuota } from "~/territories/territories.server";
import { getDb } from "~db/client";
import { listPeopleInScope, listRequestsInScope } from "~db/queries/enablement";
import { accesses, auditLog, enablementRequests } from "~db/schema";
import { enablementActorOf, PEOPLE, seedDemo, TERRITORIAL_PEOPLE } from "../support/actors";

/** A valid codice fiscale for surname and name letters (born 1 January 1980 in Rome, man). */
function cf(surnameLetters: string, nameLetters: string) {
  const first15 = `${surnameLetters}${nameLetters}80A01H501`;
  return first15 + personalFiscalCodeCheckChar(first15);
}

const actor = (fiscalCode: string): Promise<{ actor: EnablementActor; ip: string }> => enablementActorOf(fiscalCode);

const db = () => getDb();
const requestCount = async () => (await db().select({ n: count() }).from(enablementRequests))[0]!.n;
const LETTERS = ["BCD", "FGH", "LMN", "PQR", "STV", "BDF", "GHL", "MNP", "QRS", "TVZ", "CDF", "HLM"];
/** The n-th person with a distinct, valid codice fiscale (names match its letters). */
const person = (n: number, extra: Record<string, string> = {}) => ({
  surname: `${LETTERS[n]!}a`,
  name: `${LETTERS[(n + 3) % LETTERS.length]!}o`,
  fiscalCode: cf(LETTERS[n]!, LETTERS[(n + 3) % LETTERS.length]!),
  email: `persona${n}@territorio.example.it`,
  ...extra,
});

let referente: Awaited<ReturnType<typeof actor>>;
let atsAdmin: Awaited<ReturnType<typeof actor>>;
let admin: Awaited<ReturnType<typeof actor>>;

beforeAll(async () => {
  await seedDemo();
  referente = await actor(TERRITORIAL_PEOPLE.referenteRegionale);
  atsAdmin = await actor(TERRITORIAL_PEOPLE.amministratoreAts);
  admin = await actor(PEOPLE.amministratore);
});

describe("a regional referente's requests: at most 8 regional users per Region", () => {
  const ids: string[] = [];

  it("seven requests pass; of two ninth-or-eighth at once exactly one is stored", async () => {
    for (let n = 0; n < 7; n++) {
      const r = await submitEnablementRequests(referente, [person(n, { confirm: "1" })], { confirmMismatch: true });
      expect(r.ok, JSON.stringify(r)).toBe(true);
      ids.push(...(r as { ids: string[] }).ids);
    }
    const before = await requestCount();
    const both = await Promise.all([
      submitEnablementRequests(referente, [person(7)], { confirmMismatch: true }),
      submitEnablementRequests(referente, [person(8)], { confirmMismatch: true }),
    ]);
    expect(both.filter((r) => r.ok)).toHaveLength(1);
    const refused = both.find((r) => !r.ok) as { errors: { message: string }[] };
    expect(refused.errors[0]!.message).toBe(
      "Quota superata: Regione Marche ha 8 utenti abilitati o in attesa su un massimo di 8; con questa richiesta sarebbero 9",
    );
    expect(await requestCount()).toBe(before + 1);
    ids.push(...(both.find((r) => r.ok) as { ids: string[] }).ids);
  });

  it("the ninth is refused with the Italian message and nothing written", async () => {
    const before = await requestCount();
    const r = await submitEnablementRequests(referente, [person(9)], { confirmMismatch: true });
    expect(r).toMatchObject({ ok: false, errors: [{ message: expect.stringContaining("Quota superata: Regione Marche ha 8 utenti") }] });
    expect(await requestCount()).toBe(before);
  });

  it("the requests are regional: operatore territoriale for the Region, listed in the referente's scope only", async () => {
    const rows = await db().select().from(enablementRequests).where(eq(enablementRequests.requestedBy, referente.actor.userId));
    expect(rows).toHaveLength(8);
    for (const r of rows) expect(r).toMatchObject({ role: "operatore_territoriale", territoryLevel: "regione", territoryCode: "11", gestoreId: null, orgUnitId: null });
    const listed = await listRequestsInScope(db(), referente.actor);
    expect(listed.map((r) => r.id).sort()).toEqual(rows.map((r) => r.id).sort());
    expect(listed[0]!.scopeName).toBe("Regione Marche");
    expect(await listRequestsInScope(db(), atsAdmin.actor)).toHaveLength(0);
  });

  it("an administrator raises the Region's quota: the ninth passes", async () => {
    await setRegionQuota(db(), { actor: admin.actor }, "11", { quota: "9" });
    const r = await submitEnablementRequests(referente, [person(9)], { confirmMismatch: true });
    expect(r.ok).toBe(true);
    ids.push(...(r as { ids: string[] }).ids);
    await setRegionQuota(db(), { actor: admin.actor }, "11", { quota: "8" });
  });

  it("approval: the access is regional, expires, and counts against the quota (over quota: refused, nothing written)", async () => {
    await withdrawEnablementRequest(referente, ids.pop()!);
    for (const id of ids) await decideEnablementRequest(admin, id, { decision: "approve" });
    const granted = await db().select().from(accesses).where(and(eq(accesses.territoryCode, "11"), eq(accesses.role, "operatore_territoriale")));
    expect(granted).toHaveLength(8);
    for (const a of granted) expect(a).toMatchObject({ status: "active", territoryLevel: "regione", expiresAt: expect.any(Date) });
    const people = await listPeopleInScope(db(), referente.actor);
    expect(people).toHaveLength(8);
    expect(people[0]!.scopeName).toBe("Regione Marche");
    // A quota lowered below the people enabled: a new request is refused.
    const r = await submitEnablementRequests(referente, [person(10)], { confirmMismatch: true });
    expect(r.ok).toBe(false);
  });

  it("the referente revokes one of its users; the ATS administrator cannot", async () => {
    const [one] = await listPeopleInScope(db(), referente.actor);
    await expect(revokeAccess(atsAdmin, one!.accessId)).rejects.toThrow("Abilitazione non trovata");
    await revokeAccess(referente, one!.accessId, { reason: "cambio di ufficio" });
    const [row] = await db().select().from(accesses).where(eq(accesses.id, one!.accessId));
    expect(row!.status).toBe("revoked");
  });
});

describe("outside one's territory: refused, Italian message, nothing written, audited", () => {
  it.each([
    ["another Region", "referente", "regione:12"],
    ["an ATS of its Region (not a regional user)", "referente", "ats:DEMO-ATS-042"],
    ["a municipality of another ATS", "ats", "comune:041044"],
    ["another ATS", "ats", "ats:DEMO-ATS-041"],
    ["the Region above its ATS", "ats", "regione:11"],
    ["nonsense", "ats", "ovunque"],
  ] as const)("%s", async (_, requester, territory) => {
    const who = requester === "referente" ? referente : atsAdmin;
    const before = await requestCount();
    const denied = async () => (await db().select({ n: count() }).from(auditLog).where(and(eq(auditLog.action, "enablement_request.submit"), eq(auditLog.outcome, "denied"))))[0]!.n;
    const deniedBefore = await denied();
    const r = await submitEnablementRequests(who, [person(11, { territory })], { confirmMismatch: true });
    expect(r).toEqual({ ok: false, errors: [{ row: 1, message: "Puoi chiedere abilitazioni solo per il tuo territorio" }], warnings: [] });
    expect(await requestCount()).toBe(before);
    expect(await denied()).toBe(deniedBefore + 1);
  });

  it("a gestore's referente cannot name a territory", async () => {
    const gestoreReferente = await actor(PEOPLE.referente);
    const r = await submitEnablementRequests(gestoreReferente, [person(11, { territory: "regione:11" })], { confirmMismatch: true });
    expect(r).toMatchObject({ ok: false, errors: [{ message: "Puoi chiedere abilitazioni solo per il tuo ente gestore" }] });
  });
});

describe("an ATS administrator's requests: users of the ATS and of its municipalities, quota per ATS", () => {
  it("requests a user of a municipality of the ATS and one of the ATS; approval scopes each access", async () => {
    const r = await submitEnablementRequests(atsAdmin, [person(0, { territory: "comune:042002" }), person(1, { territory: "ats:DEMO-ATS-042" })], { confirmMismatch: true });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const [a, b] = (r as { ids: string[] }).ids;
    await decideEnablementRequest(admin, a!, { decision: "approve" });
    await decideEnablementRequest(admin, b!, { decision: "approve" });
    const rows = await db().select().from(enablementRequests).where(sql`${enablementRequests.id} in (${a}, ${b})`);
    const granted = await db().select().from(accesses).where(sql`${accesses.id} in (${rows[0]!.accessId}, ${rows[1]!.accessId})`);
    expect(granted.map((g) => `${g.territoryLevel}:${g.territoryCode}`).sort()).toEqual(["ats:DEMO-ATS-042", "comune:042002"]);
    const names = (await listPeopleInScope(db(), atsAdmin.actor)).map((p) => p.scopeName).sort();
    expect(names).toEqual(["ATS Ancona (dimostrativo)", "ATS Ancona (dimostrativo)", "Comune di Ancona"]);
  });

  it("the ATS's quota counts the ATS and its municipalities together; over it, refused and nothing written", async () => {
    // Holders now: the demo operatrice, and the two just approved.
    await setAtsQuota(db(), { actor: admin.actor }, "DEMO-ATS-042", { quota: "4" });
    const before = await requestCount();
    const r = await submitEnablementRequests(atsAdmin, [person(2, { territory: "comune:042002" }), person(3, { territory: "comune:042010" })], { confirmMismatch: true });
    expect(r).toMatchObject({
      ok: false,
      errors: [{ message: "Quota superata: ATS Ancona (dimostrativo) ha 3 utenti abilitati o in attesa su un massimo di 4; con questa richiesta sarebbero 5" }],
    });
    expect(await requestCount()).toBe(before);
    expect((await submitEnablementRequests(atsAdmin, [person(2, { territory: "comune:042010" })], { confirmMismatch: true })).ok).toBe(true);
  });

  it("the quota is checked again on approval: a quota lowered meanwhile refuses it", async () => {
    const [pending] = await listRequestsInScope(db(), atsAdmin.actor).then((rs) => rs.filter((r) => r.state === "submitted"));
    await setAtsQuota(db(), { actor: admin.actor }, "DEMO-ATS-042", { quota: "3" });
    await expect(decideEnablementRequest(admin, pending!.id, { decision: "approve" })).rejects.toThrow(
      "Quota raggiunta: ATS Ancona (dimostrativo) ha già 3 utenti abilitati su un massimo di 3",
    );
    const [row] = await db().select().from(enablementRequests).where(eq(enablementRequests.id, pending!.id));
    expect(row!.state).toBe("submitted");
  });

  it.each([["0"], ["501"], ["otto"]])("a quota of %s is refused in Italian", async (quota) => {
    await expect(setAtsQuota(db(), { actor: admin.actor }, "DEMO-ATS-042", { quota })).rejects.toThrow(/Numero massimo di utenti/);
    const [row] = await db().execute<{ user_quota: number }>(sql`select user_quota from ats where code = 'DEMO-ATS-042'`);
    expect(row!.user_quota).toBe(3);
  });
});
