import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { clickDayAction, clickDayPage } from "~/applications/clickday-pages.server";
import { CsrfInput } from "~/components/csrf-input";
import { formatDateTime } from "~/components/labels";
import { PageTitle } from "~/components/layout";
import { ServerClock } from "~/components/server-clock";

export const meta: MetaFunction = () => [{ title: "Click day — Monitoraggio pratiche" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  return clickDayPage(request, params.id ?? "");
}

// A refused send (429) tells the client when to try again.
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retry = actionHeaders.get("Retry-After");
  return retry ? { "Retry-After": retry } : new Headers();
};

export async function action({ request, params }: ActionFunctionArgs) {
  return clickDayAction(request, params.id ?? "");
}

const receivedAt = (iso: string) => `${formatDateTime(iso)},${iso.slice(20, 23)}`;

export default function ClickDay() {
  const { day, serverNow, applications } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const ready = applications.filter((a) => a.ready && a.rank === null);
  const sent = applications.filter((a) => a.rank !== null);
  const drafts = applications.filter((a) => !a.ready);
  return (
    <>
      <PageTitle lead={day.procedure}>{day.label}</PageTitle>
      <p>
        Apertura: <strong>{formatDateTime(day.opensAt)}</strong> (ora italiana)
        {day.closesAt ? <> · chiusura: {formatDateTime(day.closesAt)}</> : null} · quota: {day.quota} domande{day.split ? <> ({day.split})</> : null}. Conta l'ordine in cui il server riceve le domande, non l'ora del tuo computer.
      </p>
      <ServerClock serverNow={serverNow} opensAt={day.opensAt} />
      {result ? <div className={`alert ${result.ok ? "alert-success" : "alert-danger"} mt-3`} role={result.ok ? "status" : "alert"}>{result.ok ? result.message : result.error}</div> : null}
      <section aria-labelledby="pronte" className="mt-4">
        <h2 id="pronte" className="h4">Domande pronte per il click day</h2>
        {ready.length ? (
          <>
            <ul>{ready.map((a) => <li key={a.id}>{a.label}</li>)}</ul>
            <Form method="post">
              <CsrfInput />
              <input type="hidden" name="intent" value="invia" />
              {ready.map((a) => <input key={a.id} type="hidden" name="chiave" value={a.key ?? ""} />)}
              <button type="submit" className="btn btn-primary" disabled={busy}>Invia le domande pronte</button>
            </Form>
          </>
        ) : <p>Nessuna domanda in attesa di invio.</p>}
      </section>
      {sent.length ? (
        <section aria-labelledby="inviate" className="mt-4">
          <h2 id="inviate" className="h4">Domande inviate</h2>
          <div className="table-responsive">
            <table className="table">
              <caption className="visually-hidden">Domande inviate al click day, con posizione in graduatoria</caption>
              <thead><tr><th scope="col">Numero</th><th scope="col">Posizione</th><th scope="col">Ricevuta il</th><th scope="col">Esito</th><th scope="col">Ricevuta</th></tr></thead>
              <tbody>
                {sent.map((a) => (
                  <tr key={a.id}>
                    <td>{a.number}</td>
                    <td data-testid="rank">{a.rank}</td>
                    <td>{receivedAt(a.receivedAt!)}</td>
                    <td>
                      {a.withinQuota ? "In quota" : <span className="badge bg-warning text-dark">Fuori quota</span>}
                      {a.group !== null ? <div className="small" data-testid="group-rank">{a.group}: posizione {a.groupRank} nel gruppo</div> : null}
                    </td>
                    <td><Link to={`/domande/${a.id}/riepilogo`} aria-label={`Riepilogo e ricevuta della domanda ${a.number}`}>Riepilogo e ricevuta</Link></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
      {drafts.length ? (
        <section aria-labelledby="bozze" className="mt-4">
          <h2 id="bozze" className="h4">Bozze di questo procedimento</h2>
          <p>Una domanda completa si segna come pronta prima dell'apertura: la completezza si controlla ora, all'apertura basta un clic.</p>
          <ul className="list-unstyled">
            {drafts.map((a) => (
              <li key={a.id} className="mb-2">
                {a.label}{" "}
                {a.missing ? (
                  <>— mancano {a.missing} risposte: <Link to={`/domande/${a.id}/invio`}>completa la domanda</Link></>
                ) : (
                  <Form method="post" className="d-inline">
                    <CsrfInput />
                    <input type="hidden" name="intent" value="pronta" />
                    <input type="hidden" name="applicationId" value={a.id} />
                    <button type="submit" className="btn btn-outline-primary btn-sm" disabled={busy} aria-label={`Segna come pronta per il click day: ${a.label}`}>Segna come pronta per il click day</button>
                  </Form>
                )}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
