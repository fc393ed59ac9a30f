import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/guards.server";
import { formatDateTime } from "~/components/labels";
import { PageTitle } from "~/components/layout";
import { categoryLabel, TicketStateBadge } from "~/components/ticket";
import { ownTicketsPage } from "~/helpdesk/pages.server";

export const meta: MetaFunction = () => [{ title: "Le mie richieste di assistenza — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const signedIn = await requirePermission(request, "helpdesk.ask");
  return { rows: await ownTicketsPage(request, signedIn) };
}

export default function OwnTickets() {
  const { rows } = useLoaderData<typeof loader>();
  return (
    <>
      <PageTitle lead="Le richieste che hai inviato all'help desk, le più recenti prima.">Le mie richieste di assistenza</PageTitle>
      <p>
        <Link className="btn btn-primary" to="/assistenza">Nuova richiesta di assistenza</Link>
      </p>
      {rows.length === 0 ? (
        <p>Non hai ancora inviato richieste di assistenza.</p>
      ) : (
        <div className="table-responsive">
          <table className="table">
            <caption>Richieste inviate</caption>
            <thead>
              <tr><th scope="col">Numero</th><th scope="col">Oggetto</th><th scope="col">Categoria</th><th scope="col">Stato</th><th scope="col">Inviata il</th></tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td><Link to={`/assistenza/richieste/${r.id}`}>{r.number}</Link></td>
                  <td>{r.subject}</td>
                  <td>{categoryLabel(r.category)}</td>
                  <td><TicketStateBadge state={r.state} /></td>
                  <td>{formatDateTime(r.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
