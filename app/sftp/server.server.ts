import net from "node:net";
import ssh2 from "ssh2";
import type { AuthContext, Connection, SFTPWrapper } from "ssh2";
import { audit, auditAnonymousFailure, type ChangeAuthor } from "~/audit/audit.server";
import type { Config } from "~/config.server";
import { cidrMatcher, plainAddress } from "~/lib/cidr";
import { shownValue } from "~/lib/text-safety";
import { FileTooLargeError } from "~/uploads/storage.server";
import { GestoreInactiveError, receiveUpload } from "~/uploads/receive.server";
import { drizzleOver, getDb } from "~db/client";
import { activeAccessesOf } from "~db/queries/users";
import { activeSftpRanges, sftpAccountByUsername } from "~db/queries/sftp";
import { isGestoreRole, isTerritorialRole, type Viewer } from "~db/scope";
import { sftpUploads } from "~db/schema";
import { passwordMatches } from "./accounts.server";
import { loadHostKey } from "./host-key.server";
import { sshFingerprint } from "./keys.server";
import { markOutFileRead, outFiles } from "./outbox.server";
import { REFUSED_PATH_MESSAGES, resolveSftpPathFor, type FileDir, type SftpDir } from "./paths";
import { CheckResults, type CheckFile } from "./checks";
import { DryRunFailed, dryRunUpload, type DryRunOutcome } from "~/uploads/dry-run.server";
import { errorsCsvText } from "~/uploads/outcome.server";
import { UploadStream } from "./upload-stream";

const { STATUS_CODE, OPEN_MODE } = ssh2.utils.sftp;
const { parseKey } = ssh2.utils;

/**
 * Only ciphers Node's own OpenSSL runs: without ssh2's optional native addon (npm 11 does not
 * build it) chacha20-poly1305, first in OpenSSH's preferences, would run in JavaScript at a few
 * hundred KB/s (docs/decisions/0075).
 */
const CIPHERS = ["aes128-gcm@openssh.com", "aes256-gcm@openssh.com", "aes128-ctr", "aes192-ctr", "aes256-ctr"] as ssh2.CipherAlgorithm[];
/** Failed authentication attempts allowed on one connection before it is closed. */
const MAX_AUTH_FAILURES = 6;
/** The allow-lists are read again at most this often for the check at connection time. */
const RANGES_TTL_MS = 5_000;

type Account = NonNullable<Awaited<ReturnType<typeof sftpAccountByUsername>>>;
type Signed = { account: Account["account"]; user: Account["user"]; role: string };

export type SftpServer = { port: number; fingerprint: string; close(): Promise<void> };

type Handle =
  | { type: "dir"; names: { filename: string; longname: string; attrs: ssh2.Attributes }[]; sent: boolean; path: SftpDir }
  | { type: "write"; name: string; stream: UploadStream; offset: number; done: Promise<{ uploadId: string; reused: boolean } | Error> }
  | { type: "check"; name: string; stream: UploadStream; offset: number; done: Promise<DryRunOutcome | Error> }
  | { type: "read"; file: CheckFile; path: string; ranges: [number, number][]; onComplete: () => Promise<void> };

const DIR_MODE = 0o040755;
const FILE_MODE = 0o100644;
const dirAttrs = (): ssh2.Attributes => ({ mode: DIR_MODE, uid: 0, gid: 0, size: 0, atime: 0, mtime: 0 });
const fileAttrs = (size: number): ssh2.Attributes => ({ mode: FILE_MODE, uid: 0, gid: 0, size, atime: 0, mtime: Math.floor(Date.now() / 1000) });
const longname = (name: string, size: number, dir: boolean) => `${dir ? "d" : "-"}rw-r--r--    1 gp       gp       ${String(size).padStart(10)} ${name}`;

const SUBDIRS: Record<SftpDir, string[]> = { "/": ["in", "out", "verifica"], "/in": [], "/out": ["esiti", "export"], "/out/esiti": [], "/out/export": [], "/verifica": [] };
/** A territorial body's account: only its anonymous rows to read (ADR 109). */
const TERRITORIAL_SUBDIRS: Record<SftpDir, string[]> = { ...SUBDIRS, "/": ["out"], "/out": ["export"] };

