import type { Role } from "~db/schema";

export const ROLE_LABELS: Record<Role, string> = {
  gestore_operatore: "Operatore ente gestore",
  gestore_referente: "Referente ente gestore",
  funzionario: "Funzionario",
  dirigente: "Dirigente",
  amministratore: "Amministratore",
  osservatore: "Osservatore (solo dati aggregati)",
};

/**
 * What each role may use. Guards and the navigation both read this table, so a link is shown
 * exactly when its page would let the user in.
 */
export const PERMISSIONS = {
  "gestori.view": ["gestore_operatore", "gestore_referente", "funzionario", "dirigente", "amministratore"],
  "tokens.manage": ["gestore_operatore", "gestore_referente", "amministratore"],
  "uploads.send": ["gestore_operatore", "gestore_referente"],
  "uploads.view": ["gestore_operatore", "gestore_referente", "funzionario", "dirigente", "amministratore"],
  "practices.view": ["gestore_operatore", "gestore_referente", "funzionario", "dirigente", "amministratore"],
  "audit.view": ["amministratore"],
  "timeliness.view": ["funzionario", "dirigente", "amministratore"],
  "obligations.view": ["gestore_operatore", "gestore_referente"],
  "mail.view": ["amministratore"],
  /** Ask for (and revoke, renew) access of people in one's own gestore or org unit. */
  "enablement.request": ["gestore_referente", "dirigente"],
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
  "monitoring.view": ["gestore_operatore", "gestore_referente", "funzionario", "dirigente", "amministratore", "osservatore"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission) {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

type NavItem = { to: string; label: string; permission: Permission };

const NAV: NavItem[] = [
  { to: "/caricamenti/nuovo", label: "Invia flusso", permission: "uploads.send" },
  { to: "/caricamenti", label: "Caricamenti", permission: "uploads.view" },
  { to: "/pratiche", label: "Pratiche", permission: "practices.view" },
  { to: "/lavorazione", label: "Lavorazione", permission: "backoffice.work" },
  { to: "/messaggi", label: "Messaggi", permission: "messages.use" },
  { to: "/monitoraggio", label: "Monitoraggio", permission: "monitoring.view" },
  { to: "/enti", label: "Enti gestori", permission: "gestori.view" },
  { to: "/obblighi", label: "Obblighi di invio", permission: "obligations.view" },
  { to: "/puntualita", label: "Puntualità", permission: "timeliness.view" },
  { to: "/token-api", label: "Token API", permission: "tokens.manage" },
  { to: "/abilitazioni", label: "Abilitazioni", permission: "enablement.request" },
  { to: "/admin/abilitazioni", label: "Richieste di abilitazione", permission: "enablement.decide" },
  { to: "/admin/audit", label: "Registro accessi", permission: "audit.view" },
  { to: "/admin/posta", label: "Posta inviata", permission: "mail.view" },
  { to: "/admin/caricamenti", label: "Caricamenti bloccati", permission: "uploads.supervise" },
  { to: "/admin/configurazione", label: "Configurazione", permission: "config.manage" },
];

export function navigationFor(role: Role) {
  return NAV.filter((item) => can(role, item.permission)).map(({ to, label }) => ({ to, label }));
}
