import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { requirePermission } from "~/auth/guards.server";
import { formatDateTime } from "~/components/labels";
import { PageTitle } from "~/components/layout";
import { FilterForm } from "~/components/filter-form";
import { SelectField, TextField } from "~/components/form-fields";
import { templateTitle } from "~/mail/template-titles";
import { browseOutbox, MAIL_STATE_LABELS } from "~/mail/admin.server";

export const meta: MetaFunction = () => [{ title: "Posta inviata — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requirePermission(request, "mail.view");
  return { ...(await browseOutbox(request, actor)), labels: MAIL_STATE_LABELS };
}

export default function Outbox() {
  const { rows, filter, hasMore, counts, templates, labels } = useLoaderData<typeof loader>();
  const location = useLocation();
  const pageLink = (page: number) => {
    const p = new URLSearchParams(location.search);
    p.set("pagina", String(page));
    return `?${p.toString()}`;
  };
  return (
    <>
      <PageTitle lead="Ogni messaggio che la piattaforma invia, dal più recente. Senza un server SMTP configurato i messaggi restano solo qui. I messaggi non recapitabili possono essere inviati di nuovo.">
        Posta inviata
      </PageTitle>
      <ul className="list-inline">
        {Object.entries(labels).map(([state, label]) => (
          <li key={state} className="list-inline-item me-4">
            {label}: <strong>{counts[state] ?? 0}</strong>
          </li>
        ))}
      </ul>
      <FilterForm label="Filtri della posta">
        <SelectField name="stato" label="Stato" className="col-md-3" defaultValue={filter.stato} empty="Tutti" options={Object.entries(labels).map(([value, label]) => ({ value, label }))} />
        <TextField name="destinatario" label="Destinatario (contiene)" type="search" className="col-md-4" defaultValue={filter.destinatario} />
        <SelectField name="modello" label="Modello" className="col-md-3" defaultValue={filter.modello} empty="Tutti" options={templates.map((t) => ({ value: t, label: templateTitle(t) }))} />
      </FilterForm>
      {rows.length === 0 ? (
        <p>Nessun messaggio.</p>
      ) : (
        <div className="table-responsive">
          <table className="table table-sm">
            <caption>Messaggi ({rows.length} in questa pagina)</caption>
            <thead>
              <tr>
                <th scope="col">Creato</th>
                <th scope="col">Destinatario</th>
                <th scope="col">Oggetto</th>
                <th scope="col">Modello</th>
                <th scope="col">Stato</th>
                <th scope="col">Tentativi</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((m) => (
                <tr key={m.id}>
                  <td>{formatDateTime(m.createdAt)}</td>
                  <td>{m.recipient}</td>
                  <td>
                    <Link to={`/admin/posta/${m.id}`}>{m.subject}</Link>
                  </td>
                  <td>{templateTitle(m.template)}</td>
                  <td>
                    <span className={`badge ${m.state === "failed" ? "bg-danger" : m.state === "queued" ? "bg-secondary" : "bg-success"}`}>{labels[m.state]}</span>
                  </td>
                  <td>{m.attempts}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav aria-label="Pagine della posta" className="d-flex gap-2">
        {filter.pagina > 1 ? <Link className="btn btn-outline-primary" to={pageLink(filter.pagina - 1)}>Pagina precedente</Link> : null}
        {hasMore ? <Link className="btn btn-outline-primary" to={pageLink(filter.pagina + 1)}>Pagina successiva</Link> : null}
      </nav>
    </>
  );
}
