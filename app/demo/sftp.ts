import fs from "node:fs";
import path from "node:path";
import type { Actor } from "~/auth/guards.server";
import type { Config } from "~/config.server";
import { createSftpAccount } from "~/sftp/accounts.server";
import { activeAccessesOf, findUserByFiscalCode } from "~db/queries/users";
import { seedOnce } from "./once";
import { generateEd25519Pair } from "~/sftp/keys.server";

const DEMO_REFERENTE = "VRDMRC78C12H501I";
const DEMO_OPERATORE = "BNCGLI85M41A271Q";

/** Where the demo account's private key is written, for the README's `sftp` command line. */
export const demoSftpKeyFile = (config: Config) => path.join(config.dataDir, "sftp", "demo_ed25519");

/**
 * The demo gestore's SFTP account (issue 18): Giulia Bianchi's, created by the referente Marco
 * Verdi, reachable from this machine only, with a key pair whose private half is left in DATA_DIR.
 */
export async function seedDemoSftp(url: string, config: Config) {
  const keyFile = demoSftpKeyFile(config);
  if (!fs.existsSync(keyFile)) {
    const pair = generateEd25519Pair("demo-confidi");
    fs.mkdirSync(path.dirname(keyFile), { recursive: true, mode: 0o700 });
    fs.writeFileSync(keyFile, pair.private, { mode: 0o600 });
    fs.writeFileSync(`${keyFile}.pub`, `${pair.public}\n`);
  }
  const publicKey = fs.readFileSync(`${keyFile}.pub`, "utf8");
  return seedOnce(url, "demo.sftp", async (tx) => {
    const marco = await findUserByFiscalCode(tx, DEMO_REFERENTE);
    const giulia = await findUserByFiscalCode(tx, DEMO_OPERATORE);
    if (!marco || !giulia) return;
    const [access] = (await activeAccessesOf(tx, marco.id)).filter((a) => a.access.role === "gestore_referente");
    if (!access) return;
    const actor: Actor = { userId: marco.id, role: "gestore_referente", gestoreId: access.access.gestoreId, orgUnitId: null, fiscalCode: marco.fiscalCode, name: marco.name, surname: marco.surname, email: marco.email, accessId: access.access.id };
    await createSftpAccount(tx, { actor, ip: null }, { intent: "create", userId: giulia.id, publicKeys: publicKey, allowedCidrs: "127.0.0.1\n::1", receiptMail: "on" });
  });
}
