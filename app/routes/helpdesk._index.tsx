import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/guards.server";
import { CheckboxField, SelectField } from "~/components/form-fields";
import { formatDateTime } from "~/components/labels";
import { PageTitle } from "~/components/layout";
import { categoryLabel, ticketStateLabel, TicketStateBadge } from "~/components/ticket";
import { queuePage } from "~/helpdesk/pages.server";

export const meta: MetaFunction = () => [{ title: "Help desk — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const signedIn = await requirePermission(request, "helpdesk.work");
  return queuePage(request, signedIn);
}

const FILTER_LABELS: Record<string, string> = { open: "Aperte (tutte tranne le chiuse)" };

export default function HelpDesk() {
  const { state, mine, queues, rows } = useLoaderData<typeof loader>();
  return (
    <>
      <PageTitle lead="Le richieste di assistenza delle tue code, le più vecchie prima. I tempi di servizio contano le ore lavorative (9–18 dei giorni feriali) e si fermano mentre si attendono informazioni.">
        Help desk
      </PageTitle>
      {queues.length === 0 ? (
        <div className="alert alert-warning" role="status">
          Alla tua struttura non è ancora assegnata nessuna coda dell'help desk: chiedi a un amministratore di assegnarla.
        </div>
      ) : (
        <ul data-testid="queues">
          {queues.map((q) => (
            <li key={q.category}>
              {q.name}: prima risposta entro {q.firstAnswerHours} ore lavorative, soluzione entro {q.resolutionHours}
            </li>
          ))}
        </ul>
      )}
      <p>
        <Link className="btn btn-outline-primary" to="/helpdesk/telefono">Registra una chiamata al Numero Verde</Link>
      </p>
      <Form method="get" className="row align-items-end mb-3">
        <SelectField
          name="stato"
          label="Stato"
          className="col-md-5"
          defaultValue={state}
          options={["open", "new", "in_charge", "waiting", "answered", "closed"].map((s) => ({ value: s, label: FILTER_LABELS[s] ?? ticketStateLabel(s) }))}
        />
        <div className="col-md-4 mb-4">
          <CheckboxField name="mie" label="Solo quelle assegnate a me" defaultChecked={mine} />
        </div>
        <div className="col-md-3 mb-4">
          <button type="submit" className="btn btn-primary">Filtra</button>
        </div>
      </Form>
      {rows.length === 0 ? (
        <p>Nessuna richiesta.</p>
      ) : (
        <div className="table-responsive">
          <table className="table" data-testid="tickets" style={{ minWidth: "56rem" }}>
            <caption>Richieste di assistenza ({rows.length})</caption>
            <thead>
              <tr>
                <th scope="col">Numero</th>
                <th scope="col">Oggetto</th>
                <th scope="col">Categoria</th>
                <th scope="col">Stato</th>
                <th scope="col">Ricevuta il</th>
                <th scope="col">Assegnata a</th>
                <th scope="col">Tempi di servizio</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td><Link to={`/helpdesk/${r.id}`}>{r.number}</Link></td>
                  <td>{r.subject}{r.channel === "telefono" ? " (telefono)" : ""}</td>
                  <td>{categoryLabel(r.category)}</td>
                  <td><TicketStateBadge state={r.state} /></td>
                  <td>{formatDateTime(r.createdAt)}</td>
                  <td>{r.assignee ? `${r.assignee}${r.mine ? " (tu)" : ""}` : "—"}</td>
                  <td>
                    {r.firstAnswerBreached ? <span className="badge bg-danger me-1">Prima risposta oltre il limite</span> : null}
                    {r.resolutionBreached ? <span className="badge bg-danger">Soluzione oltre il limite</span> : null}
                    {!r.firstAnswerBreached && !r.resolutionBreached ? "Nei limiti" : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
