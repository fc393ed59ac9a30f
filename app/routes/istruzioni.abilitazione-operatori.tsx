import type { MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { InstructionPage, useContactEmail } from "~/components/instructions";
import { getConfig } from "~/config.server";

export const meta: MetaFunction = () => [{ title: "Abilitazione degli operatori — Monitoraggio pratiche" }];

export function loader() {
  return { termMonths: getConfig().accessTermMonths };
}

/** Describes the enablement flow as the platform runs it (app/enablement, docs/decisions/0013-0014). */
export default function OperatorEnablementHelp() {
  const { termMonths } = useLoaderData<typeof loader>();
  const contact = useContactEmail();
  return (
    <InstructionPage title="Abilitazione degli operatori di un ente gestore" lead="Ogni ente gestore accreditato indica chi, al suo interno, invia i flussi e consulta le pratiche.">
      <h2 className="h4">Chi chiede l'abilitazione</h2>
      <p>
        La chiede il <strong>referente</strong> dell'ente gestore, abilitato dall'amministrazione regionale al momento dell'accreditamento. Il
        referente accede con SPID, CIE o CNS e può chiedere l'abilitazione, solo per il proprio ente, di <strong>operatori</strong> (inviano i flussi
        e consultano le pratiche) e di altri <strong>referenti</strong>.
      </p>
      <h2 className="h4">Come chiedere l'abilitazione di una persona</h2>
      <ol>
        <li>Il referente accede all'area riservata e apre la pagina «Abilitazioni».</li>
        <li>
          Nella sezione «Nuova richiesta di abilitazione» indica cognome, nome, codice fiscale, e-mail e ruolo (operatore o referente) e sceglie
          «Invia richiesta».
        </li>
        <li>
          Se il codice fiscale non corrisponde a cognome e nome, la piattaforma lo segnala prima di inviare: si correggono i dati oppure si conferma
          che sono corretti.
        </li>
        <li>
          Gli amministratori regionali ricevono la richiesta per e-mail e la approvano oppure la rifiutano indicando il motivo. Finché non è
          decisa, il referente può ritirarla dall'elenco «Richieste inviate».
        </li>
        <li>
          Il referente e la persona ricevono un'e-mail con l'esito. Dopo l'approvazione la persona accede con la propria identità digitale
          (SPID, CIE o CNS) intestata al codice fiscale indicato.
        </li>
      </ol>
      <h2 className="h4">Più persone insieme: la richiesta con elenco</h2>
      <p>
        Dalla pagina «Abilitazioni» si apre la «richiesta con elenco CSV»: si carica un file CSV (UTF-8) oppure si incolla l'elenco. La prima riga
        è <code>cognome;nome;codice_fiscale;email;ruolo</code>; il separatore può essere <code>;</code> o <code>,</code>; la colonna{" "}
        <code>ruolo</code> è facoltativa e vale <code>operatore</code> (se vuota) oppure <code>referente</code>. Al massimo 200 persone per elenco.
        Ogni riga è controllata come una richiesta singola: se anche una sola è sbagliata non si invia nulla e tutti gli errori sono mostrati
        insieme, riga per riga.
      </p>
      <h2 className="h4">Quando una richiesta è rifiutata subito</h2>
      <ul>
        <li>esiste già una richiesta in attesa per la stessa persona con lo stesso ruolo;</li>
        <li>la persona è già abilitata con quel ruolo per l'ente;</li>
        <li>
          si supererebbe il numero massimo di utenti dell'ente, stabilito dall'amministrazione (di norma 8): contano le persone abilitate e
          quelle con una richiesta in attesa;
        </li>
        <li>l'ente gestore è stato disattivato dall'amministrazione.</li>
      </ul>
      <h2 className="h4">Durata, rinnovo e revoca</h2>
      <p>
        L'abilitazione dura {termMonths} mesi dall'approvazione. Il referente riceve un'e-mail 30 e 7 giorni prima della scadenza e, negli ultimi
        60 giorni, può rinnovarla dalla pagina «Abilitazioni» («Rinnova») per altri {termMonths} mesi; alla scadenza l'accesso termina.
      </p>
      <p>
        Quando un operatore lascia l'ente il referente sceglie «Revoca»: la revoca ha effetto immediato, chiude le sessioni aperte e i token API
        della persona, e gli amministratori ne sono informati per e-mail.
      </p>
      <h2 className="h4">Prima di iniziare</h2>
      <p>
        Gli operatori inviano lo stato delle pratiche con il <Link to="/istruzioni/formato-flusso">flusso di alimentazione</Link>, dalla pagina web
        o dal software gestionale tramite l'API.
        {contact ? (
          <>
            {" "}
            Per richiedere l'accreditamento di un nuovo ente o l'abilitazione del primo referente scrivi a <a href={`mailto:${contact}`}>{contact}</a>.
          </>
        ) : null}
      </p>
    </InstructionPage>
  );
}
