import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq, like, sql } from "drizzle-orm";
import SftpClient from "ssh2-sftp-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "~/auth/guards.server";
import { parseConfig } from "~/config.server";
import * as exportDownload from "~/routes/enti.$cf_.sftp.esportazioni.$id";
import { createSftpAccount } from "~/sftp/accounts.server";
import { preparePracticesExport, requestPracticesExport } from "~/sftp/exports.server";
import { startSftpServer, type SftpServer } from "~/sftp/server.server";
import { dryRunUpload } from "~/uploads/dry-run.server";
import { failUpload } from "~/uploads/failure.server";
import { ingestPendingUploads } from "~/uploads/ingest.server";
import { getDb, getSql } from "~db/client";
import { auditLog, mailOutbox, sftpExports, uploads, users } from "~db/schema";
import { cookieFor, GESTORE_DEMO, PEOPLE, seedDemo, statusOf, userOf, viewerOf } from "../support/actors";
import { freePort } from "../support/free-port";
import { socketFrom as socketFromAddress, until } from "../support/sftp";
import { fixture, gestoreId, storeUpload } from "../support/uploads";
import { generateEd25519Pair } from "~/sftp/keys.server";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gp-sftp-more-"));
const key = generateEd25519Pair();
let server: SftpServer;
let port: number;
let username = "";
let accountId = "";
const IDLE_MS = 1500;
const PER_ADDRESS = 2;

async function referente(): Promise<Actor> {
  const u = await userOf(PEOPLE.referente);
  return { userId: u.id, role: "gestore_referente", gestoreId: await gestoreId(GESTORE_DEMO), orgUnitId: null, fiscalCode: u.fiscalCode, name: "", surname: "", email: "", accessId: "" };
}

const socketFrom = (localAddress: string) => socketFromAddress(port, localAddress);

async function connect(from?: string) {
  const client = new SftpClient();
  await client.connect({ host: "127.0.0.1", port, username, privateKey: key.private, sock: from ? await socketFrom(from) : undefined, readyTimeout: 5_000, retries: 0 } as SftpClient.ConnectOptions);
  return client;
}


const counts = async () =>
  (await getDb().execute<Record<string, number>>(sql`select (select count(*)::int from uploads) as uploads, (select count(*)::int from upload_chunks) as chunks,
    (select count(*)::int from practices) as practices, (select count(*)::int from sftp_uploads) as links, (select count(*)::int from pgboss.job) as jobs`))[0]!;

beforeAll(async () => {
  await seedDemo();
  port = await freePort();
  const config = parseConfig({ ...process.env, DATA_DIR: dataDir, SFTP_PORT: String(port), SFTP_HOST: "127.0.0.1", SFTP_MAX_SESSIONS_PER_ADDRESS: String(PER_ADDRESS), SFTP_MAX_SESSIONS_PER_ACCOUNT: "10" });
  // The configuration refuses less than 10 s; the test shortens it to keep quick.
  config.sftp.idleMs = IDLE_MS;
  server = await startSftpServer(config, { log: () => {} });
  const operatore = await userOf(PEOPLE.operatore);
  const created = await createSftpAccount(getDb(), { actor: await referente() }, { intent: "create", userId: operatore.id, publicKeys: key.public, allowedCidrs: "127.0.0.0/29" });
  username = created.username;
  accountId = created.id;
});

