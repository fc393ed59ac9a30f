import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { requirePermission } from "~/auth/guards.server";
import { formatDate, formatMoney, STATE_LABELS } from "~/components/labels";
import { PageTitle } from "~/components/layout";
import { practiceListPage } from "~/practices/practices.server";

export const meta: MetaFunction = () => [{ title: "Pratiche — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requirePermission(request, "practices.view");
  return practiceListPage(request, actor);
}

/** Filters that arrive from the monitoring dashboard's links, kept across searches. */
const EXTRA_FILTERS: [string, string][] = [
  ["region", "Regione (codice ISTAT)"],
  ["province", "Provincia (codice ISTAT)"],
  ["comune", "Comune (codice ISTAT)"],
  ["submittedFrom", "Presentate dal"],
  ["submittedTo", "Presentate al"],
  ["eventFrom", "Uscite dallo stato"],
  ["event", "Arrivate allo stato"],
  ["eventSince", "Movimento dal"],
  ["eventUntil", "Movimento al"],
  ["overLimitOn", "Oltre i limiti di stato al"],
];
const showExtra = (key: string, value: string) =>
  key === "event" || key === "eventFrom" ? (STATE_LABELS[value] ?? value) : /^\d{4}-\d{2}-\d{2}$/.test(value) ? formatDate(value) : value;

export default function Practices() {
  const data = useLoaderData<typeof loader>();
  const { filter } = data;
  const location = useLocation();
  const pageLink = (page: number) => {
    const p = new URLSearchParams(location.search);
    p.set("page", String(page));
    return `?${p.toString()}`;
  };
  const extra = EXTRA_FILTERS.flatMap(([key, label]) => {
    const value = (filter as Record<string, string | undefined>)[key];
    return value ? [{ key, label, value }] : [];
  });
  const withoutExtra = () => {
    const p = new URLSearchParams(location.search);
    for (const [key] of EXTRA_FILTERS) p.delete(key);
    p.delete("page");
    return `?${p.toString()}`;
  };
  return (
    <>
      <PageTitle>Pratiche</PageTitle>
      {extra.length ? (
        <div className="callout note" data-testid="extra-filters">
          <div className="callout-title">Filtri dal monitoraggio</div>
          <ul className="mb-1">
            {extra.map((e) => (
              <li key={e.key}>
                {e.label}: <strong>{showExtra(e.key, e.value)}</strong>
              </li>
            ))}
          </ul>
          <Link to={withoutExtra()}>Rimuovi questi filtri</Link>
        </div>
      ) : null}
      {data.invalidFilter ? <div className="alert alert-warning" role="alert">Alcuni filtri non erano validi e sono stati ignorati.</div> : null}
      <Form method="get" className="row g-3 mb-4" aria-label="Ricerca delle pratiche">
        {extra.map((e) => (
          <input key={e.key} type="hidden" name={e.key} value={e.value} />
        ))}
        <div className="col-md-4">
          <label htmlFor="q" className="form-label">Codice pratica, beneficiario o codice fiscale</label>
          <input type="search" id="q" name="q" className="form-control" defaultValue={filter.q ?? ""} />
        </div>
        <div className="col-md-2">
          <label htmlFor="measure" className="form-label">Misura</label>
          <select id="measure" name="measure" className="form-select" defaultValue={filter.measure ?? ""}>
            <option value="">Tutte</option>
            {data.measures.map((m) => (
              <option key={m.code} value={m.code}>{m.code}</option>
            ))}
          </select>
        </div>
        <div className="col-md-2">
          <label htmlFor="state" className="form-label">Stato</label>
          <select id="state" name="state" className="form-select" defaultValue={filter.state ?? ""}>
            <option value="">Tutti</option>
            {Object.entries(STATE_LABELS).map(([v, l]) => (
              <option key={v} value={v}>{l}</option>
            ))}
          </select>
        </div>
        {data.gestori.length ? (
          <div className="col-md-4">
            <label htmlFor="gestore" className="form-label">Ente gestore</label>
            <select id="gestore" name="gestore" className="form-select" defaultValue={filter.gestore ?? ""}>
              <option value="">Tutti</option>
              {data.gestori.map((g) => (
                <option key={g.fiscalCode} value={g.fiscalCode}>{g.name}</option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="col-md-2">
          <label htmlFor="from" className="form-label">Stato dal</label>
          <input type="date" id="from" name="from" className="form-control" defaultValue={filter.from ?? ""} />
        </div>
        <div className="col-md-2">
          <label htmlFor="to" className="form-label">Stato al</label>
          <input type="date" id="to" name="to" className="form-control" defaultValue={filter.to ?? ""} />
        </div>
        <div className="col-md-2 d-flex align-items-end">
          <button type="submit" className="btn btn-primary">Cerca</button>
        </div>
      </Form>
      <div className="table-responsive">
        <table className="table">
          <caption>
            {data.total.toLocaleString("it-IT")} pratiche — pagina {data.page} di {data.pages}
          </caption>
          <thead>
            <tr>
              <th scope="col">Codice</th>
              <th scope="col">Beneficiario</th>
              <th scope="col">Misura</th>
              {data.gestori.length ? <th scope="col">Ente</th> : null}
              <th scope="col">Stato</th>
              <th scope="col">Dal</th>
              <th scope="col" className="text-end">Richiesto</th>
            </tr>
          </thead>
          <tbody>
            {data.rows.map((p) => (
              <tr key={p.id}>
                <td>
                  <Link to={`/pratiche/${p.id}`}>{p.code}</Link>
                </td>
                <td>{p.beneficiaryName}</td>
                <td>{p.measureCode}</td>
                {data.gestori.length ? <td>{p.gestoreName}</td> : null}
                <td>{STATE_LABELS[p.state]}</td>
                <td>{formatDate(p.stateDate)}</td>
                <td className="text-end">{formatMoney(p.amountRequested)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav aria-label="Pagine dei risultati" className="d-flex gap-2">
        {data.page > 1 ? <Link className="btn btn-outline-primary" to={pageLink(data.page - 1)}>Pagina precedente</Link> : null}
        {data.page < data.pages ? <Link className="btn btn-outline-primary" to={pageLink(data.page + 1)}>Pagina successiva</Link> : null}
      </nav>
    </>
  );
}
