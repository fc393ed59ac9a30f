import type { MetaFunction } from "@remix-run/node";
import { InstructionPage, useContactEmail } from "~/components/instructions";

export const meta: MetaFunction = () => [{ title: "Accesso dei funzionari — Monitoraggio pratiche" }];

export default function OfficialAccessHelp() {
  const contact = useContactEmail();
  return (
    <InstructionPage title="Accesso dei funzionari regionali" lead="I funzionari seguono le pratiche delle misure di competenza della propria struttura.">
      <h2 className="h4">Chi lo chiede</h2>
      <p>
        L'accesso di un funzionario è chiesto dal <strong>dirigente</strong> della struttura a cui il funzionario appartiene. Il dirigente accede
        all'area riservata con SPID, CIE o CNS.
      </p>
      <h2 className="h4">Come si chiede</h2>
      <ol>
        <li>Il dirigente indica codice fiscale, nome, cognome ed e-mail istituzionale del funzionario e la durata dell'abilitazione.</li>
        <li>L'amministratore della piattaforma verifica la richiesta e la approva.</li>
        <li>Il funzionario riceve un'e-mail e accede con la propria identità digitale; vede le pratiche della propria struttura.</li>
      </ol>
      <p>
        Quando un funzionario cambia ufficio o cessa il servizio, il dirigente ne chiede la revoca.
        {contact ? (
          <>
            {" "}
            Per informazioni: <a href={`mailto:${contact}`}>{contact}</a>.
          </>
        ) : null}
      </p>
    </InstructionPage>
  );
}
