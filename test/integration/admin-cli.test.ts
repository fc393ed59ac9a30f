import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { hashToken } from "~/auth/session.server";
import { getDb } from "~db/client";
import { seedDemo } from "../support/actors";
import { admin } from "../support/admin-cli";
import { generateEd25519Pair } from "~/sftp/keys.server";

/** A fresh ed25519 public key in a file, as an administrator would pass it. */
function keyFile() {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gp-cli-key-")), "titolare.pub");
  fs.writeFileSync(file, generateEd25519Pair().public);
  return file;
}

async function counts() {
  const r = await getDb().execute<{ t: string; n: string }>(sql`
    select 'gestori' t, count(*)::text n from gestori union all
    select 'measures', count(*)::text from measures union all
    select 'measure_gestori', count(*)::text from measure_gestori union all
    select 'users', count(*)::text from users union all
    select 'accesses', count(*)::text from accesses union all
    select 'api_tokens', count(*)::text from api_tokens union all
    select 'audit_log', count(*)::text from audit_log`);
  return Object.fromEntries(r.map((x) => [x.t, Number(x.n)]));
}

async function refused(args: string[], message: RegExp, exitCode = 1) {
  const before = await counts();
  const result = await admin(...args);
  expect(result.code).toBe(exitCode);
  expect(result.stderr).toMatch(message);
  expect(result.stdout).toBe("");
  expect(await counts()).toEqual(before);
}

beforeAll(seedDemo);

