import path from "node:path";
import { productionSpCertificateRefusal } from "~/auth/certificates.server";
import { ConfigError, parseConfig } from "~/config.server";
import { stopBoss } from "~/jobs/queue.server";
import { closeDb } from "~db/client";
import { seedDemoEnablement } from "~/demo/enablement";
import { seedDemoCatalogue } from "~/demo/catalogue";
import { seedMonitoringDemo } from "~/demo/monitoring";
import { seedTerritoriesDemo } from "~/demo/territories";
import { seedDemoData, seedDemoHistory } from "~/demo/seed";
import { seedDemoTimeliness } from "~/demo/timeliness";
import { seedDemoBackoffice } from "~/demo/backoffice";
import { demoSftpKeyFile, seedDemoSftp } from "~/demo/sftp";
import { seedDemoApplications } from "~/demo/applications";
import { buildIfNeeded } from "./build-if-needed";
import { prepareDatabase } from "./database";
import { supervise } from "./supervise";
import { WORKER_NODE_FLAGS } from "./worker-flags";

/**
 * `npm start`: one command for the whole platform — database (embedded unless DATABASE_URL is
 * set), migrations, demo data, build if the sources changed, then the web and worker processes.
 */
let config: ReturnType<typeof parseConfig>;
try {
  config = parseConfig();
} catch (e) {
  console.error(e instanceof ConfigError ? e.message : String(e));
  process.exit(1);
}

const spCertificateRefusal = productionSpCertificateRefusal(config);
if (spCertificateRefusal) {
  console.error(spCertificateRefusal);
  process.exit(1);
}

const database = await prepareDatabase(config).catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
if (config.demoData) {
  process.env.DATABASE_URL = database.url;
  if (await seedDemoData(database.url)) console.log("Dati dimostrativi caricati.");
  if (await seedDemoEnablement()) console.log("Richieste di abilitazione dimostrative caricate.");
  if (await seedDemoCatalogue(database.url)) console.log("Catalogo dimostrativo dei procedimenti caricato.");
  await seedMonitoringDemo(database.url);
  if (await seedTerritoriesDemo(database.url)) console.log("Ambiti territoriali dimostrativi delle Marche caricati.");
  if (!process.env.DEMO_HISTORY_OFF) {
    const t = Date.now();
    if (await seedDemoHistory(database.url)) console.log(`Storia dimostrativa degli enti caricata (${Math.round((Date.now() - t) / 1000)} s).`);
  }
  if (await seedDemoTimeliness(database.url, { now: new Date() })) console.log("Obblighi di invio, promemoria e posta dimostrativi caricati.");
  if (await seedDemoBackoffice({ now: new Date() })) console.log("Lavorazioni e messaggi dimostrativi caricati.");
  if (config.sftp.port && (await seedDemoSftp(database.url, config)))
    console.log(`Utenza SFTP dimostrativa g01234567897-01 creata; chiave privata in ${demoSftpKeyFile(config)}.`);
  if (await seedDemoApplications()) console.log("Domande online dimostrative caricate (Sofia Romano).");
  await stopBoss();
  await closeDb();
}
if (!buildIfNeeded()) {
  console.error("Compilazione non riuscita.");
  process.exit(1);
}

const env = { ...process.env, DATABASE_URL: database.url };
let stopping = false;

// A dead web or worker process is restarted with a back-off, never taking the other one down:
// one crash in an ingestion must not stop the public site (issue 20).
const processes = [
  supervise("web", process.execPath, ["--import", "tsx", "app/bin/web.ts"], { env }),
  supervise("worker", process.execPath, [...WORKER_NODE_FLAGS, "--import", "tsx", "app/bin/worker.ts"], { env }),
  // The SFTP channel for gestori's software (issue 18); SFTP_PORT=0 leaves it off.
  ...(config.sftp.port ? [supervise("sftp", process.execPath, ["--import", "tsx", "app/bin/sftp.ts"], { env })] : []),
];

async function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  await Promise.all(processes.map((p) => p.stop()));
  await database.stop();
  process.exit(code);
}

process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

console.log(`\nPiattaforma avviata: apri ${config.baseUrl}\n${database.embedded ? `(PostgreSQL incorporato, dati in ${path.join(config.dataDir, "postgres")})\n` : ""}Ctrl-C per fermare.`);
