import { ConfigError, parseConfig } from "~/config.server";
import { prepareDatabase } from "./database";

try {
  const config = parseConfig();
  const db = await prepareDatabase(config);
  console.log("Migrazioni applicate.");
  await db.stop();
} catch (e) {
  console.error(e instanceof ConfigError ? e.message : `Migrazione non riuscita: ${(e as Error).message}`);
  process.exit(1);
}
