import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Fragment } from "react";
import { rankingPage } from "~/applications/clickday-pages.server";
import { formatDateTime } from "~/components/labels";
import { PageTitle } from "~/components/layout";

export const meta: MetaFunction = () => [{ title: "Graduatoria del click day — Monitoraggio pratiche" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  return rankingPage(request, params.id ?? "");
}

export default function Ranking() {
  const { day, received, rows } = useLoaderData<typeof loader>();
  return (
    <>
      <PageTitle lead={`${day.procedure} — apertura ${formatDateTime(day.opensAt)} (ora italiana)`}>Graduatoria: {day.label}</PageTitle>
      <p>Domande ricevute: {received}; quota: {day.quota}. L'ordine è quello di arrivo al server (numero progressivo assegnato dal database). <a href={`/click-day/graduatorie/${day.id}/esporta`}>Esporta la graduatoria (CSV)</a></p>
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
