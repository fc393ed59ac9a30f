import { escapeHtml as e, plainPage } from "~/lib/plain-page.server";
import type { SpidUserAnomaly } from "./spid-error-codes";

/**
 * The page for an IdP that could not authenticate the user (SPID anomalies 19–25): the message
 * the SPID rules prescribe, what to do about it, and a way to start again.
 */
export function signInAnomalyPage(anomaly: SpidUserAnomaly) {
  const advice = anomaly.advice ? `<p>${e(anomaly.advice)}</p>` : "";
  const body = `<div class="alert alert-danger" role="alert"><p class="mb-0"><strong>${e(anomaly.message)}</strong></p></div>
${advice}<p class="text-muted small">Codice di errore SPID: ${anomaly.code}</p>
<p class="d-flex flex-wrap gap-2"><a class="btn btn-primary" href="/auth/login">Riprova ad accedere</a><a class="btn btn-outline-primary" href="/accedi">Torna alla pagina di accesso</a></p>`;
  return plainPage(401, "Accesso non riuscito", body, { html: true });
}