/** Italian status messages a client shows as they are. */
const MSG = {
  revoked: "Utenza SFTP revocata o persona non più abilitata",
  readOnly: "Cartella in sola lettura",
  writeOnly: "La cartella /in accetta solo file in scrittura",
  noSuchFile: "File non trovato",
  notSequential: "Scrittura non sequenziale: inviare il file dall'inizio alla fine",
  tooLarge: "File troppo grande: al massimo 200 MB",
  unsupported: "Operazione non ammessa su questo server",
  failed: "Errore interno: il file non è stato ricevuto, riprovare più tardi",
} as const;

/** Merges a read range into the list, to know when a file has been read in full. */
function addRange(ranges: [number, number][], start: number, end: number) {
  ranges.push([start, end]);
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  ranges.splice(0, ranges.length, ...merged);
}

async function usable(row: Account | null): Promise<{ ok: true; role: string } | { ok: false; reason: string }> {
  if (!row) return { ok: false, reason: "unknown_user" };
  if (row.account.revokedAt) return { ok: false, reason: "account_revoked" };
  const { gestoreId, territoryLevel, territoryCode } = row.account;
  // The holder must still be enabled for the account's gestore, or for the account's very territory.
  const access = (await activeAccessesOf(getDb(), row.user.id)).find((a) =>
    gestoreId
      ? isGestoreRole(a.access.role) && a.access.gestoreId === gestoreId
      : isTerritorialRole(a.access.role) && a.access.territoryLevel === territoryLevel && a.access.territoryCode === territoryCode,
  );
  if (!access) return { ok: false, reason: "person_not_enabled" };
  return { ok: true, role: access.access.role };
}

/**
 * The SFTP server of issue 18 (docs/decisions/0075). Every account sees the same fixed folders;
 * nothing is written to the server's disk: a file put in /in streams into the same durable store
 * and queue as the web and the API, and /out/esiti is rendered from the stored outcomes.
 */
