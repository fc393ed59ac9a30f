import fs from "node:fs";
import { parseArgs } from "node:util";
import { eq } from "drizzle-orm";
import { describeChainReport, verifyAuditChain } from "~/audit/audit-chain.server";
import { exportSubjectAuditCsv } from "~/audit/audit-subject.server";
import { createApiToken } from "~/auth/api-tokens.server";
import { InputError } from "~/lib/errors";
import { normalizeFiscalCode } from "~/lib/fiscal-code";
import { addGestore, addMeasure, addOrgUnit, addUserWithAccess } from "~/registry/registry.server";
import { ConfigError, parseConfig } from "~/config.server";
import { createTerritorialSftpAccount, revokeSftpAccountByUsername } from "~/sftp/accounts.server";
import { addExtraHoliday, setMeasureObligation } from "~/timeliness/settings.server";
import { connect } from "~db/client";
import { gestori, users } from "~db/schema";
import { prepareDatabase } from "./database";

const USAGE = `Uso: npm run admin -- <comando> [opzioni]

Comandi:
  gestore:add  --cf <11 cifre> --name "<denominazione>" [--email <e-mail>] [--pec <pec>]
  measure:add  --code <codice> --name "<nome>" [--description "<testo>"] [--gestori <cf,cf>]
  measure:obligation --code <codice misura> --cadence <monthly|every_n_days|none>
               [--day <giorno del mese successivo, o N giorni>] [--starts-on AAAA-MM-GG] [--ends-on AAAA-MM-GG]
               [--reminder-every <giorni>] [--escalate-after <promemoria>]
               [--max-istruttoria <giorni>] [--max-sospesa <giorni>] [--org-unit <codice struttura>]
  holiday:add  --date <MM-GG ogni anno | AAAA-MM-GG una volta> --name "<festività>"
  orgunit:add  --code <codice> --name "<nome>"
  user:add     --cf <codice fiscale> --name <nome> --surname <cognome> --email <e-mail> --role <ruolo>
               [--gestore <cf ente>] [--org-unit <codice struttura>] [--territory <livello:codice>]
               ruoli: gestore_operatore, gestore_referente, funzionario, dirigente, amministratore, osservatore,
               referente_regionale, amministratore_ats, operatore_territoriale, operatore_helpdesk
               --territory per i ruoli territoriali: regione:<codice ISTAT>, ats:<codice ATS> o comune:<codice ISTAT>
               (ad esempio --role referente_regionale --territory regione:11)
  sftp:territorio --cf <codice fiscale del titolare> --territory <livello:codice> --ip <indirizzi o reti>
               --key <file della chiave pubblica> [--password]
               utenza SFTP di un ente territoriale: legge in /out/export le righe anonime del territorio;
               il titolare deve essere abilitato per quel territorio; la password è stampata una volta sola
  sftp:revoca  --username <nome utenza>
               revoca un'utenza SFTP (di un ente gestore o di un ente territoriale): non potrà più accedere
  token:create --user <codice fiscale> [--gestore <cf ente>] [--label "<descrizione>"]
               stampa solo il token, che non sarà più mostrato
  audit:verify [--from AAAA-MM-GG]
               verifica le catene di impronte del registro accessi e indica la prima riga alterata
  audit:subject --cf <codice fiscale>
               stampa in CSV (per Excel) ogni riga del registro accessi che riguarda la persona;
               ad esempio: npm run admin -- audit:subject --cf RSSMRA80A01H501U > richiesta.csv`;

