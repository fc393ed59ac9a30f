import type { MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { InstructionPage, useContactEmail } from "~/components/instructions";
import { getConfig } from "~/config.server";

export const meta: MetaFunction = () => [{ title: "Accesso dei funzionari — Monitoraggio pratiche" }];

export function loader() {
  return { termMonths: getConfig().accessTermMonths };
}

/** Describes the enablement flow for officials as the platform runs it (app/enablement). */
export default function OfficialAccessHelp() {
  const { termMonths } = useLoaderData<typeof loader>();
  const contact = useContactEmail();
  return (
    <InstructionPage title="Accesso dei funzionari regionali" lead="I funzionari seguono le pratiche delle misure di competenza della propria struttura.">
      <h2 className="h4">Chi lo chiede</h2>
      <p>
        L'accesso di un funzionario è chiesto dal <strong>dirigente</strong> della struttura a cui il funzionario appartiene, solo per la propria
        struttura. Il dirigente accede all'area riservata con SPID, CIE o CNS.
      </p>
      <h2 className="h4">Come si chiede</h2>
      <ol>
        <li>
          Il dirigente apre la pagina «Abilitazioni» e, nella sezione «Nuova richiesta di abilitazione», indica cognome, nome, codice fiscale ed
          e-mail istituzionale del funzionario, poi sceglie «Invia richiesta». Se il codice fiscale non corrisponde a cognome e nome la piattaforma
          lo segnala: si correggono i dati o si conferma che sono corretti.
        </li>
        <li>
          Per più funzionari insieme usa la «richiesta con elenco CSV»: prima riga <code>cognome;nome;codice_fiscale;email;ruolo</code>, con la
          colonna <code>ruolo</code> vuota o <code>funzionario</code>. Se anche una sola riga è sbagliata non si invia nulla e tutti gli errori
          sono mostrati insieme.
        </li>
        <li>
          Gli amministratori regionali ricevono la richiesta e la approvano oppure la rifiutano indicando il motivo; fino alla decisione il
          dirigente può ritirarla.
        </li>
        <li>
          Il dirigente e il funzionario ricevono un'e-mail con l'esito. Dopo l'approvazione il funzionario accede con la propria identità digitale e
          vede le pratiche della propria struttura.
        </li>
      </ol>
      <p>
        La richiesta è rifiutata subito se per la stessa persona ce n'è già una in attesa, se la persona è già abilitata nella struttura, se si
        supererebbe il numero massimo di utenti della struttura stabilito dall'amministrazione (di norma 8, contando anche le richieste in attesa)
        o se la struttura non è attiva.
      </p>
      <h2 className="h4">Durata, rinnovo e revoca</h2>
      <p>
        L'accesso dura {termMonths} mesi dall'approvazione. Il dirigente riceve un'e-mail 30 e 7 giorni prima della scadenza e, negli ultimi 60
        giorni, può rinnovarlo dalla pagina «Abilitazioni» («Rinnova») per altri {termMonths} mesi.
      </p>
      <p>
        Quando un funzionario cambia ufficio o cessa il servizio, il dirigente sceglie «Revoca» nella pagina «Abilitazioni»: la revoca ha effetto
        immediato e gli amministratori ne sono informati.
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
