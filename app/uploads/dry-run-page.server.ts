import { escapeHtml, plainPage } from "~/lib/plain-page.server";
import type { DryRunOutcome } from "./dry-run.server";
import { dryRunSummary } from "./dry-run-summary";

/** The dry run's answer for a browser without JavaScript: the summary and the errors found. */
export function dryRunPage(checked: DryRunOutcome) {
  const rows = checked.errors
    .map((e) => `<tr><td>${e.line}</td><td>${escapeHtml(e.field ?? "")}</td><td>${escapeHtml(e.code)}</td><td>${escapeHtml(e.message)}</td></tr>`)
    .join("");
  const table = rows
    ? `<div class="table-responsive"><table class="table"><caption>Errori trovati</caption><thead><tr><th scope="col">Riga</th><th scope="col">Campo</th><th scope="col">Codice</th><th scope="col">Messaggio</th></tr></thead><tbody>${rows}</tbody></table></div>`
    : "";
  const body = `<p>${escapeHtml(dryRunSummary(checked))}</p>${table}<p><a class="btn btn-primary" href="/caricamenti/nuovo">Torna all'invio</a></p>`;
  return plainPage(200, "Esito della verifica", body, { html: true });
}
