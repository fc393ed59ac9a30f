import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { requirePermission } from "~/auth/guards.server";
import { formatDate, formatMoney, STATE_LABELS } from "~/components/labels";
import { PageTitle } from "~/components/layout";
import { FilterForm } from "~/components/filter-form";
import { SelectField, TextField } from "~/components/form-fields";
import { practiceListPage } from "~/practices/practices.server";

export const meta: MetaFunction = () => [{ title: "Pratiche — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requirePermission(request, "practices.view");
  return practiceListPage(new URL(request.url), actor);
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
      <FilterForm label="Ricerca delle pratiche" submitLabel="Cerca" problems={data.invalidFilter ? ["Alcuni filtri non erano validi e sono stati ignorati."] : undefined}>
        {extra.map((e) => (
          <input key={e.key} type="hidden" name={e.key} value={e.value} />
        ))}
        <TextField name="q" label="Codice pratica, beneficiario o codice fiscale" type="search" className="col-md-4" defaultValue={filter.q} />
        <SelectField name="measure" label="Misura" className="col-md-2" defaultValue={filter.measure} empty="Tutte" options={data.measures.map((m) => ({ value: m.code, label: m.code }))} />
        <SelectField name="state" label="Stato" className="col-md-2" defaultValue={filter.state} empty="Tutti" options={Object.entries(STATE_LABELS).map(([value, label]) => ({ value, label }))} />
        {data.gestori.length ? (
          <SelectField name="gestore" label="Ente gestore" className="col-md-4" defaultValue={filter.gestore} empty="Tutti" options={data.gestori.map((g) => ({ value: g.fiscalCode, label: g.name }))} />
        ) : null}
        <TextField name="from" label="Stato dal" type="date" className="col-md-2" defaultValue={filter.from} />
        <TextField name="to" label="Stato al" type="date" className="col-md-2" defaultValue={filter.to} />
      </FilterForm>
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
