import type { MetaFunction } from "@remix-run/node";
import { PageTitle } from "~/components/layout";

export const meta: MetaFunction = () => [{ title: "Accesso non abilitato — Monitoraggio pratiche" }];

export default function NoAccess() {
  return (
    <>
      <PageTitle>Non sei abilitato ad accedere</PageTitle>
      <div className="alert alert-warning" role="alert">
        L'identità con cui ti sei autenticato non risulta abilitata alla piattaforma, oppure la tua abilitazione è
        scaduta o è stata revocata.
      </div>
      <h2 className="h4">Come ottenere l'accesso</h2>
      <ul>
        <li>
          <strong>Operatori di un ente gestore</strong>: chiedi al referente del tuo ente di richiedere la tua
          abilitazione dalla piattaforma.
        </li>
        <li>
          <strong>Funzionari regionali</strong>: chiedi al dirigente della tua struttura di richiedere la tua
          abilitazione.
        </li>
        <li>
          <strong>Cittadini e imprese</strong>: per presentare una domanda online non serve alcuna abilitazione:
          le tue domande sono nella tua <a href="/area-personale">area personale</a>.
        </li>
        <li>
          Per altre necessità scrivi all'ufficio Sistemi informativi della Regione.
        </li>
      </ul>
      <a className="btn btn-outline-primary" href="/">
        Torna alla home
      </a>
    </>
  );
}