export async function startSftpServer(config: Config, opts: { port?: number; host?: string; log?: (m: string) => void } = {}): Promise<SftpServer> {
  const { sftp } = config;
  const log = opts.log ?? ((m: string) => console.log(m));
  const hostKey = loadHostKey(sftp);
  if (hostKey.generated) log(`Chiave del server SFTP generata in ${sftp.hostKeyFile}.`);
  const sessionsPerAccount = new Map<string, number>();
  const connectionsPerAddress = new Map<string, number>();
  const open = new Set<Connection>();
  const checks = new CheckResults();
  let ranges: { at: number; allowed: (ip: string) => boolean } | null = null;

  async function allowedSomewhere(ip: string) {
    if (!ranges || Date.now() - ranges.at > RANGES_TTL_MS) {
      const matcher = cidrMatcher(await activeSftpRanges(getDb()));
      ranges = { at: Date.now(), allowed: (a) => matcher(a) };
    }
    return ranges.allowed(ip);
  }

  const ssh = new ssh2.Server({ hostKeys: [hostKey.privateKey], ident: "gestpratiche-sftp", algorithms: { cipher: CIPHERS } }, (client, info) => {
    open.add(client);
    handleClient(client, plainAddress(info.ip));
  });

  // Our own listener in front of ssh2: an address outside every account's allow-list is closed
  // before the SSH handshake, and so is one over its connection limit.
  const tcp = net.createServer((socket) => {
    const ip = plainAddress(socket.remoteAddress ?? "");
    socket.on("error", () => {});
    socket.setNoDelay(true);
    void (async () => {
      const count = connectionsPerAddress.get(ip) ?? 0;
      let refusal: string | null = null;
      if (!(await allowedSomewhere(ip).catch(() => false))) refusal = "address_not_allowed";
      else if (count >= sftp.maxSessionsPerAddress) refusal = "too_many_connections_from_address";
      if (refusal) {
        await auditAnonymousFailure(ip, { action: "sftp.connect", reason: refusal }).catch(() => {});
        socket.destroy();
        return;
      }
      connectionsPerAddress.set(ip, count + 1);
      socket.once("close", () => {
        const n = (connectionsPerAddress.get(ip) ?? 1) - 1;
        if (n > 0) connectionsPerAddress.set(ip, n);
        else connectionsPerAddress.delete(ip);
      });
      ssh.injectSocket(socket);
    })();
  });

  function handleClient(client: Connection, ip: string) {
    let signed: Signed | null = null;
    let failures = 0;
    let bytesIn = 0;
    let bytesOut = 0;
    const startedAt = Date.now();
    let idle: NodeJS.Timeout | null = null;
    // Requests the server is still answering (a CLOSE waiting for a dry run): not the client's idleness.
    let busy = 0;
    const who = (): ChangeAuthor => ({ actor: signed ? { userId: signed.user.id, fiscalCode: signed.user.fiscalCode, role: signed.role } : null, ip });
    const base = () => (signed ? { gestoreId: signed.account.gestoreId, objectType: "sftp_account", objectId: signed.account.id } : {});
    const trace = (action: string, details: Record<string, unknown>, outcome: "success" | "failure" | "denied" = "success") =>
      audit(null, who(), { action, outcome, ...base(), details: { username: signed?.account.username, ...details } }).catch((e: Error) =>
        log(`Registro SFTP non scritto (${action}): ${e.message}`),
      );
    const touch = () => {
      if (idle) clearTimeout(idle);
      idle = setTimeout(() => {
        if (busy > 0) return touch();
        void trace("sftp.idle", { seconds: Math.round(sftp.idleMs / 1000) });
        client.end();
      }, sftp.idleMs);
    };
    touch();

    client.on("error", () => {});
    client.on("authentication", (ctx) => void authenticate(ctx));
    client.on("close", () => {
      if (idle) clearTimeout(idle);
      open.delete(client);
      if (signed) {
        const n = (sessionsPerAccount.get(signed.account.id) ?? 1) - 1;
        if (n > 0) sessionsPerAccount.set(signed.account.id, n);
        else sessionsPerAccount.delete(signed.account.id);
        void trace("sftp.disconnect", { bytesIn, bytesOut, seconds: Math.round((Date.now() - startedAt) / 1000) });
      }
    });

    async function authenticate(ctx: AuthContext) {
      touch();
      try {
        const username = ctx.username.slice(0, 32);
        const row = /^[a-z0-9-]{1,32}$/.test(username) ? await sftpAccountByUsername(getDb(), username) : null;
        // The account's own allow-list is checked before any credential is looked at.
        if (row && !row.account.revokedAt && !cidrMatcher(row.account.allowedCidrs)(ip)) {
          await audit(null, { ip }, { action: "sftp.connect", outcome: "denied", gestoreId: row.account.gestoreId, objectType: "sftp_account", objectId: row.account.id, details: { username, reason: "address_not_allowed" } });
          client.end();
          return;
        }
        const state = await usable(row);
        const presented = ctx.method === "publickey" ? sshFingerprint(ctx.key.data) : undefined;
        const refuse = async (reason: string, audited = true) => {
          failures += 1;
          if (audited) {
            if (row) await audit(null, { ip }, { action: "sftp.auth", outcome: "failure", gestoreId: row.account.gestoreId, objectType: "sftp_account", objectId: row.account.id, details: { username, method: ctx.method, reason, key: presented } });
            else await auditAnonymousFailure(ip, { action: "sftp.auth", reason });
          }
          if (failures >= MAX_AUTH_FAILURES) client.end();
          else ctx.reject(row?.account.passwordHash ? ["publickey", "password"] : ["publickey"]);
        };
        if (!row || !state.ok) return await refuse(state.ok ? "unknown_user" : state.reason);
        if (ctx.method === "none") return await refuse("none", false);
        if (ctx.method === "publickey") {
          const match = row.account.publicKeys.find((k) => k.fingerprint === presented);
          if (!match) return await refuse("key_not_allowed");
          if (!ctx.signature) return ctx.accept(); // the client asks whether it may use this key
          const key = parseKey(match.line);
          if (key instanceof Error || Array.isArray(key) || key.verify(ctx.blob!, ctx.signature, ctx.hashAlgo) !== true) return await refuse("bad_signature");
        } else if (ctx.method === "password") {
          if (!(await passwordMatches(ctx.password, row.account.passwordHash))) return await refuse("bad_password");
        } else {
          return await refuse(`method_${ctx.method}`, false);
        }
        const sessions = sessionsPerAccount.get(row.account.id) ?? 0;
        if (sessions >= sftp.maxSessionsPerAccount) return await refuse("too_many_sessions");
        sessionsPerAccount.set(row.account.id, sessions + 1);
        signed = { account: row.account, user: row.user, role: state.role };
        await trace("sftp.auth", { method: ctx.method, key: presented });
        ctx.accept();
      } catch (e) {
        log(`Autenticazione SFTP non completata: ${(e as Error).message}`);
        client.end();
      }
    }

    client.on("ready", () => {
      client.on("session", (accept) => {
        const session = accept();
        session.on("sftp", (acceptSftp) => serveSftp(acceptSftp()));
      });
    });

    /** Re-checked on every open: revoking the account or the person's access takes effect at once. */
    async function stillAllowed() {
      const state = await usable(await sftpAccountByUsername(getDb(), signed!.account.username));
      if (state.ok) return true;
      await trace("sftp.revoked", { reason: state.reason }, "denied");
      client.end();
      return false;
    }

    function serveSftp(s: SFTPWrapper) {
      const territorial = signed!.account.gestoreId === null;
      const resolve = (raw: string) => resolveSftpPathFor(raw, territorial);
      const subdirs = territorial ? TERRITORIAL_SUBDIRS : SUBDIRS;
      const outOf = (dir: "/out/esiti" | "/out/export") => outFiles(getDb(), { ...signed!.account, role: signed!.role }, dir);
      const handles = new Map<number, Handle>();
      let nextHandle = 1;
      const newHandle = (h: Handle) => {
        const id = nextHandle++;
        handles.set(id, h);
        const buf = Buffer.alloc(4);
        buf.writeUInt32BE(id);
        return buf;
      };
      const handleOf = (buf: Buffer) => (buf.length === 4 ? handles.get(buf.readUInt32BE(0)) : undefined);
      // Requests that touch the database are answered in the order they arrived, so a listing
      // sent after a CLOSE sees what that CLOSE did (a file read in full is gone).
      let chain: Promise<void> = Promise.resolve();
      const guarded = (reqid: number, fn: () => Promise<void>) => {
        touch();
        busy += 1;
        chain = chain.then(() =>
          fn()
            .catch((e: Error) => {
              log(`Richiesta SFTP non riuscita: ${e.message}`);
              s.status(reqid, STATUS_CODE.FAILURE, MSG.failed);
            })
            .finally(() => {
              busy -= 1;
              touch();
            }),
        );
      };
      const refusePath = async (reqid: number, raw: string, reason: keyof typeof REFUSED_PATH_MESSAGES) => {
        await trace("sftp.refused", { path: shownValue(raw, 200), reason }, "denied");
        s.status(reqid, STATUS_CODE.PERMISSION_DENIED, REFUSED_PATH_MESSAGES[reason]);
      };

      /** A file the account may read in a folder: /out from the database, /verifica from memory. */
      const readable = async (dir: FileDir, name: string): Promise<{ file: CheckFile; onComplete: () => Promise<void> } | undefined> => {
        const accountId = signed!.account.id;
        if (dir === "/verifica") {
          const file = checks.list(accountId).find((f) => f.name === name);
          return file && { file, onComplete: async () => void checks.remove(accountId, name) };
        }
        if (dir === "/in") return undefined;
        const file = (await outOf(dir)).find((f) => f.name === name);
        // The anonymous rows are traced when opened, as every download of them (ADR 82, 109).
        if (file?.kind === "anonymous") await trace("monitoring.anonymous_export", { channel: "sftp", format: "csv", file: file.name, ...file.summary });
        return file && { file, onComplete: () => markOutFileRead(getDb(), file) };
      };

      // Partial files: a connection that drops with a file open for writing stores nothing.
      const abandon = () => {
        for (const [id, h] of handles) {
          if (h.type !== "write" && h.type !== "check") continue;
          handles.delete(id);
          h.stream.fail(new Error("connection closed mid-transfer"));
          void h.done.then(() => trace("sftp.write", { path: `/in/${h.name}`, bytes: h.stream.bytes, reason: "interrupted" }, "failure"));
        }
      };
      s.on("close", abandon);
      client.on("close", abandon);

      s.on("REALPATH", (reqid, raw) =>
        guarded(reqid, async () => {
          const p = resolve(raw);
          if (p.kind === "refused") return refusePath(reqid, raw, p.reason);
          const full = p.kind === "dir" ? p.dir : `${p.dir}/${p.name}`;
          s.name(reqid, [{ filename: full, longname: full, attrs: p.kind === "dir" ? dirAttrs() : fileAttrs(0) }]);
        }),
      );

      const stat = (reqid: number, raw: string) =>
        guarded(reqid, async () => {
          const p = resolve(raw);
          if (p.kind === "refused") return refusePath(reqid, raw, p.reason);
          if (p.kind === "dir") return s.attrs(reqid, dirAttrs());
          const found = await readable(p.dir, p.name);
          if (!found) return s.status(reqid, STATUS_CODE.NO_SUCH_FILE, MSG.noSuchFile);
          s.attrs(reqid, fileAttrs(found.file.content.length));
        });
      s.on("STAT", stat);
      s.on("LSTAT", stat);

      s.on("FSTAT", (reqid, buf) => {
        touch();
        const h = handleOf(buf);
        if (!h) return s.status(reqid, STATUS_CODE.FAILURE);
        s.attrs(reqid, h.type === "dir" ? dirAttrs() : fileAttrs(h.type === "read" ? h.file.content.length : h.stream.bytes));
      });

      s.on("OPENDIR", (reqid, raw) =>
        guarded(reqid, async () => {
          if (!(await stillAllowed())) return;
          const p = resolve(raw);
          if (p.kind === "refused") return refusePath(reqid, raw, p.reason);
          if (p.kind !== "dir") return s.status(reqid, STATUS_CODE.NO_SUCH_FILE, MSG.noSuchFile);
          const names = subdirs[p.dir].map((n) => ({ filename: n, longname: longname(n, 0, true), attrs: dirAttrs() }));
          const files = p.dir === "/verifica" ? checks.list(signed!.account.id) : p.dir === "/out/esiti" || p.dir === "/out/export" ? await outOf(p.dir) : [];
          for (const f of files) names.push({ filename: f.name, longname: longname(f.name, f.content.length, false), attrs: fileAttrs(f.content.length) });
          await trace("sftp.list", { path: p.dir, entries: names.length });
          s.handle(reqid, newHandle({ type: "dir", names, sent: false, path: p.dir }));
        }),
      );

      s.on("READDIR", (reqid, buf) => {
        touch();
        const h = handleOf(buf);
        if (!h || h.type !== "dir") return s.status(reqid, STATUS_CODE.FAILURE);
        if (h.sent) return s.status(reqid, STATUS_CODE.EOF);
        h.sent = true;
        const dots = [".", ".."].map((n) => ({ filename: n, longname: longname(n, 0, true), attrs: dirAttrs() }));
        s.name(reqid, [...dots, ...h.names]);
      });

      s.on("OPEN", (reqid, raw, flags) =>
        guarded(reqid, async () => {
          if (!(await stillAllowed())) return;
          const p = resolve(raw);
          if (p.kind === "refused") return refusePath(reqid, raw, p.reason);
          if (p.kind === "dir") return s.status(reqid, STATUS_CODE.FAILURE, MSG.noSuchFile);
          const writing = (flags & OPEN_MODE.WRITE) !== 0;
          if (p.dir === "/in") {
            if (!writing || flags & OPEN_MODE.APPEND) return s.status(reqid, STATUS_CODE.PERMISSION_DENIED, MSG.writeOnly);
            return s.handle(reqid, newHandle(startWrite(p.name)));
          }
          if (p.dir === "/verifica" && writing) {
            if (flags & OPEN_MODE.APPEND) return s.status(reqid, STATUS_CODE.PERMISSION_DENIED, MSG.notSequential);
            return s.handle(reqid, newHandle(startCheck(p.name)));
          }
          if (writing) return s.status(reqid, STATUS_CODE.PERMISSION_DENIED, MSG.readOnly);
          const found = await readable(p.dir, p.name);
          if (!found) return s.status(reqid, STATUS_CODE.NO_SUCH_FILE, MSG.noSuchFile);
          s.handle(reqid, newHandle({ type: "read", file: found.file, path: `${p.dir}/${p.name}`, ranges: [], onComplete: found.onComplete }));
        }),
      );

      function startWrite(name: string): Handle {
        const stream = new UploadStream();
        const account = signed!.account;
        const done = receiveUpload({
          // Only a gestore's account reaches /in (resolveSftpPathFor).
          gestoreId: account.gestoreId!,
          userId: account.userId,
          channel: "sftp",
          fileName: name,
          body: stream,
          who: who(),
          onStored: async (tx, uploadId) => {
            await drizzleOver(tx).insert(sftpUploads).values({ uploadId, accountId: account.id }).onConflictDoNothing();
          },
        }).catch((e: Error) => e);
        return { type: "write", name, stream, offset: 0, done };
      }

      /** A file put in /verifica: checked as its ingestion would, nothing stored (docs/decisions/0102). */
      function startCheck(name: string): Handle {
        const stream = new UploadStream();
        const account = signed!.account;
        const done = dryRunUpload({
          // Only a gestore's account reaches /verifica (resolveSftpPathFor).
          gestoreId: account.gestoreId!,
          viewer: { userId: account.userId, role: signed!.role as Viewer["role"], gestoreId: account.gestoreId, orgUnitId: null },
          channel: "sftp",
          fileName: name,
          body: stream,
        }).catch((e: Error) => e);
        return { type: "check", name, stream, offset: 0, done };
      }

      s.on("WRITE", (reqid, buf, offset, data) => {
        touch();
        const h = handleOf(buf);
        if (!h || (h.type !== "write" && h.type !== "check")) return s.status(reqid, STATUS_CODE.FAILURE);
        if (offset !== h.offset) {
          h.stream.fail(new Error("not sequential"));
          return s.status(reqid, STATUS_CODE.FAILURE, MSG.notSequential);
        }
        h.offset += data.length;
        bytesIn += data.length;
        h.stream.push(
          data,
          () => s.status(reqid, STATUS_CODE.OK),
          () => s.status(reqid, STATUS_CODE.FAILURE, MSG.failed),
        );
      });

      s.on("READ", (reqid, buf, offset, length) => {
        touch();
        const h = handleOf(buf);
        if (!h || h.type !== "read") return s.status(reqid, STATUS_CODE.FAILURE);
        if (offset >= h.file.content.length) return s.status(reqid, STATUS_CODE.EOF);
        const chunk = h.file.content.subarray(offset, Math.min(offset + length, h.file.content.length));
        addRange(h.ranges, offset, offset + chunk.length);
        bytesOut += chunk.length;
        s.data(reqid, chunk);
      });

      s.on("CLOSE", (reqid, buf) =>
        guarded(reqid, async () => {
          const h = handleOf(buf);
          if (!h) return s.status(reqid, STATUS_CODE.FAILURE);
          handles.delete(buf.readUInt32BE(0));
          if (h.type === "dir") return s.status(reqid, STATUS_CODE.OK);
          if (h.type === "read") return closeRead(reqid, h);
          if (h.type === "check") return closeCheck(reqid, h);
          h.stream.end();
          const result = await h.done;
          if (result instanceof Error) {
            const tooLarge = result instanceof FileTooLargeError;
            await trace("sftp.write", { path: `/in/${h.name}`, bytes: h.stream.bytes, reason: tooLarge ? "too_large" : result instanceof GestoreInactiveError ? "gestore_inactive" : "failed" }, "failure");
            const message = tooLarge ? MSG.tooLarge : result instanceof GestoreInactiveError ? result.message : MSG.failed;
            return s.status(reqid, STATUS_CODE.FAILURE, message);
          }
          if (result.reused) await getDb().insert(sftpUploads).values({ uploadId: result.uploadId, accountId: signed!.account.id }).onConflictDoNothing();
          await trace("sftp.write", { path: `/in/${h.name}`, bytes: h.stream.bytes, uploadId: result.uploadId, identicalToAccepted: result.reused || undefined });
          s.status(reqid, STATUS_CODE.OK);
        }),
      );

      async function closeCheck(reqid: number, h: Extract<Handle, { type: "check" }>) {
        h.stream.end();
        const result = await h.done;
        const path = `/verifica/${h.name}`;
        if (result instanceof Error) {
          const tooLarge = result instanceof FileTooLargeError;
          await trace("sftp.write", { path, bytes: h.stream.bytes, dryRun: true, reason: tooLarge ? "too_large" : result instanceof GestoreInactiveError ? "gestore_inactive" : "failed" }, "failure");
          const message = tooLarge ? MSG.tooLarge : result instanceof GestoreInactiveError || result instanceof DryRunFailed ? result.message : MSG.failed;
          return s.status(reqid, STATUS_CODE.FAILURE, message);
        }
        const files: CheckFile[] = [{ name: `${h.name}.json`, content: Buffer.from(`${JSON.stringify(result, null, 2)}\n`) }];
        if (result.errorCount > 0) files.push({ name: `${h.name}.errors.csv`, content: Buffer.from(errorsCsvText(result)) });
        checks.put(signed!.account.id, files);
        await trace("sftp.write", { path, bytes: h.stream.bytes, dryRun: true, status: result.status, errorCount: result.errorCount });
        s.status(reqid, STATUS_CODE.OK);
      }

      async function closeRead(reqid: number, h: Extract<Handle, { type: "read" }>) {
        const size = h.file.content.length;
        const complete = size === 0 || (h.ranges.length === 1 && h.ranges[0]![0] === 0 && h.ranges[0]![1] >= size);
        await trace("sftp.read", { path: h.path, bytes: h.ranges.reduce((n, r) => n + r[1] - r[0], 0), complete });
        if (complete) {
          await h.onComplete();
          await trace("sftp.remove", { path: h.path, automatic: true });
        }
        s.status(reqid, STATUS_CODE.OK);
      }

      s.on("REMOVE", (reqid, raw) =>
        guarded(reqid, async () => {
          if (!(await stillAllowed())) return;
          const p = resolve(raw);
          if (p.kind === "refused") return refusePath(reqid, raw, p.reason);
          const found = p.kind === "file" ? await readable(p.dir, p.name) : undefined;
          if (p.kind !== "file" || !found) return s.status(reqid, STATUS_CODE.NO_SUCH_FILE, MSG.noSuchFile);
          await found.onComplete();
          await trace("sftp.remove", { path: `${p.dir}/${p.name}` });
          s.status(reqid, STATUS_CODE.OK);
        }),
      );

      // Times and modes a client may try to set on its upload are ignored; nothing else is possible.
      s.on("FSETSTAT", (reqid, buf) => s.status(reqid, handleOf(buf) ? STATUS_CODE.OK : STATUS_CODE.FAILURE));
      s.on("SETSTAT", (reqid, raw) =>
        guarded(reqid, async () => {
          const p = resolve(raw);
          if (p.kind === "refused") return refusePath(reqid, raw, p.reason);
          s.status(reqid, STATUS_CODE.OK);
        }),
      );
      for (const op of ["MKDIR", "RMDIR", "RENAME", "READLINK", "SYMLINK"] as const)
        s.on(op, (reqid: number, raw: string) =>
          guarded(reqid, async () => {
            await trace("sftp.refused", { op: op.toLowerCase(), path: shownValue(String(raw), 200) }, "denied");
            s.status(reqid, STATUS_CODE.PERMISSION_DENIED, MSG.unsupported);
          }),
        );
    }
  }

  const port = await new Promise<number>((resolve, reject) => {
    tcp.once("error", reject);
    tcp.listen(opts.port ?? sftp.port, opts.host ?? sftp.host, () => resolve((tcp.address() as net.AddressInfo).port));
  });
  return {
    port,
    fingerprint: hostKey.fingerprint,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of open) c.end();
        tcp.close(() => resolve());
      }),
  };
}
