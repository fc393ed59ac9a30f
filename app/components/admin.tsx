import { Link } from "@remix-run/react";

export const CONFIG_SECTIONS = [
  { to: "/admin/catalogo", title: "Catalogo dei procedimenti", lead: "Categorie e procedimenti pubblicati nell'area pubblica, con il loro ordine." },
  { to: "/admin/click-day", title: "Click day", lead: "Aperture annunciate dei procedimenti a click day: istante di apertura al secondo, chiusura e quota." },
  { to: "/admin/moduli", title: "Moduli delle domande online", lead: "Moduli delle domande dei procedimenti: editor delle pagine e dei campi, anteprima, importazione ed esportazione form.io, uffici competenti." },
  { to: "/admin/misure", title: "Misure", lead: "Linee di finanziamento: date di apertura e chiusura, enti gestori accreditati, procedimento collegato, obbligo di invio, promemoria e tempi massimi delle pratiche." },
  { to: "/admin/enti", title: "Enti gestori", lead: "Anagrafica, contatti, numero massimo di operatori, accreditamento alle misure, disattivazione." },
  { to: "/admin/strutture", title: "Strutture e figure professionali", lead: "Uffici, dirigenti responsabili, numero massimo di utenti abilitati e figure coinvolte nei procedimenti." },
  { to: "/admin/territori", title: "Territori", lead: "Elenco ufficiale degli ambiti territoriali sociali (ATS) con la storia dei comuni; utenti regionali e di ATS abilitabili." },
  { to: "/admin/visibilita", title: "Scheda di visibilità", lead: "Che cosa vede ogni tipo di utente per ogni categoria di dati (Allegato B), come la applica la piattaforma." },
  { to: "/admin/festivita", title: "Festività locali", lead: "Giorni festivi dell'ente (per esempio il santo patrono) che spostano le scadenze di invio al giorno lavorativo successivo." },
  { to: "/admin/helpdesk", title: "Code dell'help desk", lead: "Per ogni categoria di richieste di assistenza, la struttura i cui operatori la lavorano e i tempi di servizio." },
  { to: "/admin/faq", title: "Domande frequenti", lead: "Risposte alle domande più frequenti, pubblicate nelle istruzioni e trovate dalla ricerca del catalogo; le proposte degli operatori dell'help desk come bozze." },
  { to: "/admin/certificati-fiducia", title: "Certificati di fiducia", lead: "Certificati delle autorità di certificazione con cui verificare i documenti firmati digitalmente (.p7m e PDF firmati)." },
  { to: "/admin/modelli", title: "Modelli delle e-mail", lead: "Testi dei messaggi inviati dalla piattaforma, con anteprima, storico e ripristino." },
  { to: "/admin/aspetto", title: "Aspetto del portale", lead: "Nome dell'ente, logo, avviso, collegamenti rapidi, contatti, dichiarazione di accessibilità." },
  { to: "/admin/identita-digitale", title: "Identità digitale (SPID)", lead: "Identity provider in uso, suoi metadati e validità dei certificati di firma; certificato del service provider." },
];

export function BackToConfig({ to = "/admin/configurazione", label = "Configurazione" }: { to?: string; label?: string }) {
  return (
    <p className="mb-2">
      <Link to={to}>← {label}</Link>
    </p>
  );
}

/** Carries the version the form was loaded with: a save from an older one is refused. */
export function VersionInput({ version }: { version: number }) {
  return <input type="hidden" name="version" value={version} />;
}
