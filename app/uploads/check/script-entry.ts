import type { CheckData } from "./check-file";
import { runCli } from "./cli";

// The downloaded verifica-flusso.mjs: the platform writes its reference data before this bundle.
const data = (globalThis as { VERIFICA_DATA?: CheckData }).VERIFICA_DATA ?? { gestoreFiscalCode: null, measures: null, comuni: [], source: "nessuno" };
process.exitCode = await runCli(process.argv.slice(2), data);