describe("admin command line", () => {
  it("adds a gestore", async () => {
    const result = await admin("gestore:add", "--cf", "04567890126", "--name", "Confidi Nuovo", "--email", "info@nuovo.example.it");
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toContain("Ente gestore registrato: Confidi Nuovo");
    const rows = await getDb().execute<{ name: string }>(sql`select name from gestori where fiscal_code = '04567890126'`);
    expect(rows[0]?.name).toBe("Confidi Nuovo");
  });

  it("refuses a gestore with a wrong check digit", () => refused(["gestore:add", "--cf", "04567890127", "--name", "X"], /la cifra di controllo è «7» ma dovrebbe essere «6»/));
  it("refuses a gestore without a name", () => refused(["gestore:add", "--cf", "05678901231"], /Denominazione obbligatori/));
  it("refuses a duplicate gestore", () => refused(["gestore:add", "--cf", "01234567897", "--name", "Doppio"], /Esiste già un ente gestore/));
  it("refuses a bad e-mail", () => refused(["gestore:add", "--cf", "05678901231", "--name", "X", "--email", "non-una-mail"], /e-mail non valido/));
  it("refuses an unknown command", () => refused(["gestore:remove"], /Comando sconosciuto/, 2));
  it("refuses an unknown option", () => refused(["gestore:add", "--cf", "05678901231", "--nome", "X"], /Opzione sconosciuta|Unknown option/, 2));
  it("refuses an option of another command", () => refused(["gestore:add", "--cf", "05678901231", "--name", "X", "--role", "funzionario"], /Opzioni non ammesse/, 2));

  it("adds a measure accredited to gestori", async () => {
    const result = await admin("measure:add", "--code", "TEST-M", "--name", "Misura di prova", "--gestori", "01234567897,02345678904");
    expect(result.code).toBe(0);
    const rows = await getDb().execute<{ n: string }>(
      sql`select count(*)::text n from measure_gestori mg join measures m on m.id = mg.measure_id where m.code = 'TEST-M'`,
    );
    expect(rows[0]?.n).toBe("2");
  });

  it("refuses a measure naming an unregistered gestore, writing nothing", () =>
    refused(["measure:add", "--code", "TEST-X", "--name", "X", "--gestori", "01234567897,05678901231"], /non registrati: 05678901231/));
  it("refuses a measure with a bad code", () => refused(["measure:add", "--code", "con spazi", "--name", "X"], /codice/));

  it("adds a user with a role", async () => {
    const result = await admin(
      "user:add", "--cf", "mrtgnn80a01h501y", "--name", "Giovanni", "--surname", "Martini",
      "--email", "g.martini@example.it", "--role", "funzionario", "--org-unit", "SETT-CREDITO",
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
  });

  it("refuses a user with a bad codice fiscale", () =>
    refused(["user:add", "--cf", "MRTGNN80A01H501X", "--name", "G", "--surname", "M", "--email", "a@b.it", "--role", "funzionario", "--org-unit", "SETT-CREDITO"], /Codice fiscale non valido/));
  it("refuses an unknown role", () =>
    refused(["user:add", "--cf", "SPSLCU90A01F839P", "--name", "L", "--surname", "E", "--email", "a@b.it", "--role", "capo"], /ruolo non valido/));
  it("refuses a gestore role without a gestore", () =>
    refused(["user:add", "--cf", "SPSLCU90A01F839P", "--name", "L", "--surname", "E", "--email", "a@b.it", "--role", "gestore_operatore"], /obbligatorio per i ruoli dell'ente gestore/));
  it("refuses an unregistered org unit", () =>
    refused(["user:add", "--cf", "SPSLCU90A01F839P", "--name", "L", "--surname", "E", "--email", "a@b.it", "--role", "dirigente", "--org-unit", "NESSUNA"], /Struttura NESSUNA non registrata/));
  it("refuses enabling someone already active in that scope", () =>
    refused(["user:add", "--cf", "BNCGLI85M41A271Q", "--name", "Giulia", "--surname", "Bianchi", "--email", "a@b.it", "--role", "gestore_operatore", "--gestore", "01234567897"], /già abilitata/));

  it("adds a regional referente for a Region (issue 19): the access carries the territory", async () => {
    const result = await admin(
      "user:add", "--cf", "GLLLCU90A01F839G", "--name", "Luca", "--surname", "Gallo",
      "--email", "l.esposito@regione.example.it", "--role", "referente_regionale", "--territory", "regione:12",
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const rows = await getDb().execute<{ level: string; code: string }>(sql`
      select a.territory_level::text as level, a.territory_code as code from accesses a join users u on u.id = a.user_id where u.fiscal_code = 'GLLLCU90A01F839G'`);
    expect(rows).toEqual([{ level: "regione", code: "12" }]);
  });
  it("refuses a territorial role without a territory", () =>
    refused(["user:add", "--cf", "VRDLRA80A41H501T", "--name", "L", "--surname", "V", "--email", "a@b.it", "--role", "amministratore_ats"], /obbligatorio per i ruoli territoriali/));
  it("refuses a territory that does not exist", () =>
    refused(["user:add", "--cf", "VRDLRA80A41H501T", "--name", "L", "--surname", "V", "--email", "a@b.it", "--role", "amministratore_ats", "--territory", "ats:NESSUNO"], /Territorio ats:NESSUNO inesistente/));
  it("refuses a territory with an unknown level", () =>
    refused(["user:add", "--cf", "VRDLRA80A41H501T", "--name", "L", "--surname", "V", "--email", "a@b.it", "--role", "operatore_territoriale", "--territory", "provincia:042"], /livello del territorio non valido/));
  it("makes a territorial body's SFTP account (issue 19, ADR 109), printing the password once", async () => {
    // Luca Gallo is the referente of Region 12 (the test above).
    const result = await admin("sftp:territorio", "--cf", "GLLLCU90A01F839G", "--territory", "regione:12", "--ip", "127.0.0.1", "--key", keyFile(), "--password");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Utenza SFTP tregione-12-01 creata\. Password \(non sarà più mostrata\): \S{20,}\n$/);
    const rows = await getDb().execute<{ level: string; code: string; gestore: string | null }>(sql`
      select territory_level::text as level, territory_code as code, gestore_id::text as gestore from sftp_accounts where username = 'tregione-12-01'`);
    expect(rows).toEqual([{ level: "regione", code: "12", gestore: null }]);
  });
  it("revokes an SFTP account by its user name, audited; a second revocation is refused and changes nothing", async () => {
    const revokedAt = async () =>
      (await getDb().execute<{ at: string | null }>(sql`select revoked_at::text as at from sftp_accounts where username = 'tregione-12-01'`))[0]!.at;
    expect(await revokedAt()).toBeNull();
    const result = await admin("sftp:revoca", "--username", "tregione-12-01");
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("Utenza SFTP tregione-12-01 revocata.\n");
    const first = await revokedAt();
    expect(first).not.toBeNull();
    const audited = await getDb().execute(sql`select 1 from audit_log a join sftp_accounts s on s.id::text = a.object_id::text where a.action = 'sftp_account.revoke' and s.username = 'tregione-12-01'`);
    expect(audited.length).toBe(1);
    await refused(["sftp:revoca", "--username", "tregione-12-01"], /Utenza non trovata o già revocata/);
    await refused(["sftp:revoca", "--username", "nessuna-utenza"], /Utenza non trovata o già revocata/);
    await refused(["sftp:revoca"], /--username obbligatorio/);
    expect(await revokedAt()).toBe(first);
  });
  it("refuses a territorial SFTP account for a person not enabled for that territory", () =>
    refused(["sftp:territorio", "--cf", "GLLLCU90A01F839G", "--territory", "regione:11", "--ip", "127.0.0.1", "--key", keyFile()], /La persona non ha un'abilitazione attiva per il territorio regione:11/));
  it("refuses a territory for a role that has none", () =>
    refused(["user:add", "--cf", "VRDLRA80A41H501T", "--name", "L", "--surname", "V", "--email", "a@b.it", "--role", "osservatore", "--territory", "regione:11"], /ammesso solo per i ruoli territoriali/));

  it("creates a token and prints only the token", async () => {
    const result = await admin("token:create", "--user", "BNCGLI85M41A271Q");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^gp_[A-Za-z0-9_-]{40,}\n$/);
    const token = result.stdout.trim();
    const rows = await getDb().execute(sql`select 1 from api_tokens where token_hash = ${hashToken(token)}`);
    expect(rows).toHaveLength(1);
  });

  it("refuses a token for an unknown person", () => refused(["token:create", "--user", "SPSLCU90A01F839P"], /Nessun utente registrato/));
  it("refuses a token for an official", () => refused(["token:create", "--user", "NRELRA82D45D542F"], /operatori abilitati/));
});
