/** What administrators read instead of a template's folder name. */
export const TEMPLATE_TITLES: Record<string, string> = {
  "access-expiring": "Abilitazione in scadenza",
  "access-revoked": "Abilitazione revocata",
  "assistenza-aggiornamento": "Aggiornamento di una richiesta di assistenza",
  "assistenza-ricevuta": "Richiesta di assistenza ricevuta",
  "enablement-decided": "Esito di una richiesta di abilitazione",
  "esito-caricamento": "Esito di un file inviato (e conferma di ricezione SFTP)",
  "enablement-requested": "Nuove richieste di abilitazione",
  "domanda-aggiornata": "Novità su una domanda online (integrazione, esito)",
  "domanda-inviata": "Domanda online ricevuta",
  "nuovo-messaggio": "Nuovo messaggio su una pratica",
  "promemoria-invio": "Promemoria di invio del flusso",
  "riepilogo-settimanale": "Riepilogo settimanale",
  "segnalazione-ritardi": "Segnalazione degli enti in ritardo",
  "test-message": "Messaggio di prova",
  "account-locale-verifica": "Conferma dell'indirizzo e-mail (account locale)",
  "contatto-verifica": "Conferma dell'indirizzo di contatto (richiedenti)",
};

export const templateTitle = (name: string) => TEMPLATE_TITLES[name] ?? name;
