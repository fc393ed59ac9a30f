import { getConfig } from "~/config.server";
import { stopBoss } from "~/jobs/queue.server";
import { log } from "~/lib/logger.server";
import { startSftpServer } from "~/sftp/server.server";
import { closeDb } from "~db/client";
import { ignorePostgresLateWrites } from "~db/postgres-late-write";

/**
 * The SFTP server (issue 18): a process of its own beside the web and the worker, so a crash in
 * it never takes either down, and `npm start` restarts it the same way (docs/decisions/0047, 0075).
 */
ignorePostgresLateWrites((m) => log.warn(m));
const config = getConfig();
const server = await startSftpServer(config, { log: (m) => log.info(m) });
console.log(`Server SFTP in ascolto sulla porta ${server.port} (impronta della chiave del server: ${server.fingerprint}).`);

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  await server.close();
  await stopBoss();
  await closeDb();
  process.exit(0);
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
