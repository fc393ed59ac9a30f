import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { InstructionPage, useContactEmail } from "~/components/instructions";

export const meta: MetaFunction = () => [{ title: "Abilitazione degli operatori — Monitoraggio pratiche" }];

export default function OperatorEnablementHelp() {
  const contact = useContactEmail();
  return (
    <InstructionPage title="Abilitazione degli operatori di un ente gestore" lead="Ogni ente gestore accreditato indica chi, al suo interno, invia i flussi e consulta le pratiche.">
      <h2 className="h4">Il referente dell'ente</h2>
      <p>
        Ogni ente gestore ha un <strong>referente</strong>, abilitato dall'amministrazione al momento dell'accreditamento. Il referente accede con
        SPID, CIE o CNS e gestisce gli operatori del proprio ente.
      </p>
      <h2 className="h4">Come abilitare un operatore</h2>
      <ol>
        <li>Il referente accede all'area riservata.</li>
        <li>Nella pagina dell'ente chiede l'abilitazione indicando codice fiscale, nome, cognome ed e-mail dell'operatore.</li>
        <li>L'operatore riceve un'e-mail e, da quel momento, può accedere con la propria identità digitale.</li>
      </ol>
      <p>
        Ogni ente può avere al massimo il numero di operatori stabilito dall'amministrazione. Le abilitazioni scadono e vanno rinnovate; il referente
        può revocarle in ogni momento, ad esempio quando un operatore lascia l'ente.
      </p>
      <h2 className="h4">Prima di iniziare</h2>
      <p>
        Gli operatori inviano lo stato delle pratiche con il <Link to="/istruzioni/formato-flusso">flusso di alimentazione</Link>, dalla pagina web
        o dal software gestionale tramite l'API.
        {contact ? (
          <>
            {" "}
            Per richiedere l'accreditamento di un nuovo ente scrivi a <a href={`mailto:${contact}`}>{contact}</a>.
          </>
        ) : null}
      </p>
    </InstructionPage>
  );
}
