import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq, like, sql } from "drizzle-orm";
import ssh2 from "ssh2";
import SftpClient from "ssh2-sftp-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "~/auth/guards.server";
import { parseConfig } from "~/config.server";
import { createSftpAccount, revokeSftpAccount } from "~/sftp/accounts.server";
import { hostKeyFingerprint } from "~/sftp/host-key.server";
import { startSftpServer, type SftpServer } from "~/sftp/server.server";
import { ingestPendingUploads } from "~/uploads/ingest.server";
import { getDb } from "~db/client";
import { accesses, auditLog, mailOutbox, sftpAccounts, users, uploads } from "~db/schema";
import { GESTORE_ALTRO, GESTORE_DEMO, PEOPLE, seedDemo, userOf } from "../support/actors";
import { freePort } from "../support/free-port";
import { socketFrom as socketFromAddress, until } from "../support/sftp";
import { fixture, gestoreId } from "../support/uploads";
import { generateEd25519Pair } from "~/sftp/keys.server";


const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gp-sftp-"));
let server: SftpServer;
let port: number;
const operatorKey = generateEd25519Pair("gestionale-demo");
const otherKey = generateEd25519Pair();
const altroKey = generateEd25519Pair();
let demoUser = "";
let altroUser = "";
let passwordUser = { username: "", password: "" };

async function referenteOf(cf: string): Promise<Actor> {
  const u = await userOf(PEOPLE.referente);
  return { userId: u.id, role: "gestore_referente", gestoreId: await gestoreId(cf), orgUnitId: null, fiscalCode: u.fiscalCode, name: "", surname: "", email: "", accessId: "" };
}

const socketFrom = (localAddress: string) => socketFromAddress(port, localAddress);

async function connect(opts: { username: string; privateKey?: string; password?: string; from?: string }) {
  const client = new SftpClient();
  await client.connect({
    host: "127.0.0.1",
    port,
    username: opts.username,
    privateKey: opts.privateKey,
    password: opts.password,
    sock: opts.from ? await socketFrom(opts.from) : undefined,
    readyTimeout: 10_000,
    retries: 0,
  } as SftpClient.ConnectOptions);
  return client;
}

/** A raw ssh2 SFTP session, for the requests a friendly client would never send. */
function rawSession(username: string, privateKey: string) {
  return new Promise<{ conn: ssh2.Client; sftp: ssh2.SFTPWrapper }>((resolve, reject) => {
    const conn = new ssh2.Client();
    conn.on("ready", () => {
      conn.setNoDelay(true);
      conn.sftp((err, sftp) => (err ? reject(err) : resolve({ conn, sftp })));
    });
    conn.on("error", reject);
    conn.connect({ host: "127.0.0.1", port, username, privateKey, readyTimeout: 10_000 });
  });
}

const auditRows = (action: string) => getDb().select().from(auditLog).where(like(auditLog.action, action)).orderBy(auditLog.id);
const uploadCount = async () => (await getDb().select({ n: sql<number>`count(*)::int` }).from(uploads))[0]!.n;


beforeAll(async () => {
  await seedDemo();
  port = await freePort();
  const config = parseConfig({ ...process.env, DATA_DIR: dataDir, SFTP_PORT: String(port), SFTP_HOST: "127.0.0.1", SFTP_MAX_SESSIONS_PER_ACCOUNT: "2" });
  server = await startSftpServer(config, { log: () => {} });
  const referente = await referenteOf(GESTORE_DEMO);
  const operatore = await userOf(PEOPLE.operatore);
  demoUser = (await createSftpAccount(getDb(), { actor: referente }, { intent: "create", userId: operatore.id, publicKeys: operatorKey.public, allowedCidrs: "127.0.0.1/32" })).username;
  const withPassword = await createSftpAccount(getDb(), { actor: referente }, { intent: "create", userId: operatore.id, publicKeys: otherKey.public, allowedCidrs: "127.0.0.1", withPassword: "on" });
  passwordUser = { username: withPassword.username, password: withPassword.password! };
  const altro = await userOf(PEOPLE.altroOperatore);
  altroUser = (await createSftpAccount(getDb(), { actor: await referenteOf(GESTORE_ALTRO) }, { intent: "create", userId: altro.id, publicKeys: altroKey.public, allowedCidrs: "127.0.0.1\n127.0.0.2/32" })).username;
});

