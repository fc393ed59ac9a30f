/** A result of /verifica: `<name>.json`, and `<name>.errors.csv` when the file has errors. */
export type CheckFile = { name: string; content: Buffer };

/** How long a result waits to be read, and how many an account may have waiting. */
const KEEP_MS = 60 * 60 * 1000;
const MAX_PER_ACCOUNT = 40;

/**
 * The results of SFTP dry runs (docs/decisions/0102), kept only in this process's memory: a dry
 * run stores nothing. A result disappears once read in full or removed, after an hour, or when the
 * account has too many waiting (oldest first), and with a restart of the SFTP server.
 */
export class CheckResults {
  private byAccount = new Map<string, Map<string, { file: CheckFile; at: number }>>();

  constructor(private now: () => number = Date.now) {}

  put(accountId: string, files: CheckFile[]) {
    const mine = this.byAccount.get(accountId) ?? new Map<string, { file: CheckFile; at: number }>();
    this.byAccount.set(accountId, mine);
    for (const file of files) {
      mine.delete(file.name);
      mine.set(file.name, { file, at: this.now() });
    }
    while (mine.size > MAX_PER_ACCOUNT) mine.delete(mine.keys().next().value!);
  }

  list(accountId: string): CheckFile[] {
    const mine = this.byAccount.get(accountId);
    if (!mine) return [];
    for (const [name, entry] of mine) if (this.now() - entry.at > KEEP_MS) mine.delete(name);
    return [...mine.values()].map((e) => e.file);
  }

  remove(accountId: string, name: string) {
    return this.byAccount.get(accountId)?.delete(name) ?? false;
  }
}
