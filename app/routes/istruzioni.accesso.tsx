import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { InstructionPage, useContactEmail } from "~/components/instructions";

export const meta: MetaFunction = () => [{ title: "Come accedere — Monitoraggio pratiche" }];

export default function SignInHelp() {
  const contact = useContactEmail();
  return (
    <InstructionPage title="Come accedere con SPID, CIE o CNS" lead="L'area riservata è per le persone abilitate: operatori degli enti gestori, funzionari, dirigenti e amministratori.">
      <h2 className="h4">Di cosa hai bisogno</h2>
      <ul>
        <li>
          <strong>SPID</strong>, il Sistema Pubblico di Identità Digitale, di livello 2 (nome utente, password e codice temporaneo o app);
        </li>
        <li>
          oppure la <strong>CIE</strong>, Carta d'Identità Elettronica, con il PIN e l'app CieID o un lettore;
        </li>
        <li>
          oppure la <strong>CNS</strong>, Carta Nazionale dei Servizi (ad esempio la tessera sanitaria attivata), con il lettore di smart card.
        </li>
      </ul>
      <h2 className="h4">Come si accede</h2>
      <ol>
        <li>
          Scegli <Link to="/accedi">Accedi</Link> in alto a destra.
        </li>
        <li>Scegli «Entra con SPID o CIE»: si apre la pagina di autenticazione regionale, dove scegli SPID, CIE o CNS.</li>
        <li>Dopo l'autenticazione torni sulla piattaforma. Se hai più profili (ad esempio operatore di due enti), scegli quello con cui lavorare.</li>
      </ol>
      <h2 className="h4">Se l'accesso non riesce</h2>
      <p>
        Se vedi il messaggio «Non sei abilitato ad accedere», la tua identità è stata riconosciuta ma non hai ancora un profilo: chiedi
        l'abilitazione al referente del tuo ente gestore o al dirigente della tua struttura.
        {contact ? (
          <>
            {" "}
            Per altri problemi scrivi a <a href={`mailto:${contact}`}>{contact}</a>.
          </>
        ) : null}
      </p>
    </InstructionPage>
  );
}
