import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Fragment } from "react";
import { rankingPage } from "~/applications/clickday-pages.server";
import { ColumnChart } from "~/components/charts";
import { itNumber } from "~/components/chart-scale";
import { formatDateTime } from "~/components/labels";
import { PageTitle } from "~/components/layout";

export const meta: MetaFunction = () => [{ title: "Graduatoria del click day — Monitoraggio pratiche" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  return rankingPage(request, params.id ?? "");
}

export default function Ranking() {
  const { day, received, rows, perSecond } = useLoaderData<typeof loader>();
  const peak = perSecond.reduce((a, b) => (b.sends > a.sends ? b : a));
  const secondLabel = (s: number) => (s === 0 ? "0" : s > 0 ? `+${s}` : String(s));
  return (
    <>
      <PageTitle lead={`${day.procedure} — apertura ${formatDateTime(day.opensAt)} (ora italiana)`}>Graduatoria: {day.label}</PageTitle>
      <p>Domande ricevute: {received}; quota: {day.quota}. L'ordine è quello di arrivo al server (numero progressivo assegnato dal database). <a href={`/click-day/graduatorie/${day.id}/esporta`}>Esporta la graduatoria (CSV)</a></p>
      <section aria-labelledby="invii-al-secondo" className="mb-4">
        <h2 id="invii-al-secondo" className="h4">Invii al secondo intorno all'apertura</h2>
        <ColumnChart
          id="invii"
          title="Domande ricevute in ogni secondo, da 5 secondi prima a 60 secondi dopo l'apertura"
          summary={peak.sends ? `Al massimo ${itNumber(peak.sends)} domande in un secondo, al secondo ${secondLabel(peak.second)} dall'apertura; ${itNumber(perSecond.reduce((t, p) => t + p.sends, 0))} nel primo minuto.` : "Nessuna domanda ricevuta nel primo minuto."}
          labels={perSecond.map((p) => secondLabel(p.second))}
          values={perSecond.map((p) => p.sends)}
        />
        <details className="mt-2">
          <summary>Dati del grafico (secondi con almeno un invio)</summary>
          <table className="table table-sm">
            <caption className="visually-hidden">Domande ricevute per secondo dall'apertura</caption>
            <thead><tr><th scope="col">Secondo dall'apertura</th><th scope="col">Domande ricevute</th></tr></thead>
            <tbody>
              {perSecond.filter((p) => p.sends > 0).map((p) => <tr key={p.second}><td>{secondLabel(p.second)}</td><td>{itNumber(p.sends)}</td></tr>)}
            </tbody>
          </table>
        </details>
      </section>
      {rows.length ? (
        <div className="table-responsive">
          <table className="table">
            <caption className="visually-hidden">Graduatoria in ordine di arrivo</caption>
            <thead><tr><th scope="col">Posizione</th><th scope="col">Numero</th><th scope="col">Richiedente</th><th scope="col">Ricevuta il</th><th scope="col">Esito</th></tr></thead>
            <tbody>
              {rows.map((r) => (
                <Fragment key={r.rank}>
                  <tr>
                    <td>{r.rank}</td>
                    <td><Link to={`/domande-ricevute/${r.applicationId}`}>{r.number}</Link></td>
                    <td>{r.applicant}</td>
                    <td>{formatDateTime(r.receivedAt)},{r.receivedAt.slice(20, 23)}</td>
                    <td>{r.withinQuota ? "In quota" : <span className="badge bg-warning text-dark">Fuori quota</span>}</td>
                  </tr>
                  {r.rank === day.quota && rows.length > day.quota ? (
                    <tr className="table-warning" data-testid="quota-line"><td colSpan={5}><strong>Linea della quota: le domande che seguono sono fuori quota</strong></td></tr>
                  ) : null}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      ) : <p>Nessuna domanda ricevuta.</p>}
    </>
  );
}
