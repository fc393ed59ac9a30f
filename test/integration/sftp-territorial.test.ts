import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq, isNotNull, sql } from "drizzle-orm";
import SftpClient from "ssh2-sftp-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "~/config.server";
import { todayInRome } from "~/lib/dates";
import * as anonymousPage from "~/routes/monitoraggio.dati-anonimi";
import { createTerritorialSftpAccount } from "~/sftp/accounts.server";
import { startSftpServer, type SftpServer } from "~/sftp/server.server";
import { getDb } from "~db/client";
import { auditLog, sftpAccounts } from "~db/schema";
import { DEFAULT_SHEET, forgetStoredSheet, writeSheet } from "~db/visibility";
import { cookieFor, GESTORE_ALTRO, GESTORE_DEMO, PEOPLE, seedDemo, statusOf, TERRITORIAL_PEOPLE } from "../support/actors";
import { freePort } from "../support/free-port";
import { insertPractices } from "../support/monitoring";
import { gestoreId } from "../support/uploads";
import { generateEd25519Pair } from "~/sftp/keys.server";

/**
 * A territorial body's SFTP account (issue 19, docs/decisions/0109), with the real client of the
 * other SFTP tests: only /out/export, holding the body's anonymous rows exactly as its web download.
 */
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gp-sftp-territorial-"));
const atsKey = generateEd25519Pair();
const regionKey = generateEd25519Pair();
let server: SftpServer;
let port: number;
const names = { ats: "", region: "" };
const db = () => getDb();
const FILE = () => `dati-anonimi-${todayInRome()}.csv`;

async function connect(username: string, key: { private: string }) {
  const client = new SftpClient();
  await client.connect({ host: "127.0.0.1", port, username, privateKey: key.private, readyTimeout: 5_000, retries: 0 } as SftpClient.ConnectOptions);
  return client;
}
const pseudonyms = (csv: string) => new Set(csv.split("\n").slice(1).map((l) => l.split(";")[0]!).filter((p) => /^[0-9a-f]{20}$/.test(p)));

beforeAll(async () => {
  await seedDemo();
  const mine = await gestoreId(GESTORE_DEMO);
  const other = await gestoreId(GESTORE_ALTRO);
  await insertPractices(
    Array.from({ length: 12 }, (_, k) => ({
      gestoreId: k % 2 ? mine : other, code: `SFTP-T-${k}`, measure: "COVID-LIQ", comune: "042002", submitted: "2026-03-02", state: "DELIBERATA", requested: "1000.00", approved: "900.00",
    })),
  );
  port = await freePort();
  server = await startSftpServer(parseConfig({ ...process.env, DATA_DIR: dataDir, SFTP_PORT: String(port), SFTP_HOST: "127.0.0.1" }), { log: () => {} });
  names.ats = (await createTerritorialSftpAccount(db(), { system: "test" }, { holderCf: TERRITORIAL_PEOPLE.operatoreTerritoriale, territory: "ats:DEMO-ATS-042", publicKeys: atsKey.public, allowedCidrs: "127.0.0.1" })).username;
  names.region = (await createTerritorialSftpAccount(db(), { system: "test" }, { holderCf: TERRITORIAL_PEOPLE.referenteRegionale, territory: "regione:11", publicKeys: regionKey.public, allowedCidrs: "127.0.0.1" })).username;
});

