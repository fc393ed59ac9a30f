import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { requirePermission } from "~/auth/guards.server";
import { count, formatDate, formatDateTime, UPLOAD_STATUS_LABELS } from "~/components/labels";
import { PageTitle } from "~/components/layout";
import { UploadErrorsTable } from "~/components/upload-errors";
import { viewUploadPage } from "~/uploads/pages.server";

export const meta: MetaFunction = () => [{ title: "Esito del caricamento — Monitoraggio pratiche" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor } = await requirePermission(request, "uploads.view");
  const { upload, gestoreName } = await viewUploadPage(request, actor, params.id ?? "");
  // The cause names our internals: administrators only; everyone sees the support reference.
  const { failureCause, workerPid: _pid, workerBackendStart: _start, ...shown } = upload;
  return {
    gestoreName,
    failureCause: actor.role === "amministratore" ? failureCause : null,
    // Set by the upload page when the file sent was byte-identical to an accepted one.
    identical: new URL(request.url).searchParams.has("identico"),
    upload: {
      ...shown,
      receivedAt: upload.receivedAt.toISOString(),
      completedAt: upload.completedAt?.toISOString() ?? null,
      startedAt: upload.startedAt?.toISOString() ?? null,
    },
  };
}

export default function UploadOutcome() {
  const { upload, gestoreName, identical, failureCause } = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  const processing = upload.status === "processing";
  useEffect(() => {
    if (!processing) return;
    const timer = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), 1000);
    return () => clearInterval(timer);
  }, [processing, revalidator]);

  return (
    <>
      <PageTitle lead={`${gestoreName} — ricevuto il ${formatDateTime(upload.receivedAt)}`}>
        Caricamento {upload.fileName}
      </PageTitle>
      {identical ? (
        <div className="alert alert-info" role="status" data-testid="identical-file">
          Il file inviato è identico, byte per byte, a quello già accettato il {formatDateTime(upload.receivedAt)}: ecco il suo esito. Il
          file non è stato applicato una seconda volta.
        </div>
      ) : null}
      <div aria-live="polite">
        {processing ? (
          <div className="alert alert-info" data-testid="upload-status">
            <strong>In elaborazione.</strong>{" "}
            {upload.startedAt ? `Righe lette: ${upload.linesRead.toLocaleString("it-IT")}.` : "In attesa di essere elaborato."} La pagina
            si aggiorna da sola.
          </div>
        ) : upload.status === "accepted" ? (
          <div className="alert alert-success" data-testid="upload-status">
            <strong>Accettato.</strong> {count(upload.records, "pratica", "pratiche")} nel file: {count(upload.created, "nuova", "nuove")},{" "}
            {upload.transitioned.toLocaleString("it-IT")} con cambio di stato, {count(upload.updated, "aggiornata", "aggiornate")},{" "}
            {count(upload.unchanged, "invariata", "invariate")}.
          </div>
        ) : upload.status === "failed" ? (
          <div className="alert alert-danger" data-testid="upload-status">
            <strong>Errore interno:</strong> l&apos;elaborazione del file non è riuscita per un errore della piattaforma e nessuna
            pratica è stata modificata. Il file non va corretto: inviarlo di nuovo più tardi o contattare l&apos;assistenza citando il
            codice <strong data-testid="support-reference">{upload.failureRef}</strong>.
            {failureCause ? <span className="d-block small mt-1">Causa (visibile agli amministratori): {failureCause}</span> : null}
          </div>
        ) : (
          <div className="alert alert-danger" data-testid="upload-status">
            <strong>Rifiutato:</strong> nessuna pratica è stata modificata. {upload.errorCount.toLocaleString("it-IT")}{" "}
            {upload.errorCount === 1 ? "errore" : "errori"}
            {upload.errorCount > upload.errors.length ? ` (qui i primi ${upload.errors.length})` : ""}.
          </div>
        )}
      </div>
      <dl className="row">
        <dt className="col-sm-3">Stato</dt>
        <dd className="col-sm-9">{UPLOAD_STATUS_LABELS[upload.status]}</dd>
        <dt className="col-sm-3">Identificativo di invio</dt>
        <dd className="col-sm-9">{upload.submissionId ?? "—"}</dd>
        <dt className="col-sm-3">Data di riferimento</dt>
        <dd className="col-sm-9">{formatDate(upload.referenceDate)}</dd>
        <dt className="col-sm-3">Dimensione</dt>
        <dd className="col-sm-9">{upload.sizeBytes.toLocaleString("it-IT")} byte</dd>
        <dt className="col-sm-3">SHA-256</dt>
        <dd className="col-sm-9 token-once">{upload.sha256}</dd>
      </dl>
      <p className="d-flex gap-2">
        <a className="btn btn-outline-primary" href={`/caricamenti/${upload.id}/file`} download>
          Scarica il file originale
        </a>
        {upload.status === "rejected" ? (
          <a className="btn btn-outline-primary" href={`/caricamenti/${upload.id}/errori.csv`} download>
            Scarica gli errori (CSV)
          </a>
        ) : null}
        <Link className="btn btn-link" to="/caricamenti">
          Tutti i caricamenti
        </Link>
      </p>
      {upload.status === "rejected" ? (
        <UploadErrorsTable errors={upload.errors} caption="Errori trovati, in ordine di riga" testId="errors-table" />
      ) : null}
    </>
  );
}
