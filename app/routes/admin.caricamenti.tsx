import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireForm, requirePermission } from "~/auth/guards.server";
import { CsrfInput } from "~/components/csrf-input";
import { FormAlert } from "~/components/form-fields";
import { formatDateTime } from "~/components/labels";
import { PageTitle } from "~/components/layout";
import { handleWatchdogAction, watchdogData } from "~/uploads/watchdog.server";

export const meta: MetaFunction = () => [{ title: "Caricamenti bloccati — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "uploads.supervise");
  return watchdogData();
}

export async function action({ request }: ActionFunctionArgs) {
  const signedIn = await requirePermission(request, "uploads.supervise");
  return handleWatchdogAction(request, signedIn, await requireForm(request, signedIn));
}

export default function UploadsWatchdog() {
  const { overdue, failed, processingCount } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <PageTitle lead="Caricamenti in attesa o in elaborazione da più tempo del previsto, per ente gestore, e caricamenti terminati per un errore interno negli ultimi 30 giorni. Un caricamento bloccato può essere segnato come non riuscito: nulla del file viene applicato e l'ente può inviarlo di nuovo.">
        Caricamenti bloccati
      </PageTitle>
      <FormAlert result={result} />
      <p>
        In elaborazione ora: <strong>{processingCount}</strong>; oltre il tempo previsto: <strong data-testid="overdue-count">{overdue.length}</strong>.
      </p>
      {overdue.length === 0 ? (
        <p>Nessun caricamento oltre il tempo previsto.</p>
      ) : (
        <div className="table-responsive">
          <table className="table table-sm" data-testid="overdue-table">
            <caption>In attesa o in elaborazione oltre il tempo previsto, per ente gestore</caption>
            <thead>
              <tr>
                <th scope="col">Ente gestore</th>
                <th scope="col">File</th>
                <th scope="col">Ricevuto</th>
                <th scope="col">Età</th>
                <th scope="col">Fase raggiunta</th>
                <th scope="col">Tentativi</th>
                <th scope="col"><span className="visually-hidden">Azioni</span></th>
              </tr>
            </thead>
            <tbody>
              {overdue.map((u) => (
                <tr key={u.id}>
                  <td>{u.gestoreName} <span className="text-muted small">({u.gestoreCf})</span></td>
                  <td><Link to={`/caricamenti/${u.id}`}>{u.fileName || "flusso"}</Link> <span className="small">({u.sizeBytes.toLocaleString("it-IT")} byte)</span></td>
                  <td>{formatDateTime(u.receivedAt)}</td>
                  <td>{u.ageMinutes.toLocaleString("it-IT")} min <span className="small">(previsti al più {u.expectedMinutes} min)</span></td>
                  <td>{u.phase}{u.linesRead ? `, ${u.linesRead.toLocaleString("it-IT")} righe lette` : ""}</td>
                  <td>{u.attempts}</td>
                  <td>
                    <Form method="post">
                      <CsrfInput />
                      <input type="hidden" name="intent" value="fail" />
                      <input type="hidden" name="id" value={u.id} />
                      <button type="submit" className="btn btn-outline-danger btn-sm" aria-label={`Segna come non riuscito il caricamento ${u.fileName || "flusso"} di ${u.gestoreName}`}>
                        Segna come non riuscito
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2 className="h4 mt-4">Errori interni negli ultimi 30 giorni</h2>
      {failed.length === 0 ? (
        <p>Nessun caricamento terminato per un errore interno.</p>
      ) : (
        <div className="table-responsive">
          <table className="table table-sm" data-testid="failed-table">
            <caption>Caricamenti terminati con «Errore interno», dal più recente</caption>
            <thead>
              <tr>
                <th scope="col">Codice</th>
                <th scope="col">Ente gestore</th>
                <th scope="col">File</th>
                <th scope="col">Terminato</th>
                <th scope="col">Causa</th>
              </tr>
            </thead>
            <tbody>
              {failed.map((u) => (
                <tr key={u.id}>
                  <td><code>{u.failureRef}</code></td>
                  <td>{u.gestoreName}</td>
                  <td><Link to={`/caricamenti/${u.id}`}>{u.fileName || "flusso"}</Link></td>
                  <td>{formatDateTime(u.completedAt)}</td>
                  <td className="text-break">{u.failureCause}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
