import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { requirePermission } from "~/auth/guards.server";
import { formatDate, formatMoney, STATE_LABELS } from "~/components/labels";
import { PageTitle } from "~/components/layout";
import { FilterForm } from "~/components/filter-form";
import { SelectField, TextField } from "~/components/form-fields";
import { italianNumber } from "~/lib/decimal";
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

/** An estimate shown with three significant digits: "circa 998.000", not a false 998.213. */
const roughly = (n: number) => {
  const unit = 10 ** Math.max(0, Math.floor(Math.log10(Math.max(1, n))) - 2);
  return Math.round(n / unit) * unit;
};

export default function Practices() {
  const data = useLoaderData<typeof loader>();
  const { filter } = data;
  const location = useLocation();
  /** A page of the list: a cursor from the server and the page number it shows. */
  const pageLink = (page: number, cursor?: { dopo?: string; prima?: string }) => {
    const p = new URLSearchParams(location.search);
    for (const k of ["page", "dopo", "prima"]) p.delete(k);
    if (cursor?.dopo) p.set("dopo", cursor.dopo);
    if (cursor?.prima) p.set("prima", cursor.prima);
    if (cursor) p.set("page", String(page));
    return `?${p.toString()}`;
  };
  const about = (n: number) => (data.total.estimated ? `circa ${italianNumber(roughly(n))}` : italianNumber(n));
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
            {about(data.total.n)} {data.total.n === 1 && !data.total.estimated ? "pratica" : "pratiche"} — pagina {italianNumber(data.page)} di {about(data.pages)}
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
      <nav aria-label="Pagine dei risultati" className="d-flex flex-wrap gap-2">
        {data.prev ? (
          <>
            <Link className="btn btn-outline-primary" to={pageLink(1)}>Prima pagina</Link>
            <Link className="btn btn-outline-primary" rel="prev" to={pageLink(Math.max(1, data.page - 1), { prima: data.prev })}>Pagina precedente</Link>
          </>
        ) : null}
        {data.next ? <Link className="btn btn-outline-primary" rel="next" to={pageLink(data.page + 1, { dopo: data.next })}>Pagina successiva</Link> : null}
      </nav>
    </>
  );
}