afterAll(async () => {
  await server?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("a territorial body's SFTP account", () => {
  it("is made by an administrator for a person enabled for that very territory, named after it, audited", async () => {
    expect(names).toEqual({ ats: "tats-demo-ats-042-01", region: "tregione-11-01" });
    const [audited] = await db().select().from(auditLog).where(and(eq(auditLog.action, "sftp_account.create"), sql`${auditLog.details}->>'username' = ${names.ats}`));
    expect(audited!.details).toMatchObject({ territory: "ats:DEMO-ATS-042" });
  });

  it("is refused, with an Italian message and nothing written, for a person of another territory, a gestore's person or a bad territory", async () => {
    const before = await db().select().from(sftpAccounts).where(isNotNull(sftpAccounts.territoryLevel));
    const make = (holderCf: string, territory: string) =>
      createTerritorialSftpAccount(db(), { system: "test" }, { holderCf, territory, publicKeys: atsKey.public, allowedCidrs: "127.0.0.1" });
    await expect(make(TERRITORIAL_PEOPLE.referenteRegionale, "ats:DEMO-ATS-042")).rejects.toThrow("La persona non ha un'abilitazione attiva per il territorio ats:DEMO-ATS-042");
    await expect(make(PEOPLE.operatore, "comune:042002")).rejects.toThrow("La persona non ha un'abilitazione attiva per il territorio comune:042002");
    await expect(make(TERRITORIAL_PEOPLE.operatoreTerritoriale, "provincia:AN")).rejects.toThrow("--territory: regione:<codice ISTAT>, ats:<codice ATS> o comune:<codice ISTAT>");
    await expect(createTerritorialSftpAccount(db(), { system: "test" }, { holderCf: TERRITORIAL_PEOPLE.operatoreTerritoriale, territory: "ats:DEMO-ATS-042", publicKeys: "", allowedCidrs: "127.0.0.1" })).rejects.toThrow(
      "Indicare almeno una chiave pubblica",
    );
    expect(await db().select().from(sftpAccounts).where(isNotNull(sftpAccounts.territoryLevel))).toEqual(before);
  });

  it("sees only /out/export, holding the body's anonymous rows exactly as its web download, traced", async () => {
    const client = await connect(names.ats, atsKey);
    try {
      expect((await client.list("/")).map((e) => e.name)).toEqual(["out"]);
      expect((await client.list("/out")).map((e) => e.name)).toEqual(["export"]);
      expect((await client.list("/out/export")).map((e) => e.name)).toEqual([FILE()]);
      const bytes = (await client.get(`/out/export/${FILE()}`)) as Buffer;
      const viaSftp = String(bytes);
      const web = await statusOf(anonymousPage.loader, { path: "/monitoraggio/dati-anonimi?formato=csv", cookie: await cookieFor(TERRITORIAL_PEOPLE.operatoreTerritoriale) });
      // Same builder, same key of the body: the same pseudonyms, generalisation and counts.
      expect(bytes.equals(Buffer.from(await web.response!.arrayBuffer()))).toBe(true);
      expect(pseudonyms(viaSftp).size).toBeGreaterThanOrEqual(12);
      expect(viaSftp).not.toMatch(/SFTP-T-|[A-Z]{6}\d{2}[A-Z]\d{2}[A-Z]\d{3}[A-Z]/);
      // Built anew for every listing: it stays after being read.
      expect((await client.list("/out/export")).map((e) => e.name)).toEqual([FILE()]);
    } finally {
      await client.end();
    }
    const traced = await db().select().from(auditLog).where(eq(auditLog.action, "monitoring.anonymous_export"));
    const viaSftp = traced.filter((r) => (r.details as { channel?: string }).channel === "sftp");
    expect(viaSftp).toHaveLength(1);
    expect(viaSftp[0]!.details).toMatchObject({ body: "ats:DEMO-ATS-042", file: FILE(), format: "csv", leftOut: 0 });
  });

  it("can send nothing: /in, /verifica and /out/esiti are refused with an Italian message", async () => {
    const client = await connect(names.ats, atsKey);
    try {
      await expect(client.put(Buffer.from("x"), "/in/flusso.txt")).rejects.toThrow(/l'utenza di un ente territoriale ha solo la cartella \/out\/export/);
      await expect(client.put(Buffer.from("x"), "/verifica/flusso.txt")).rejects.toThrow(/solo la cartella \/out\/export/);
      await expect(client.list("/out/esiti")).rejects.toThrow(/solo la cartella \/out\/export/);
      await expect(client.put(Buffer.from("x"), "/out/export/x.csv")).rejects.toThrow(/sola lettura/);
    } finally {
      await client.end();
    }
    expect((await db().execute<{ n: number }>(sql`select count(*)::int as n from uploads where file_name = 'flusso.txt'`))[0]!.n).toBe(0);
  });

  it("two bodies' pseudonyms of the same practices cannot be joined", async () => {
    const ats = await connect(names.ats, atsKey);
    const region = await connect(names.region, regionKey);
    try {
      const a = pseudonyms(String(await ats.get(`/out/export/${FILE()}`)));
      const r = pseudonyms(String(await region.get(`/out/export/${FILE()}`)));
      expect(a.size).toBeGreaterThan(0);
      expect(r.size).toBeGreaterThanOrEqual(a.size);
      expect([...a].filter((p) => r.has(p))).toEqual([]);
    } finally {
      await ats.end();
      await region.end();
    }
  });

  it("follows the stored visibility sheet: without anonymous rows for ATS users, the folder is empty", async () => {
    await db().transaction((tx) => writeSheet(tx, { ...DEFAULT_SHEET, ats: { ...DEFAULT_SHEET.ats, pratiche: "aggregata", importi: "aggregata" } }));
    forgetStoredSheet();
    const client = await connect(names.ats, atsKey);
    try {
      expect(await client.list("/out/export")).toEqual([]);
      await expect(client.get(`/out/export/${FILE()}`)).rejects.toThrow(/File non trovato|No such file/);
    } finally {
      await client.end();
    }
  });
});
