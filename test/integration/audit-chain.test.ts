import { sql } from "drizzle-orm";
import postgres from "postgres";
import { beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "~/audit/audit-chain.server";
import { audit } from "~/audit/audit.server";
import { romeDate } from "~/lib/dates";
import { getDb } from "~db/client";
import { PEOPLE, seedDemo, userOf } from "../support/actors";
import { admin } from "../support/admin-cli";

/** As the table owner, the one who could bypass the append-only trigger. */
async function asOwner<T>(work: (sql: postgres.Sql) => Promise<T>) {
  const owner = postgres(process.env.TEST_OWNER_DATABASE_URL!, { max: 1, onnotice: () => {} });
  try {
    return await work(owner);
  } finally {
    await owner.end();
  }
}

async function tamper(statement: string) {
  await asOwner((o) =>
    o.begin(async (tx) => {
      await tx.unsafe("alter table audit_log disable trigger audit_log_no_update_delete");
      await tx.unsafe(statement);
      await tx.unsafe("alter table audit_log enable trigger audit_log_no_update_delete");
    }),
  );
}

const idOf = async (action: string) => Number((await getDb().execute<{ id: string }>(sql`select id::text from audit_log where action = ${action}`))[0]!.id);

// Each command line run starts a process: seconds each on a busy machine.
const CLI_TIMEOUT = 180_000;

beforeAll(seedDemo);

describe("the audit hash chains", () => {
  it("stay whole under many concurrent transactions, some rolled back, some holding their chain long", async () => {
    const db = getDb();
    const before = (await verifyAuditChain(db)).rows;
    const writers = Array.from({ length: 40 }, (_, i) =>
      db
        .transaction(async (tx) => {
          for (let k = 0; k < 3; k++) await audit(tx, { system: "test" }, { action: "test.concurrent", details: { i, k } });
          if (i % 5 === 0) await tx.execute(sql`select pg_sleep(0.3)`);
          if (i % 4 === 0) throw new Error("rolled back");
        })
        .catch((e: Error) => {
          if (e.message !== "rolled back") throw e;
        }),
    );
    await Promise.all(writers);
    const report = await verifyAuditChain(db);
    expect(report.broken).toBeNull();
    expect(report.rows - before).toBe(30 * 3);
    const [c] = await db.execute<{ chains: string; rows: string }>(
      sql`select count(distinct chain)::text chains, count(*)::text rows from audit_log where action = 'test.concurrent'`,
    );
    expect(Number(c!.chains)).toBeGreaterThan(1);
    // One transaction's rows follow one another in one chain.
    const [spread] = await db.execute<{ n: string }>(
      sql`select count(*)::text n from (select details->>'i' from audit_log where action = 'test.concurrent' group by 1 having count(distinct chain) > 1) x`,
    );
    expect(Number(spread!.n)).toBe(0);
  });

  it("audit:verify names the row the table owner altered; --from limits the walk", async () => {
    expect(await admin("audit:verify")).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Registro integro: \d+ righe verificate/) });

    await audit(null, { actor: { fiscalCode: PEOPLE.funzionario } }, { action: "test.tamper-target", details: { amount: "100,00" } });
    await audit(null, { system: "test" }, { action: "test.after-target" });
    const target = await idOf("test.tamper-target");
    const [original] = await getDb().execute<{ hash: string }>(sql`select hash from audit_log where id = ${target}`);
    await tamper(`update audit_log set details = '{"amount": "1,00"}' where id = ${target}`);
    let out = await admin("audit:verify");
    expect(out.code).toBe(3);
    expect(out.stdout).toContain(`Registro alterato: la prima interruzione è alla riga ${target} `);
    expect(out.stdout).toContain("contenuto alterato");

    // Recomputing the altered row's own hash does not help: the next row links to the old one.
    await tamper(`update audit_log a set hash = audit_log_row_hash(a) where id = ${target}`);
    out = await admin("audit:verify");
    expect(out.code).toBe(3);
    const [next] = await getDb().execute<{ id: string }>(
      sql`select n.id::text from audit_log t join audit_log n on n.chain = t.chain and n.seq = t.seq + 1 where t.id = ${target}`,
    );
    if (next) expect(out.stdout).toContain(`riga ${next.id} `);
    else expect(out.stdout).toContain("l'ultima riga della catena non è quella registrata");

    await tamper(`update audit_log set details = '{"amount": "100,00"}', hash = '${original!.hash}' where id = ${target}`);
    expect((await verifyAuditChain(getDb())).broken).toBeNull();
    // Tomorrow in Rome, where --from counts days (after 23:00 UTC, the UTC date is already today there).
    const tomorrow = romeDate(new Date(Date.now() + 86_400_000));
    expect(await admin("audit:verify", "--from", tomorrow)).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Registro integro: 0 righe/) });
    expect(await admin("audit:verify", "--from", "28/11/2026")).toMatchObject({ code: 1, stderr: expect.stringMatching(/AAAA-MM-GG/) });
  }, CLI_TIMEOUT);

  it("a row deleted from the middle or the end of a chain is reported", async () => {
    const db = getDb();
    await db.transaction(async (tx) => {
      for (const action of ["test.first", "test.middle", "test.last"]) await audit(tx, { system: "test" }, { action });
    });
    expect((await verifyAuditChain(db)).broken).toBeNull();
    const last = await idOf("test.last");
    await tamper(`delete from audit_log where action = 'test.middle'`);
    expect((await verifyAuditChain(db)).broken).toMatchObject({ id: last, reason: "manca almeno una riga prima di questa" });
    await tamper(`delete from audit_log where action = 'test.last'`);
    const report = await verifyAuditChain(db);
    expect(report.broken).toMatchObject({ id: null, reason: expect.stringMatching(/^mancano le ultime righe della catena/) });
  });
});

