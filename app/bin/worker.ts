import os from "node:os";
import { getConfig } from "~/config.server";
import { startBoss, stopBoss } from "~/jobs/queue.server";
import { log } from "~/lib/logger.server";
import { closeDb, getDb } from "~db/client";
import { ignorePostgresLateWrites } from "~db/postgres-late-write";
import { registerApplications } from "~/jobs/applications.server";
import { registerEnablement } from "~/jobs/enablement.server";
import { registerIngest } from "~/jobs/ingest.server";
import { registerMail } from "~/jobs/mail.server";
import { registerMaintenance } from "~/jobs/maintenance.server";
import { registerTimeliness } from "~/jobs/timeliness.server";
import { registerSftp } from "~/jobs/sftp.server";

/** The job worker: a separate process so long jobs never slow down web requests. */
ignorePostgresLateWrites((m) => log.warn(m));
const config = getConfig();
// On cores shared with the web processes, the kernel serves them first: at a click day's peak the
// receipts and mails wait a little rather than slow the acknowledgements (docs/decisions/0124).
os.setPriority(config.workerNice);
const boss = await startBoss();
await registerMaintenance(boss, getDb(), { idleMs: config.sessionIdleMs });
await registerIngest(boss);
await registerMail(boss);
await registerTimeliness(boss);
await registerEnablement(boss);
await registerApplications(boss);
await registerSftp(boss);
log.info("worker started");

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  await stopBoss();
  await closeDb();
  process.exit(0);
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
