import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { applicantHome } from "~/applications/pages.server";
import { formatDateTime } from "~/components/labels";
import { PageTitle } from "~/components/layout";

export const meta: MetaFunction = () => [{ title: "Area personale — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  return applicantHome(request);
}

export default function ApplicantHome() {
  const { name, saved, applications } = useLoaderData<typeof loader>();
  const receipts = applications.filter((a) => a.receiptFileId);
  return (
    <>
      <PageTitle lead="Le tue domande online: lo stato di ciascuna, il prossimo passo e le ricevute.">Area personale di {name}</PageTitle>
      {saved ? <div className="alert alert-success" role="status">Bozza salvata: puoi riprenderla quando vuoi da questa pagina.</div> : null}
      <section aria-labelledby="le-mie-domande">
        <h2 id="le-mie-domande" className="h4">Le mie domande</h2>
        {applications.length ? (
          <div className="table-responsive">
            <table className="table">
              <caption className="visually-hidden">Le mie domande</caption>
              <thead>
                <tr><th scope="col">Procedimento</th><th scope="col">Numero</th><th scope="col">Stato</th><th scope="col">Prossimo passo</th><th scope="col">Azioni</th></tr>
              </thead>
              <tbody>
                {applications.map((a) => (
                  <tr key={a.id}>
                    <td>{a.procedure}</td>
                    <td>{a.number ?? "—"}</td>
                    <td>{a.state}</td>
                    <td>{a.next}</td>
                    <td>
                      {a.draft ? <Link to={`/domande/${a.id}`} aria-label={`Riprendi la bozza: ${a.procedure}`}>Riprendi la bozza</Link> : <Link to={`/domande/${a.id}/riepilogo`} aria-label={`Apri la domanda ${a.number}`}>Apri</Link>}
                      {" · "}
                      <Link to={`/assistenza?domanda=${a.id}`} aria-label={`Chiedi assistenza sulla domanda ${a.number ?? a.procedure}`}>Chiedi assistenza</Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p>Non hai ancora presentato domande. Scegli un procedimento dal <Link to="/procedimenti">catalogo dei procedimenti</Link> e usa «Presenta domanda online».</p>
        )}
      </section>
      <section aria-labelledby="le-mie-ricevute">
        <h2 id="le-mie-ricevute" className="h4">Le mie ricevute</h2>
        {receipts.length ? (
          <ul>
            {receipts.map((a) => (
              <li key={a.id}>
                <a href={`/domande/documenti/${a.receiptFileId}`}>Ricevuta della domanda {a.number}</a> (inviata il {formatDateTime(a.submittedAt!)})
              </li>
            ))}
          </ul>
        ) : (
          <p>Nessuna ricevuta: la ricevuta si genera pochi istanti dopo l'invio di una domanda.</p>
        )}
      </section>
      <section aria-labelledby="assistenza">
        <h2 id="assistenza" className="h4">Assistenza</h2>
        <p>
          Per problemi con una domanda leggi le <Link to="/istruzioni">istruzioni</Link> e le <Link to="/istruzioni/domande-frequenti">domande frequenti</Link>, o{" "}
          <Link to="/assistenza">scrivi all'help desk</Link>: le tue richieste sono in <Link to="/assistenza/richieste">Le mie richieste di assistenza</Link>.
        </p>
        <p className="small">Sei operatore di un ente gestore o funzionario? <Link to="/accesso-negato">Come richiedere l'abilitazione</Link>.</p>
      </section>
    </>
  );
}
