import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { officeListPage } from "~/applications/office.server";
import { formatDateTime } from "~/components/labels";
import { PageTitle } from "~/components/layout";

export const meta: MetaFunction = () => [{ title: "Domande online — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  return officeListPage(request);
}

export default function OfficeApplications() {
  const d = useLoaderData<typeof loader>();
  const q = d.query as Record<string, string>;
  const pageLink = (p: number) => `?${new URLSearchParams({ ...q, pagina: String(p) })}`;
  return (
    <>
      <PageTitle lead="Le domande online ricevute, di ogni anno: ricerca, pareri degli uffici, integrazioni ed esito.">Domande online</PageTitle>
      <form method="get" className="row g-3 mb-4" aria-label="Filtri delle domande">
        <div className="col-12 col-md-3"><label htmlFor="numero" className="form-label">Numero</label><input id="numero" name="numero" className="form-control" defaultValue={q.numero ?? ""} /></div>
        <div className="col-12 col-md-3"><label htmlFor="richiedente" className="form-label">Richiedente (nome o codice fiscale)</label><input id="richiedente" name="richiedente" className="form-control" defaultValue={q.richiedente ?? ""} /></div>
        <div className="col-12 col-md-2">
          <label htmlFor="stato" className="form-label">Stato</label>
          <select id="stato" name="stato" className="form-select" defaultValue={q.stato ?? ""}>
            <option value="">Tutti</option>
            {d.states.map((s) => <option key={s.value} value={s.value}>{s.label}</option>)}
          </select>
        </div>
        <div className="col-6 col-md-2"><label htmlFor="anno" className="form-label">Anno</label><input id="anno" name="anno" inputMode="numeric" className="form-control" defaultValue={q.anno ?? ""} /></div>
        <div className="col-6 col-md-2"><label htmlFor="ufficio" className="form-label">Ufficio</label><input id="ufficio" name="ufficio" className="form-control" defaultValue={q.ufficio ?? ""} /></div>
        <div className="col-6 col-md-3"><label htmlFor="dal" className="form-label">Ricevute dal</label><input id="dal" name="dal" type="date" className="form-control" defaultValue={q.dal ?? ""} /></div>
        <div className="col-6 col-md-3"><label htmlFor="al" className="form-label">al</label><input id="al" name="al" type="date" className="form-control" defaultValue={q.al ?? ""} /></div>
        <div className="col-12 d-flex gap-2 align-items-end">
          <button type="submit" className="btn btn-primary">Cerca</button>
          <a className="btn btn-outline-primary" href={`/domande-ricevute/esporta?${new URLSearchParams({ ...q, formato: "csv" })}`}>Esporta CSV</a>
          <a className="btn btn-outline-primary" href={`/domande-ricevute/esporta?${new URLSearchParams({ ...q, formato: "xlsx" })}`}>Esporta XLSX</a>
        </div>
      </form>
      <p role="status">{d.total === 1 ? "1 domanda" : `${d.total} domande`}</p>
      <div className="table-responsive">
        <table className="table">
          <caption className="visually-hidden">Domande trovate</caption>
          <thead><tr><th scope="col">Numero</th><th scope="col">Procedimento</th><th scope="col">Richiedente</th><th scope="col">Ricevuta il</th><th scope="col">Stato</th></tr></thead>
          <tbody>
            {d.rows.map((r) => (
              <tr key={r.id}>
                <td><Link to={`/domande-ricevute/${r.id}`}>{r.number}</Link></td>
                <td>{r.procedure}</td>
                <td>{r.applicant}{r.business ? <><br /><small>per {r.business}</small></> : null}</td>
                <td>{formatDateTime(r.submittedAt)}</td>
                <td>{r.state}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {d.pages > 1 ? (
        <nav aria-label="Pagine dei risultati">
          <p>
            Pagina {d.page} di {d.pages}{" "}
            {d.page > 1 ? <Link to={pageLink(d.page - 1)}>Precedente</Link> : null}{" "}
            {d.page < d.pages ? <Link to={pageLink(d.page + 1)}>Successiva</Link> : null}
          </p>
        </nav>
      ) : null}
      <section aria-labelledby="conteggi">
        <h2 id="conteggi" className="h4">Conteggi per procedimento e stato</h2>
        <div className="table-responsive">
          <table className="table table-sm">
            <caption className="visually-hidden">Domande per procedimento e stato</caption>
            <thead><tr><th scope="col">Procedimento</th><th scope="col">Stato</th><th scope="col" className="text-end">Domande</th></tr></thead>
            <tbody>{d.counts.map((c) => <tr key={c.procedure + c.state}><td>{c.procedure}</td><td>{c.state}</td><td className="text-end">{c.n}</td></tr>)}</tbody>
          </table>
        </div>
      </section>
      <section aria-labelledby="conteggi-uffici">
        <h2 id="conteggi-uffici" className="h4">Conteggi per ufficio</h2>
        <p className="small">Una domanda conta per l'ufficio che gestisce il procedimento e per ogni ufficio chiamato a dare il parere.</p>
        <div className="table-responsive">
          <table className="table table-sm" data-testid="counts-by-office">
            <caption className="visually-hidden">Domande per procedimento, ufficio e stato</caption>
            <thead><tr><th scope="col">Procedimento</th><th scope="col">Ufficio</th><th scope="col">Stato</th><th scope="col" className="text-end">Domande</th></tr></thead>
            <tbody>{d.countsByOffice.map((c) => <tr key={c.procedure + c.office + c.state}><td>{c.procedure}</td><td>{c.office}</td><td>{c.state}</td><td className="text-end">{c.n}</td></tr>)}</tbody>
          </table>
        </div>
      </section>
    </>
  );
}
