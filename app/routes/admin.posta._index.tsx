import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { requirePermission } from "~/auth/guards.server";
import { formatDateTime } from "~/components/labels";
import { PageTitle } from "~/components/layout";
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
      <Form method="get" className="row g-3 mb-4" aria-label="Filtri della posta">
        <div className="col-md-3">
          <label htmlFor="stato" className="form-label">Stato</label>
          <select id="stato" name="stato" className="form-select" defaultValue={filter.stato}>
            <option value="">Tutti</option>
            {Object.entries(labels).map(([v, l]) => (
              <option key={v} value={v}>{l}</option>
            ))}
          </select>
        </div>
        <div className="col-md-4">
          <label htmlFor="destinatario" className="form-label">Destinatario (contiene)</label>
          <input type="search" id="destinatario" name="destinatario" className="form-control" defaultValue={filter.destinatario} />
        </div>
        <div className="col-md-3">
          <label htmlFor="modello" className="form-label">Modello</label>
          <select id="modello" name="modello" className="form-select" defaultValue={filter.modello}>
            <option value="">Tutti</option>
            {templates.map((t) => (
              <option key={t} value={t}>{t}</option>
            ))}
          </select>
        </div>
        <div className="col-md-2 d-flex align-items-end">
          <button type="submit" className="btn btn-primary">Filtra</button>
        </div>
      </Form>
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
                  <td>{m.template}</td>
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
