/**
 * The only folders an SFTP account sees (issue 18). A path is resolved by name, never against a
 * file system: `..`, links and anything outside these folders are refused, so nothing a client
 * sends can reach a file of the server.
 */
export const SFTP_DIRS = ["/", "/in", "/out", "/out/esiti", "/out/export", "/verifica"] as const;
export type SftpDir = (typeof SFTP_DIRS)[number];

export type SftpPath =
  | { kind: "dir"; dir: SftpDir }
  | { kind: "file"; dir: FileDir; name: string }
  | { kind: "refused"; reason: "traversal" | "control_character" | "outside" | "name" | "territorial" };

/** `/verifica` checks a file without sending it (a dry run, docs/decisions/0102). */
export type FileDir = "/in" | "/out/esiti" | "/out/export" | "/verifica";
const FILE_DIRS = new Set(["/in", "/out/esiti", "/out/export", "/verifica"]);
/** Names a gestore's software may give a file: letters, digits, dot, dash, underscore, at most 100. */
export const FILE_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export function resolveSftpPath(raw: string): SftpPath {
  if (/[\u0000-\u001f\u007f]/.test(raw)) return { kind: "refused", reason: "control_character" };
  const parts = raw.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.includes("..")) return { kind: "refused", reason: "traversal" };
  const full = `/${parts.join("/")}`;
  if ((SFTP_DIRS as readonly string[]).includes(full)) return { kind: "dir", dir: full as SftpDir };
  const dir = `/${parts.slice(0, -1).join("/")}`;
  const name = parts[parts.length - 1] ?? "";
  if (!FILE_DIRS.has(dir)) return { kind: "refused", reason: "outside" };
  if (!FILE_NAME_RE.test(name)) return { kind: "refused", reason: "name" };
  return { kind: "file", dir: dir as FileDir, name };
}

/** What a territorial body's account sees: its anonymous rows in /out/export, nothing to send (ADR 109). */
const TERRITORIAL_DIRS: readonly string[] = ["/", "/out", "/out/export"];

/** resolveSftpPath, narrowed for a territorial body's account to /out/export. */
export function resolveSftpPathFor(raw: string, territorial: boolean): SftpPath {
  const p = resolveSftpPath(raw);
  if (!territorial || p.kind === "refused") return p;
  if (p.kind === "dir" ? TERRITORIAL_DIRS.includes(p.dir) : p.dir === "/out/export") return p;
  return { kind: "refused", reason: "territorial" };
}

export const REFUSED_PATH_MESSAGES: Record<Extract<SftpPath, { kind: "refused" }>["reason"], string> = {
  traversal: "Percorso non ammesso: «..» non è consentito",
  control_character: "Nome non ammesso: contiene un carattere di controllo",
  outside: "Percorso non ammesso: usare solo le cartelle /in, /verifica, /out/esiti e /out/export",
  territorial: "Percorso non ammesso: l'utenza di un ente territoriale ha solo la cartella /out/export",
  name: "Nome di file non ammesso: solo lettere, cifre, punto, trattino e trattino basso (al massimo 100 caratteri)",
};