const OPTIONS = {
  cf: { type: "string" },
  name: { type: "string" },
  surname: { type: "string" },
  email: { type: "string" },
  pec: { type: "string" },
  code: { type: "string" },
  description: { type: "string" },
  gestori: { type: "string" },
  role: { type: "string" },
  gestore: { type: "string" },
  "org-unit": { type: "string" },
  territory: { type: "string" },
  user: { type: "string" },
  username: { type: "string" },
  label: { type: "string" },
  cadence: { type: "string" },
  day: { type: "string" },
  "starts-on": { type: "string" },
  "ends-on": { type: "string" },
  "reminder-every": { type: "string" },
  "escalate-after": { type: "string" },
  "max-istruttoria": { type: "string" },
  "max-sospesa": { type: "string" },
  date: { type: "string" },
  from: { type: "string" },
  key: { type: "string" },
  ip: { type: "string" },
  password: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

const ALLOWED: Record<string, (keyof typeof OPTIONS)[]> = {
  "gestore:add": ["cf", "name", "email", "pec"],
  "measure:add": ["code", "name", "description", "gestori"],
  "orgunit:add": ["code", "name"],
  "measure:obligation": ["code", "cadence", "day", "starts-on", "ends-on", "reminder-every", "escalate-after", "max-istruttoria", "max-sospesa", "org-unit"],
  "holiday:add": ["date", "name"],
  "user:add": ["cf", "name", "surname", "email", "role", "gestore", "org-unit", "territory"],
  "token:create": ["user", "gestore", "label"],
  "sftp:territorio": ["cf", "territory", "key", "ip", "password"],
  "sftp:revoca": ["username"],
  "audit:verify": ["from"],
  "audit:subject": ["cf"],
};

function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

let parsed;
try {
  parsed = parseArgs({ args: process.argv.slice(2), options: OPTIONS, allowPositionals: true, strict: true });
} catch (e) {
  fail(`${(e as Error).message.replace(/^Unknown option/, "Opzione sconosciuta")}\n\n${USAGE}`);
}
const [command, ...extra] = parsed.positionals;
if (parsed.values.help || !command) fail(USAGE, parsed.values.help ? 0 : 2);
if (!ALLOWED[command]) fail(`Comando sconosciuto: ${command}\n\n${USAGE}`);
if (extra.length) fail(`Argomenti non previsti: ${extra.join(" ")}\n\n${USAGE}`);
const v = parsed.values;
const misplaced = (Object.keys(v) as (keyof typeof OPTIONS)[]).filter((k) => k !== "help" && !ALLOWED[command]!.includes(k));
if (misplaced.length) fail(`Opzioni non ammesse per ${command}: ${misplaced.map((k) => `--${k}`).join(", ")}`);

let config;
try {
  config = parseConfig();
} catch (e) {
  fail(e instanceof ConfigError ? e.message : String(e), 1);
}
const database = await prepareDatabase(config);
const { sql, db } = connect(database.url, { max: 2 });
const who = { system: "cli" };
let exitCode = 0;
try {
  switch (command) {
    case "gestore:add": {
      const g = await addGestore(db, who, { cf: v.cf ?? "", name: v.name ?? "", email: v.email, pec: v.pec });
      console.log(`Ente gestore registrato: ${g.name}`);
      break;
    }
    case "measure:add": {
      const list = v.gestori ? v.gestori.split(",").map((s) => s.trim()).filter(Boolean) : [];
      const m = await addMeasure(db, who, { code: v.code ?? "", name: v.name ?? "", description: v.description, gestori: list });
      console.log(`Misura registrata: ${m.code}`);
      break;
    }
    case "measure:obligation": {
      const m = await setMeasureObligation(db, who, {
        code: v.code ?? "",
        cadence: (v.cadence ?? "") as never,
        day: v.day as never,
        startsOn: v["starts-on"],
        endsOn: v["ends-on"],
        reminderEveryDays: v["reminder-every"] as never,
        escalateAfterReminders: v["escalate-after"] as never,
        maxDaysIstruttoria: v["max-istruttoria"] as never,
        maxDaysSospesa: v["max-sospesa"] as never,
        orgUnit: v["org-unit"],
      });
      console.log(`Obbligo di invio della misura ${m.code}: ${m.obligationCadence ? `${m.obligationCadence === "monthly" ? "mensile, entro il giorno" : "ogni"} ${m.obligationDay}${m.obligationCadence === "monthly" ? " del mese successivo" : " giorni"} dal ${m.obligationStartsOn}` : "nessuno"}`);
      break;
    }
    case "holiday:add": {
      const h = await addExtraHoliday(db, who, { date: v.date ?? "", name: v.name ?? "" });
      console.log(`Festività registrata: ${h.name}`);
      break;
    }
    case "orgunit:add": {
      const o = await addOrgUnit(db, who, { code: v.code ?? "", name: v.name ?? "" });
      console.log(`Struttura registrata: ${o.code}`);
      break;
    }
    case "user:add": {
      const [level, code] = v.territory ? v.territory.split(":") : [];
      const { access } = await addUserWithAccess(db, who, {
        territoryLevel: level as never,
        territoryCode: code,
        cf: v.cf ?? "",
        name: v.name ?? "",
        surname: v.surname ?? "",
        email: v.email ?? "",
        role: (v.role ?? "") as never,
        gestore: v.gestore,
        orgUnit: v["org-unit"],
      });
      console.log(`Utente abilitato con ruolo ${access.role}`);
      break;
    }
    case "sftp:territorio": {
      const publicKeys = v.key ? fs.readFileSync(v.key, "utf8") : "";
      const a = await createTerritorialSftpAccount(db, who, { holderCf: v.cf ?? "", territory: v.territory ?? "", publicKeys, allowedCidrs: v.ip ?? "", withPassword: v.password ? "on" : undefined });
      console.log(`Utenza SFTP ${a.username} creata.${a.password ? ` Password (non sarà più mostrata): ${a.password}` : ""}`);
      break;
    }
    case "sftp:revoca": {
      if (!v.username) throw new InputError("--username obbligatorio: il nome dell'utenza SFTP");
      const row = await revokeSftpAccountByUsername(db, who, v.username);
      console.log(`Utenza SFTP ${row.username} revocata.`);
      break;
    }
    case "token:create": {
      if (!v.user) throw new InputError("--user obbligatorio: codice fiscale dell'operatore");
      const [user] = await db.select().from(users).where(eq(users.fiscalCode, normalizeFiscalCode(v.user)));
      if (!user) throw new InputError("Nessun utente registrato con questo codice fiscale");
      let gestoreId: string | undefined;
      if (v.gestore) {
        const [g] = await db.select().from(gestori).where(eq(gestori.fiscalCode, v.gestore));
        if (!g) throw new InputError(`Ente gestore ${v.gestore} non registrato`);
        gestoreId = g.id;
      }
      const { token } = await createApiToken(db, who, { userId: user.id, gestoreId, label: v.label ?? "creato da riga di comando" });
      process.stdout.write(`${token}\n`);
      break;
    }
    case "audit:verify": {
      if (v.from && !/^\d{4}-\d{2}-\d{2}$/.test(v.from)) throw new InputError("--from: data nel formato AAAA-MM-GG");
      const report = await verifyAuditChain(db, { from: v.from });
      console.log(describeChainReport(report));
      if (report.broken) exitCode = 3;
      break;
    }
    case "audit:subject": {
      if (!v.cf) throw new InputError("--cf obbligatorio: codice fiscale della persona");
      const { csv } = await exportSubjectAuditCsv(db, who, v.cf);
      process.stdout.write(csv);
      break;
    }
  }
} catch (e) {
  exitCode = 1;
  console.error(e instanceof InputError ? `Errore: ${e.message}` : `Errore imprevisto: ${(e as Error).message}`);
} finally {
  await sql.end({ timeout: 5 });
  await database.stop();
}
process.exit(exitCode);