describe("audit:subject", () => {
  it("exports every row about one person, as CSV for Excel, and nothing about others", async () => {
    const funz = await userOf(PEOPLE.funzionario);
    await audit(null, { actor: { fiscalCode: PEOPLE.amministratore, role: "amministratore" } }, { action: "test.about-user", objectType: "user", objectId: funz.id });
    await audit(null, { actor: { fiscalCode: PEOPLE.amministratore, role: "amministratore" } }, { action: "test.names-cf", details: { cf: PEOPLE.funzionario } });
    await audit(null, { actor: { fiscalCode: PEOPLE.funzionario, userId: funz.id, role: "funzionario" }, ip: "10.0.0.7" }, { action: "test.by-person" });
    await audit(null, { actor: { fiscalCode: PEOPLE.operatore } }, { action: "test.someone-else" });

    const out = await admin("audit:subject", "--cf", PEOPLE.funzionario.toLowerCase());
    expect(out.code).toBe(0);
    const lines = out.stdout.replace(/^\uFEFF/, "").trimEnd().split("\r\n");
    expect(out.stdout.startsWith("\uFEFF")).toBe(true);
    expect(lines[0]).toBe("Numero;Data e ora;Codice fiscale di chi ha agito;Ruolo;Azione;Codice azione;Oggetto;Id oggetto;Esito;Indirizzo IP;Dettagli;Perché riguarda la persona");
    const byAction = new Map(lines.slice(1).map((l) => [l.split(";")[5], l]));
    expect(byAction.get("test.about-user")).toMatch(/;oggetto dell'azione$/);
    expect(byAction.get("test.names-cf")).toMatch(/;citata nei dettagli$/);
    expect(byAction.get("test.by-person")).toMatch(/^\d+;\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2};NRELRA82D45D542F;Funzionario;test\.by-person;test\.by-person;;;Riuscita;10\.0\.0\.7;\{\};ha agito$/);
    expect(byAction.has("test.someone-else")).toBe(false);
    // The export itself is on record.
    const [logged] = await getDb().execute<{ n: string }>(sql`select count(*)::text n from audit_log where action = 'audit.subject_export'`);
    expect(Number(logged!.n)).toBe(1);
  }, CLI_TIMEOUT);

  it("refuses a malformed codice fiscale, writing nothing", async () => {
    const out = await admin("audit:subject", "--cf", "NOTACF");
    expect(out).toMatchObject({ code: 1, stdout: "", stderr: expect.stringMatching(/Errore: Codice fiscale non valido/) });
  }, CLI_TIMEOUT);
});
