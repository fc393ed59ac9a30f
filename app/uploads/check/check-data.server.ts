import fs from "node:fs";
import { getSignedIn } from "~/auth/guards.server";
import { getConfig } from "~/config.server";
import { italianDate, todayInRome } from "~/lib/dates";
import { getDb } from "~db/client";
import { uploadCheckReference } from "~db/queries/uploads";
import { isGestoreRole } from "~db/scope";
import { gestori } from "~db/schema";
import { eq } from "drizzle-orm";
import type { CheckData } from "./check-file";

/**
 * The data the validator checks against, as of now: the signed-in gestore's fiscal code and
 * accredited measures, or for anyone else every open measure and no gestore.
 */
export async function checkDataFor(request: Request): Promise<CheckData> {
  const signedIn = await getSignedIn(request);
  const gestoreId = signedIn && isGestoreRole(signedIn.actor.role) ? signedIn.actor.gestoreId : null;
  const db = getDb();
  const [g] = gestoreId ? await db.select({ fiscalCode: gestori.fiscalCode }).from(gestori).where(eq(gestori.id, gestoreId)) : [];
  const ref = await uploadCheckReference(db, gestoreId);
  return {
    gestoreFiscalCode: g?.fiscalCode ?? null,
    measures: ref.measures,
    comuni: ref.comuni,
    source: `${getConfig().baseUrl}, ${italianDate(todayInRome())}${g ? `, ente gestore ${g.fiscalCode}` : ""}`,
  };
}

/**
 * The downloadable `verifica-flusso.mjs`: the bundle `npm run build` made of the server's rules
 * code (app/bin/build-validator.ts), preceded by today's reference data.
 */
export async function validatorScript(request: Request) {
  const { VALIDATOR_BUNDLE, buildValidator } = await import("~/bin/build-validator");
  // Built by `npm run build` (and by npm start); a checkout that never built makes it on demand.
  if (!fs.existsSync(VALIDATOR_BUNDLE)) await buildValidator();
  const data = await checkDataFor(request);
  return `#!/usr/bin/env node\n// verifica-flusso.mjs — validatore del flusso di alimentazione (tracciato 1), generato da ${data.source}.\n// Uso: node verifica-flusso.mjs file.txt   (Node 20 o successivo, nessuna dipendenza)\nglobalThis.VERIFICA_DATA = ${JSON.stringify(data)};\n${fs.readFileSync(VALIDATOR_BUNDLE, "utf8")}`;
}
