import type { Role } from "~db/schema";

export const ROLE_LABELS: Record<Role, string> = {
  gestore_operatore: "Operatore ente gestore",
  gestore_referente: "Referente ente gestore",
  funzionario: "Funzionario",
  dirigente: "Dirigente",
  amministratore: "Amministratore",
  osservatore: "Osservatore (solo dati aggregati)",
  richiedente: "Richiedente",
  referente_regionale: "Referente regionale",
  amministratore_ats: "Amministratore di ATS",
  operatore_territoriale: "Operatore territoriale",
  operatore_helpdesk: "Operatore help desk",
};

/**
 * What each role may use. Guards and the navigation both read this table, so a link is shown
 * exactly when its page would let the user in.
 */
export const PERMISSIONS = {
  "gestori.view": ["gestore_operatore", "gestore_referente", "funzionario", "dirigente", "amministratore"],
  /** SFTP accounts of one's own gestore for its software (issue 18). */
  "sftp.manage": ["gestore_referente"],
  "tokens.manage": ["gestore_operatore", "gestore_referente", "amministratore"],
  "uploads.send": ["gestore_operatore", "gestore_referente"],
  "uploads.view": ["gestore_operatore", "gestore_referente", "funzionario", "dirigente", "amministratore"],
  "practices.view": ["gestore_operatore", "gestore_referente", "funzionario", "dirigente", "amministratore"],
  "audit.view": ["amministratore"],
  "timeliness.view": ["funzionario", "dirigente", "amministratore"],
  "obligations.view": ["gestore_operatore", "gestore_referente"],
  "mail.view": ["amministratore"],
  /** Ask for (and revoke, renew) access of people in one's own gestore, org unit or territory (ADR 105). */
  "enablement.request": ["gestore_referente", "dirigente", "referente_regionale", "amministratore_ats"],
  /** Approve or reject enablement requests; revoke anyone; read anyone's history. */
  "enablement.decide": ["amministratore"],
  "config.manage": ["amministratore"],
  /** The uploads watchdog: stuck and failed ingestions, marking a stuck one failed (issue 20). */
  "uploads.supervise": ["amministratore"],
  /** The back office: worklist, taking practices in charge, clarification requests, dossier documents. */
  "backoffice.work": ["funzionario", "dirigente", "amministratore"],
  /** Message threads between officials and gestori (each gestore only its own). */
  "messages.use": ["gestore_operatore", "gestore_referente", "funzionario", "dirigente", "amministratore"],
  // Everyone sees the dashboard; what each sees in it is decided by the data layer (ADR 0021).
  "monitoring.view": [
    "gestore_operatore",
    "gestore_referente",
    "funzionario",
    "dirigente",
    "amministratore",
    "osservatore",
    "referente_regionale",
    "amministratore_ats",
    "operatore_territoriale",
  ],
  /** Online applications (issue 15): one's own applications, drafts, receipts; nobody else's. */
  "applications.own": ["richiedente"],
  /** The offices' side of online applications: search, opinions, integrations, decisions. */
  "applications.handle": ["funzionario", "dirigente", "amministratore"],
  /** Help desk (issue 17): work the tickets of one's queues; open tickets from one's own area. */
  "helpdesk.work": ["operatore_helpdesk"],
  /** The activity report: officials their own figures and unit totals, dirigenti their unit, administrators all. */
  "activity.view": ["funzionario", "dirigente", "amministratore"],
  "helpdesk.ask": ["gestore_operatore", "gestore_referente", "funzionario", "dirigente", "richiedente"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission) {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/** Menu groups: the header shows one dropdown per group (a group with one item is a plain link). */
export const NAV_GROUPS = ["Flussi", "Pratiche", "Monitoraggio", "Accessi", "Amministrazione"] as const;
export type NavGroup = (typeof NAV_GROUPS)[number];

type NavItem = { to: string; label: string; group: NavGroup; description: string; permission: Permission };

const NAV: NavItem[] = [
  { to: "/caricamenti/nuovo", label: "Invia flusso", group: "Flussi", permission: "uploads.send",
    description: "Invia il flusso di alimentazione con lo stato delle pratiche e segui l'elaborazione." },
  { to: "/caricamenti", label: "Caricamenti", group: "Flussi", permission: "uploads.view",
    description: "I file inviati, con l'esito: accettati con i conteggi o rifiutati con gli errori." },
  { to: "/token-api", label: "Token API", group: "Flussi", permission: "tokens.manage",
    description: "Token per l'invio automatico dei flussi dal software gestionale dell'ente." },
  { to: "/pratiche", label: "Pratiche", group: "Pratiche", permission: "practices.view",
    description: "Ricerca delle pratiche per codice o beneficiario, con la storia dei passaggi di stato." },
  { to: "/area-personale", label: "Area personale", group: "Pratiche", permission: "applications.own",
    description: "Le tue domande online: bozze, domande inviate con il loro stato, ricevute." },
  { to: "/click-day", label: "Click day", group: "Pratiche", permission: "applications.own",
    description: "I click day: segna le domande come pronte e inviale all'apertura, con la posizione in graduatoria." },
  { to: "/click-day/graduatorie", label: "Graduatorie click day", group: "Pratiche", permission: "applications.handle",
    description: "Per ogni click day le domande in ordine di arrivo, con la linea della quota." },
  { to: "/domande-ricevute", label: "Domande online", group: "Pratiche", permission: "applications.handle",
    description: "Le domande online ricevute: ricerca, pareri degli uffici, integrazioni ed esito, con esportazione CSV." },
  { to: "/lavorazione", label: "Lavorazione", group: "Pratiche", permission: "backoffice.work",
    description: "Le pratiche da lavorare: presa in carico, richieste di integrazione, esiti e scadenze." },
  { to: "/messaggi", label: "Messaggi", group: "Pratiche", permission: "messages.use",
    description: "Le conversazioni sulle pratiche tra enti gestori e uffici regionali, con i documenti allegati." },
  { to: "/helpdesk", label: "Help desk", group: "Pratiche", permission: "helpdesk.work",
    description: "Le richieste di assistenza delle tue code: presa in carico, richieste di informazioni, risposte e chiusura." },
  { to: "/assistenza/richieste", label: "Le mie richieste di assistenza", group: "Pratiche", permission: "helpdesk.ask",
    description: "Le richieste di assistenza che hai inviato, con le risposte dell'help desk." },
  { to: "/monitoraggio", label: "Monitoraggio", group: "Monitoraggio", permission: "monitoring.view",
    description: "Cruscotto: pratiche per stato, importi, flussi settimanali, tempi, passaggi di stato e tempestività degli enti." },
  { to: "/attivita", label: "Attività", group: "Monitoraggio", permission: "activity.view",
    description: "Il lavoro dell'ufficio: pratiche prese in carico e concluse per funzionario, tempi, chiarimenti, messaggi e assistenza." },
  { to: "/enti", label: "Enti gestori", group: "Monitoraggio", permission: "gestori.view",
    description: "Anagrafica degli enti gestori, misure per cui sono accreditati e operatori abilitati." },
  { to: "/obblighi", label: "Obblighi di invio", group: "Monitoraggio", permission: "obligations.view",
    description: "Le scadenze di invio dei flussi per ente gestore e misura, con gli invii mancanti o in ritardo." },
  { to: "/puntualita", label: "Puntualità", group: "Monitoraggio", permission: "timeliness.view",
    description: "La puntualità degli invii di ciascun ente gestore, con i solleciti inviati." },
  { to: "/abilitazioni", label: "Abilitazioni", group: "Accessi", permission: "enablement.request",
    description: "Le persone abilitate del tuo ambito: richiesta di nuove abilitazioni, rinnovo e revoca." },
  { to: "/admin/abilitazioni", label: "Richieste di abilitazione", group: "Accessi", permission: "enablement.decide",
    description: "Le richieste di abilitazione in attesa: approvazione o rifiuto motivato; storia di ogni persona." },
  { to: "/admin/audit", label: "Registro accessi", group: "Accessi", permission: "audit.view",
    description: "Registro di accessi e operazioni: consultazione, filtri ed esportazione CSV." },
  { to: "/admin/posta", label: "Posta inviata", group: "Amministrazione", permission: "mail.view",
    description: "I messaggi di posta elettronica inviati dalla piattaforma, con l'esito della consegna e il nuovo invio." },
  { to: "/admin/caricamenti", label: "Caricamenti bloccati", group: "Amministrazione", permission: "uploads.supervise",
    description: "I caricamenti fermi da troppo tempo e gli errori interni degli ultimi 30 giorni, con la possibilità di chiuderli." },
  { to: "/admin/configurazione", label: "Configurazione", group: "Amministrazione", permission: "config.manage",
    description: "Catalogo dei procedimenti, misure, enti gestori, strutture, modelli di e-mail e aspetto del portale." },
];

export function navigationFor(role: Role) {
  return NAV.filter((item) => can(role, item.permission)).map(({ to, label, group, description }) => ({ to, label, group, description }));
}
