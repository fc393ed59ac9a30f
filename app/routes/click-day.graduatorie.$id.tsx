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
  const { day, received, rows, perSecond, groupBy, groups } = useLoaderData<typeof loader>();
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
      {!rows.length ? (
        <p>Nessuna domanda ricevuta.</p>
      ) : groupBy === "none" ? (
        <RankTable caption="Graduatoria in ordine di arrivo" rows={rows} quota={day.quota} />
      ) : (
        <>
          <div className="table-responsive">
            <table className="table">
              <caption>Quote per {groupBy === "province" ? "provincia" : "categoria"}</caption>
              <thead><tr><th scope="col">{groupBy === "province" ? "Provincia" : "Categoria"}</th><th scope="col" className="text-end">Quota</th><th scope="col" className="text-end">Ricevute</th><th scope="col" className="text-end">In quota</th><th scope="col" className="text-end">Fuori quota</th></tr></thead>
              <tbody>
                {groups.map((g) => (
                  <tr key={g.key}><th scope="row">{g.label}</th><td className="text-end">{itNumber(g.quota)}</td><td className="text-end">{itNumber(g.received)}</td><td className="text-end">{itNumber(g.within)}</td><td className="text-end">{itNumber(g.received - g.within)}</td></tr>
                ))}
              </tbody>
            </table>
          </div>
          {groups.map((g, i) => g.received > 0 && (
            <section key={g.key} aria-labelledby={`gruppo-${i}`} className="mb-4">
              <h2 id={`gruppo-${i}`} className="h4">{g.label}: quota {itNumber(g.quota)}, ricevute {itNumber(g.received)}</h2>
              <RankTable caption={`Graduatoria di ${g.label} in ordine di arrivo`} rows={rows.filter((r) => r.groupKey === g.key)} quota={g.quota} inGroup />
            </section>
          ))}
        </>
      )}
    </>
  );
}

type Row = { rank: number; groupRank: number | null; receivedAt: string; withinQuota: boolean; number: string; applicationId: string; completed: boolean; applicant: string };

/** Sends in rank order with the quota line after the last one within it; in a group, its own rank first and the overall one beside. */
function RankTable({ caption, rows, quota, inGroup = false }: { caption: string; rows: Row[]; quota: number; inGroup?: boolean }) {
  const position = (r: Row) => (inGroup ? r.groupRank! : r.rank);
  const columns = inGroup ? 6 : 5;
  return (
    <div className="table-responsive">
      <table className="table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{inGroup ? "Posizione nel gruppo" : "Posizione"}</th>
            {inGroup ? <th scope="col">Posizione complessiva</th> : null}
            <th scope="col">Numero</th><th scope="col">Richiedente</th><th scope="col">Ricevuta il</th><th scope="col">Esito</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <Fragment key={r.rank}>
              <tr>
                <td>{position(r)}</td>
                {inGroup ? <td>{r.rank}</td> : null}
                {/* Opened by officials once its sending is completed (ADR 64), seconds after the acknowledgement. */}
                <td>{r.completed ? <Link to={`/domande-ricevute/${r.applicationId}`}>{r.number}</Link> : r.number}</td>
                <td>{r.applicant}</td>
                <td>{formatDateTime(r.receivedAt)},{r.receivedAt.slice(20, 23)}</td>
                <td>{r.withinQuota ? "In quota" : <span className="badge bg-warning text-dark">Fuori quota</span>}</td>
              </tr>
              {position(r) === quota && rows.length > quota ? (
                <tr className="table-warning" data-testid="quota-line"><td colSpan={columns}><strong>Linea della quota: le domande che seguono sono fuori quota</strong></td></tr>
              ) : null}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}
