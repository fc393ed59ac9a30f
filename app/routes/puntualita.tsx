import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { requirePermission } from "~/auth/guards.server";
import { formatDate } from "~/components/labels";
import { PageTitle } from "~/components/layout";
import { FilterForm } from "~/components/filter-form";
import { SelectField } from "~/components/form-fields";
import { punctuality } from "~/timeliness/pages.server";

export const meta: MetaFunction = () => [{ title: "Puntualità — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requirePermission(request, "timeliness.view");
  return punctuality(actor, new URL(request.url));
}

const COLUMNS = [
  { sort: "gestore", label: "Ente gestore" },
  { sort: "misura", label: "Misura" },
  { sort: "ultimo", label: "Ultimo flusso accettato" },
  { sort: "ritardo", label: "Giorni di ritardo" },
  { sort: null, label: "Periodi scaduti" },
  { sort: "promemoria", label: "Promemoria inviati" },
  { sort: "segnalazioni", label: "Segnalazioni" },
  { sort: null, label: "Pratiche oltre i tempi" },
] as const;

export default function Punctuality() {
  const { rows, measures, filter, today } = useLoaderData<typeof loader>();
  const location = useLocation();
  const sortLink = (sort: string) => {
    const p = new URLSearchParams(location.search);
    const same = filter.ordina === sort;
    p.set("ordina", sort);
    p.set("verso", same ? (filter.verso === "asc" ? "desc" : "asc") : sort === "gestore" || sort === "misura" ? "asc" : "desc");
    return `?${p.toString()}`;
  };
  const late = rows.filter((r) => r.late).length;
  return (
    <>
      <PageTitle lead={`Situazione al ${formatDate(today)}: ${late} obblighi in ritardo su ${rows.length}. I promemoria partono ogni mattina; dopo i promemoria previsti dalla misura il ritardo è segnalato alla struttura competente.`}>
        Puntualità degli enti gestori
      </PageTitle>
      <FilterForm label="Filtro per misura">
        <SelectField
          name="misura"
          label="Misura"
          className="col-md-4"
          defaultValue={filter.misura}
          empty="Tutte le misure con obbligo di invio"
          options={measures.map((m) => ({ value: m.code, label: `${m.code} — ${m.name}` }))}
        />
        <input type="hidden" name="ordina" value={filter.ordina} />
        <input type="hidden" name="verso" value={filter.verso} />
      </FilterForm>
      {rows.length === 0 ? (
        <p>Nessun ente gestore ha obblighi di invio per questa selezione.</p>
      ) : (
        <div className="table-responsive">
          <table className="table table-sm align-middle">
            <caption>Enti gestori e obblighi di invio, ordinati per {COLUMNS.find((c) => c.sort === filter.ordina)?.label.toLowerCase()} ({filter.verso === "asc" ? "crescente" : "decrescente"})</caption>
            <thead>
              <tr>
                {COLUMNS.map((c) => (
                  <th
                    key={c.label}
                    scope="col"
                    aria-sort={c.sort && filter.ordina === c.sort ? (filter.verso === "asc" ? "ascending" : "descending") : undefined}
                  >
                    {c.sort ? (
                      <Link to={sortLink(c.sort)}>
                        {c.label}
                        {filter.ordina === c.sort ? (filter.verso === "asc" ? " ▲" : " ▼") : ""}
                      </Link>
                    ) : (
                      c.label
                    )}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.key}>
                  <td>
                    <Link to={`/enti/${r.gestoreCf}`}>{r.gestoreName}</Link>
                    <div className="small text-muted">{r.gestoreCf}</div>
                  </td>
                  <td>{r.measureCode}</td>
                  <td>
                    {r.lastReferenceDate ? (
                      <>
                        dati al {formatDate(r.lastReferenceDate)}
                        <div className="small text-muted">ricevuto il {formatDate(r.lastReceivedOn)}</div>
                      </>
                    ) : (
                      "nessuno"
                    )}
                  </td>
                  <td>
                    {r.late ? (
                      <span className="badge bg-danger">{r.daysLate} giorni</span>
                    ) : (
                      <span className="badge bg-success">In regola</span>
                    )}
                    <div className="small text-muted">
                      {r.late ? `scadenza ${formatDate(r.oldestDue)}` : r.nextDue ? `prossima scadenza ${formatDate(r.nextDue)}` : ""}
                    </div>
                  </td>
                  <td>{r.latePeriods}</td>
                  <td>
                    {r.reminders}
                    {r.lastReminder ? <div className="small text-muted">ultimo il {formatDate(r.lastReminder)}</div> : null}
                  </td>
                  <td>
                    {r.escalations}
                    {r.lastEscalation ? <div className="small text-muted">ultima il {formatDate(r.lastEscalation)}</div> : null}
                  </td>
                  <td>{r.overLimit}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