afterAll(async () => {
  await server?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("SFTP server", () => {
  it("uses a host key generated in DATA_DIR, whose fingerprint is the one ssh-keygen prints", () => {
    const keyFile = path.join(dataDir, "sftp", "host_ed25519_key");
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    const printed = execFileSync("ssh-keygen", ["-lf", `${keyFile}.pub`], { encoding: "utf8" });
    expect(printed).toContain(server.fingerprint);
    expect(hostKeyFingerprint(parseConfig({ ...process.env, DATA_DIR: dataDir }).sftp)).toBe(server.fingerprint);
  });

  it("gives coded user names traceable to the person", async () => {
    expect(demoUser).toBe(`g${GESTORE_DEMO}-01`);
    expect(passwordUser.username).toBe(`g${GESTORE_DEMO}-02`);
    const [created] = await getDb().select().from(auditLog).where(eq(auditLog.action, "sftp_account.create")).orderBy(auditLog.id).limit(1);
    expect(created!.details).toMatchObject({ username: demoUser, userId: (await userOf(PEOPLE.operatore)).id });
  });

  it("ingests a file put in /in like the API, serves its outcome in /out/esiti and removes it once read", async () => {
    const client = await connect({ username: demoUser, privateKey: operatorKey.private });
    try {
      expect((await client.list("/")).map((e) => e.name).sort()).toEqual(["in", "out", "verifica"]);
      await client.put(fixture("valid-first.txt"), "/in/flusso-1.txt");
      const [row] = await getDb().select().from(uploads).where(eq(uploads.fileName, "flusso-1.txt"));
      expect(row).toMatchObject({ channel: "sftp", uploadedBy: (await userOf(PEOPLE.operatore)).id, status: "processing", sizeBytes: fixture("valid-first.txt").length });
      expect(await client.list("/out/esiti")).toEqual([]);
      await ingestPendingUploads(row!.gestoreId);
      const listed = (await client.list("/out/esiti")).map((e) => e.name);
      expect(listed).toEqual([`${row!.id}.json`]);
      const outcome = JSON.parse(String(await client.get(`/out/esiti/${row!.id}.json`)));
      expect(outcome).toMatchObject({ id: row!.id, status: "accepted", gestore: GESTORE_DEMO, errorCount: 0 });
      // The client may send its CLOSE after resolving get(): wait for the removal it causes.
      await until(async () => (await client.list("/out/esiti")).length === 0, "the outcome file to go");
    } finally {
      await client.end();
    }
    const actions = (await auditRows("sftp.%")).filter((r) => r.details.username === demoUser).map((r) => r.action);
    for (const a of ["sftp.auth", "sftp.list", "sftp.write", "sftp.read", "sftp.remove"]) expect(actions).toContain(a);
    const [write] = await auditRows("sftp.write");
    expect(write).toMatchObject({ outcome: "success", ip: "127.0.0.1", actorFiscalCode: PEOPLE.operatore, details: { path: "/in/flusso-1.txt", bytes: fixture("valid-first.txt").length } });
    await until(async () => (await auditRows("sftp.disconnect")).length > 0, "the disconnection trace");
    // The sender gets the outcome by mail: counts and a link behind sign-in, nothing personal.
    const mails = await getDb().select().from(mailOutbox).where(eq(mailOutbox.template, "esito-caricamento"));
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ recipient: (await userOf(PEOPLE.operatore)).email, subject: "Esito del file inviato: accettato" });
    expect(mails[0]!.text).toMatch(/tramite SFTP è stato elaborato[\s\S]*\/caricamenti\/[0-9a-f-]{36}/);
    expect(mails[0]!.text).not.toMatch(/Alfa Meccanica|02342520158/);
  });

  it("sends a receipt confirmation for an account that asked for it even to a person who opted out of outcome mails", async () => {
    const operatore = await userOf(PEOPLE.operatore);
    await getDb().update(users).set({ outcomeMail: false }).where(eq(users.id, operatore.id));
    const key = generateEd25519Pair();
    const referente = await referenteOf(GESTORE_DEMO);
    const withReceipt = await createSftpAccount(getDb(), { actor: referente }, { intent: "create", userId: operatore.id, publicKeys: key.public, allowedCidrs: "127.0.0.1", receiptMail: "on" });
    const [quiet, loud] = [await connect({ username: demoUser, privateKey: operatorKey.private }), await connect({ username: withReceipt.username, privateKey: key.private })];
    try {
      await quiet.put(Buffer.from(fixture("valid-second.txt").toString("utf8").replace("2020-07-A", "2020-07-Q")), "/in/silenzioso.txt");
      await loud.put(fixture("invalid-mixed.txt"), "/in/con-ricevuta.txt");
    } finally {
      await Promise.all([quiet.end(), loud.end()]);
    }
    await ingestPendingUploads(await gestoreId(GESTORE_DEMO));
    const mails = await getDb().select().from(mailOutbox).where(eq(mailOutbox.template, "esito-caricamento")).orderBy(mailOutbox.createdAt);
    expect(mails.map((m) => m.subject)).toEqual(["Esito del file inviato: accettato", expect.stringMatching(/^Conferma di ricezione: rifiutato \(\d+ errori\)$/)]);
    expect(mails[1]!.text).toContain(`con l'utenza ${withReceipt.username}`);
    await getDb().update(users).set({ outcomeMail: true }).where(eq(users.id, operatore.id));
  });

  it("serves a rejected file's errors as CSV next to its outcome", async () => {
    const client = await connect({ username: passwordUser.username, password: passwordUser.password });
    try {
      await client.put(fixture("invalid-mixed.txt"), "/in/errato.txt");
      const [row] = await getDb().select().from(uploads).where(eq(uploads.fileName, "errato.txt"));
      await ingestPendingUploads(row!.gestoreId);
      expect((await client.list("/out/esiti")).map((e) => e.name).sort()).toEqual([`${row!.id}.errors.csv`, `${row!.id}.json`]);
      const csv = String(await client.get(`/out/esiti/${row!.id}.errors.csv`));
      expect(csv).toContain("riga;campo;codice;messaggio");
      await until(async () => (await client.list("/out/esiti")).length === 1, "the errors file to go");
      expect((await client.list("/out/esiti")).map((e) => e.name)).toEqual([`${row!.id}.json`]);
    } finally {
      await client.end();
    }
  });

  it("refuses a key that is not the account's, tracing its fingerprint", async () => {
    await expect(connect({ username: demoUser, privateKey: altroKey.private })).rejects.toThrow(/authentication/i);
    const failures = (await auditRows("sftp.auth")).filter((r) => r.outcome === "failure" && r.details.username === demoUser);
    expect(failures.at(-1)!.details).toMatchObject({ reason: "key_not_allowed", key: expect.stringMatching(/^SHA256:/) });
  });

  it("closes a connection from an address outside every allow-list before the SSH handshake", async () => {
    const before = await uploadCount();
    await expect(connect({ username: demoUser, privateKey: operatorKey.private, from: "127.0.0.9" })).rejects.toThrow();
    const refused = await until(async () => (await auditRows("sftp.connect")).find((r) => r.details.reason === "address_not_allowed" && r.ip === "127.0.0.9"), "the refusal trace");
    expect(refused.outcome).toBe("failure");
    expect(await uploadCount()).toBe(before);
  });

  it("closes a connection from an address outside the account's own list before checking the key", async () => {
    // 127.0.0.2 is allowed for the other gestore's account, not for this one.
    await expect(connect({ username: demoUser, privateKey: operatorKey.private, from: "127.0.0.2" })).rejects.toThrow();
    const denied = (await auditRows("sftp.connect")).filter((r) => r.outcome === "denied" && r.ip === "127.0.0.2");
    expect(denied.at(-1)!.details).toMatchObject({ username: demoUser, reason: "address_not_allowed" });
    expect((await auditRows("sftp.auth")).filter((r) => r.ip === "127.0.0.2")).toEqual([]);
    const altro = await connect({ username: altroUser, privateKey: altroKey.private, from: "127.0.0.2" });
    await altro.end();
  });

  it("refuses paths outside the folders, traversal and control characters, writing nothing", async () => {
    const before = await uploadCount();
    const { conn, sftp } = await rawSession(demoUser, operatorKey.private);
    const openFor = (p: string) => new Promise<string>((resolve) => sftp.open(p, "w", (err) => resolve(err ? err.message : "opened")));
    try {
      expect(await openFor("/in/../etc/passwd")).toMatch(/«\.\.» non è consentito/);
      expect(await openFor("../in/x.txt")).toMatch(/«\.\.» non è consentito/);
      expect(await openFor("/in/a\u0001b.txt")).toMatch(/carattere di controllo/);
      expect(await openFor("/in/a\nb.txt")).toMatch(/carattere di controllo/);
      expect(await openFor("/etc/passwd")).toMatch(/solo le cartelle/);
      expect(await openFor("/out/esiti/x.json")).toMatch(/sola lettura/);
      expect(await new Promise((r) => sftp.mkdir("/in/sub", (err) => r(err?.message)))).toMatch(/non ammessa/);
      expect(await new Promise((r) => sftp.rename("/in/a.txt", "/out/a.txt", (err) => r(err?.message)))).toMatch(/non ammessa/);
    } finally {
      conn.end();
    }
    expect(await uploadCount()).toBe(before);
    const refused = await auditRows("sftp.refused");
    expect(refused.map((r) => r.details.reason)).toEqual(expect.arrayContaining(["traversal", "control_character", "outside"]));
    expect(refused.every((r) => r.outcome === "denied")).toBe(true);
  });

  it("stores nothing of a file whose connection dies mid-transfer", async () => {
    const before = await uploadCount();
    const { conn, sftp } = await rawSession(demoUser, operatorKey.private);
    const handle = await new Promise<Buffer>((resolve, reject) => sftp.open("/in/interrotto.txt", "w", (err, h) => (err ? reject(err) : resolve(h))));
    const half = fixture("valid-second.txt").subarray(0, 100);
    await new Promise<void>((resolve, reject) => sftp.write(handle, half, 0, half.length, 0, (err) => (err ? reject(err) : resolve())));
    conn.end();
    const trace = await until(async () => (await auditRows("sftp.write")).find((r) => r.details.path === "/in/interrotto.txt"), "the interrupted write trace");
    expect(trace).toMatchObject({ outcome: "failure", details: { reason: "interrupted" } });
    expect(await uploadCount()).toBe(before);
  });

  it("streams a 100 MB file into the store without holding it in memory", { timeout: 180_000 }, async () => {
    const SIZE = 100 * 1024 * 1024;
    const line = Buffer.from(`D|PR-X|COVID-LIQ|${"x".repeat(100)}\n`);
    const { conn, sftp } = await rawSession(altroUser, altroKey.private);
    let peak = 0;
    const base = process.memoryUsage();
    const sample = setInterval(() => {
      const m = process.memoryUsage();
      peak = Math.max(peak, m.heapUsed + m.arrayBuffers - base.heapUsed - base.arrayBuffers);
    }, 50);
    try {
      await new Promise<void>((resolve, reject) => {
        const out = sftp.createWriteStream("/in/grande.txt");
        out.on("close", () => resolve());
        out.on("error", reject);
        let sent = 0;
        const pump = () => {
          while (sent < SIZE) {
            const chunk = Buffer.alloc(Math.min(64 * line.length, SIZE - sent));
            for (let o = 0; o < chunk.length; o += line.length) line.copy(chunk, o, 0, Math.min(line.length, chunk.length - o));
            sent += chunk.length;
            if (!out.write(chunk)) return void out.once("drain", pump);
          }
          out.end();
        };
        pump();
      });
    } finally {
      clearInterval(sample);
      conn.end();
    }
    const [row] = await getDb().select().from(uploads).where(eq(uploads.fileName, "grande.txt"));
    expect(row!.sizeBytes).toBe(SIZE);
    const [{ n }] = (await getDb().execute<{ n: number }>(sql`select count(*)::int as n from upload_chunks where upload_id = ${row!.id}`)) as unknown as { n: number }[];
    expect(n).toBe(SIZE / 1024 / 1024);
    // Holding the file would need at least its 100 MB; streamed, the peak is the client's window,
    // one 1 MiB chunk and garbage not yet collected (measured: 41 MB for 5 MB, 54 MB for 100 MB).
    console.log(`SFTP ${SIZE / 1024 / 1024} MB upload: peak extra heap+buffers ${(peak / 1024 / 1024).toFixed(1)} MB`);
    expect(peak).toBeLessThan(SIZE * 0.8);
  });

  it("limits concurrent sessions per account", async () => {
    const a = await connect({ username: altroUser, privateKey: altroKey.private });
    const b = await connect({ username: altroUser, privateKey: altroKey.private });
    try {
      await expect(connect({ username: altroUser, privateKey: altroKey.private })).rejects.toThrow(/authentication/i);
      expect((await auditRows("sftp.auth")).filter((r) => r.details.reason === "too_many_sessions")).toHaveLength(1);
    } finally {
      await a.end();
      await b.end();
    }
  });

  it("lets two accounts of two gestori transfer at once, each into its own gestore", async () => {
    const [demo, altro] = await Promise.all([
      connect({ username: demoUser, privateKey: operatorKey.private }),
      connect({ username: altroUser, privateKey: altroKey.private }),
    ]);
    const big = (cf: string) => fixture("valid-second.txt").toString("utf8").replaceAll(GESTORE_DEMO, cf);
    try {
      await Promise.all([demo.put(Buffer.from(big(GESTORE_DEMO)), "/in/insieme-demo.txt"), altro.put(Buffer.from(big(GESTORE_ALTRO)), "/in/insieme-altro.txt")]);
    } finally {
      await Promise.all([demo.end(), altro.end()]);
    }
    const [d] = await getDb().select().from(uploads).where(eq(uploads.fileName, "insieme-demo.txt"));
    const [o] = await getDb().select().from(uploads).where(eq(uploads.fileName, "insieme-altro.txt"));
    expect(d!.gestoreId).toBe(await gestoreId(GESTORE_DEMO));
    expect(o!.gestoreId).toBe(await gestoreId(GESTORE_ALTRO));
  });

  it("refuses a revoked account, and a person whose access was revoked, at once — even mid-session", async () => {
    const client = await connect({ username: demoUser, privateKey: operatorKey.private });
    const operatore = await userOf(PEOPLE.operatore);
    await getDb().update(accesses).set({ status: "revoked", revokedAt: new Date() }).where(and(eq(accesses.userId, operatore.id), eq(accesses.status, "active")));
    await expect(client.list("/in")).rejects.toThrow();
    await client.end().catch(() => {});
    expect((await auditRows("sftp.revoked")).at(-1)).toMatchObject({ outcome: "denied", details: { username: demoUser, reason: "person_not_enabled" } });
    await expect(connect({ username: demoUser, privateKey: operatorKey.private })).rejects.toThrow(/authentication/i);
    expect((await auditRows("sftp.auth")).at(-1)).toMatchObject({ outcome: "failure", details: { username: demoUser, reason: "person_not_enabled" } });

    const [altro] = await getDb().select().from(sftpAccounts).where(eq(sftpAccounts.username, altroUser));
    await revokeSftpAccount(getDb(), { actor: await referenteOf(GESTORE_ALTRO) }, altro!.id);
    await expect(connect({ username: altroUser, privateKey: altroKey.private })).rejects.toThrow(/authentication/i);
    expect((await auditRows("sftp.auth")).at(-1)).toMatchObject({ details: { username: altroUser, reason: "account_revoked" } });
  });
});