afterAll(async () => {
  await server?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("SFTP /verifica: a dry run", () => {
  it("answers the server's outcome beside the file, stores nothing, and the result goes once read", async () => {
    const before = await counts();
    const client = await connect();
    try {
      expect((await client.list("/")).map((e) => e.name).sort()).toEqual(["in", "out", "verifica"]);
      await client.put(fixture("invalid-mixed.txt"), "/verifica/prova.txt");
      expect((await client.list("/verifica")).map((e) => e.name).sort()).toEqual(["prova.txt.errors.csv", "prova.txt.json"]);
      const checked = JSON.parse(String(await client.get("/verifica/prova.txt.json")));
      const server = await dryRunUpload({
        gestoreId: await gestoreId(GESTORE_DEMO),
        viewer: await viewerOf(PEOPLE.operatore),
        channel: "api",
        fileName: "x.txt",
        body: (async function* () {
          yield fixture("invalid-mixed.txt");
        })(),
      });
      expect(checked).toMatchObject({ id: null, dryRun: true, status: "rejected" });
      expect(checked.errors).toEqual(server.errors);
      const csv = String(await client.get("/verifica/prova.txt.errors.csv"));
      expect(csv).toContain("riga;campo;codice;messaggio");
      await until(async () => (await client.list("/verifica")).length === 0, "the results to go once read");
    } finally {
      await client.end();
    }
    expect(await counts()).toEqual(before);
    const [traced] = await getDb().select().from(auditLog).where(and(eq(auditLog.action, "sftp.write"), sql`${auditLog.details}->>'dryRun' = 'true'`));
    expect(traced).toMatchObject({ outcome: "success", details: { path: "/verifica/prova.txt", status: "rejected" } });
  });

  it("refuses paths outside the folders in Italian", async () => {
    const client = await connect();
    try {
      await expect(client.put(Buffer.from("x"), "/verifica/../in/x.txt")).rejects.toThrow(/«\.\.» non è consentito/);
      await expect(client.put(Buffer.from("x"), "/verifica/sotto/x.txt")).rejects.toThrow(/usare solo le cartelle \/in, \/verifica/);
    } finally {
      await client.end();
    }
  });
});

describe("SFTP /out/export", () => {
  it("shows a file prepared by the job, removes it from /out once read in full, keeps it for the web", async () => {
    const demo = await gestoreId(GESTORE_DEMO);
    // Some practices to export: the first sample file, accepted.
    await storeUpload(GESTORE_DEMO, [fixture("valid-first.txt")]);
    await ingestPendingUploads(demo);
    const jobsBefore = (await counts()).jobs;
    await requestPracticesExport({ actor: await referente(), ip: null }, accountId);
    expect((await counts()).jobs).toBe(jobsBefore + 1);
    const prepared = (await preparePracticesExport(accountId, null))!;
    expect(prepared.rows).toBeGreaterThanOrEqual(5);

    const client = await connect();
    try {
      expect((await client.list("/out/export")).map((e) => e.name)).toEqual([prepared.fileName]);
      const text = String(await client.get(`/out/export/${prepared.fileName}`));
      expect(text.startsWith("\uFEFFcodice_pratica;codice_misura;comune_istat;data_presentazione;stato;data_stato;importo_richiesto")).toBe(true);
      // Italian formats for Excel, and no beneficiary's data.
      expect(text).toMatch(/\r\nPR-0002;COVID-LIQ;041044;03\/04\/2020;IN_ISTRUTTORIA;\d{2}\/\d{2}\/2020;15000,50;;;/);
      expect(text).not.toMatch(/Rossi Mario|RSSMRA80A01H501U/);
      await until(async () => (await client.list("/out/export")).length === 0, "the export to leave /out");
    } finally {
      await client.end();
    }
    const [kept] = await getDb().select().from(sftpExports).where(eq(sftpExports.id, prepared.id));
    expect(kept!.readAt).not.toBeNull();
    const web = await statusOf(exportDownload.loader, { path: `/enti/${GESTORE_DEMO}/sftp/esportazioni/${prepared.id}`, params: { cf: GESTORE_DEMO, id: prepared.id }, cookie: await cookieFor(PEOPLE.referente) });
    expect(web.status).toBe(200);
    expect(Buffer.from(await web.response!.arrayBuffer()).equals(kept!.content)).toBe(true);
    // Another gestore's person cannot have it.
    const other = await statusOf(exportDownload.loader, { path: `/enti/${GESTORE_DEMO}/sftp/esportazioni/${prepared.id}`, params: { cf: GESTORE_DEMO, id: prepared.id }, cookie: await cookieFor(PEOPLE.altroOperatore) });
    expect(other.status).toBeGreaterThanOrEqual(403);
  });
});

describe("SFTP limits", () => {
  it("closes a session left idle, and traces it", async () => {
    const client = await connect();
    const closed = new Promise<void>((resolve) => client.on("end", () => resolve()));
    await client.list("/in");
    const started = Date.now();
    await closed;
    expect(Date.now() - started).toBeGreaterThanOrEqual(IDLE_MS - 200);
    await until(async () => (await getDb().select().from(auditLog).where(eq(auditLog.action, "sftp.idle"))).length > 0, "the idle trace");
    const [idle] = await getDb().select().from(auditLog).where(eq(auditLog.action, "sftp.idle"));
    expect(idle!.details).toMatchObject({ username });
  });

  it("keeps a session that works past the idle time", async () => {
    const client = await connect();
    try {
      for (let i = 0; i < 4; i++) {
        await new Promise((r) => setTimeout(r, IDLE_MS / 2));
        await client.list("/out");
      }
    } finally {
      await client.end();
    }
  });

  it("does not count as idle the time the server takes to answer (a dry run waiting for the gestore's lock)", async () => {
    const demo = await gestoreId(GESTORE_DEMO);
    const holder = await getSql().reserve();
    const client = await connect();
    try {
      // The gestore's ingestion lock, held elsewhere for longer than the idle time.
      await holder`begin`;
      await holder`select pg_advisory_xact_lock(hashtext(${"upload:" + demo}))`;
      const put = client.put(fixture("invalid-mixed.txt"), "/verifica/lenta.txt");
      await new Promise((r) => setTimeout(r, IDLE_MS * 2));
      await holder`commit`;
      await put;
      expect((await client.list("/verifica")).map((e) => e.name)).toContain("lenta.txt.json");
    } finally {
      await holder`rollback`.catch(() => {});
      holder.release();
      await client.end();
    }
  });

  it("refuses a connection over the per-address limit before the handshake, others still come in", async () => {
    const first = await connect("127.0.0.3");
    const second = await connect("127.0.0.3");
    try {
      await expect(connect("127.0.0.3")).rejects.toThrow();
      // Another address is not affected.
      const elsewhere = await connect("127.0.0.4");
      await elsewhere.end();
      const refused = await getDb().select().from(auditLog).where(and(eq(auditLog.action, "sftp.connect"), eq(auditLog.ip, "127.0.0.3")));
      expect(refused.map((r) => r.details.reason)).toContain("too_many_connections_from_address");
    } finally {
      await first.end();
      await second.end();
    }
    // A place frees up once a connection ends.
    await new Promise((r) => setTimeout(r, 200));
    const again = await connect("127.0.0.3");
    await again.end();
  });
});

describe("outcome mail of a failed upload", () => {
  it("tells the uploader, with the support reference and nothing personal; not when opted out", async () => {
    const operatore = await userOf(PEOPLE.operatore);
    const send = async () => {
      const { uploadId } = await storeUpload(GESTORE_DEMO, [Buffer.from(`${fixture("valid-second.txt").toString("utf8")}\n# ${Math.random()}`)]);
      await getDb().update(uploads).set({ uploadedBy: operatore.id }).where(eq(uploads.id, uploadId));
      return { uploadId, reference: await failUpload(uploadId, "test: broken on purpose") };
    };
    const { uploadId, reference } = await send();
    const [mail] = await getDb().select().from(mailOutbox).where(eq(mailOutbox.dedupeKey, `upload-outcome:${uploadId}`));
    expect(mail).toMatchObject({ recipient: operatore.email, subject: "Esito del file inviato: non elaborato per un errore interno" });
    expect(mail!.text).toContain(`Riferimento per l'assistenza: ${reference}`);
    expect(mail!.text).not.toMatch(/broken on purpose|Alfa Meccanica|02342520158/);

    await getDb().update(users).set({ outcomeMail: false }).where(eq(users.id, operatore.id));
    try {
      const optedOut = await send();
      expect(await getDb().select().from(mailOutbox).where(like(mailOutbox.dedupeKey, `upload-outcome:${optedOut.uploadId}`))).toEqual([]);
    } finally {
      await getDb().update(users).set({ outcomeMail: true }).where(eq(users.id, operatore.id));
    }
  });
});
