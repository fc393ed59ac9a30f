/** What people read in the audit log instead of the codes stored in it. */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  "access.denied": "Accesso negato",
  "access.grant": "Abilitazione concessa",
  "api.auth": "Accesso con token API",
  "api_token.create": "Token API creato",
  "api_token.revoke": "Token API revocato",
  "audit.export": "Registro esportato",
  "auth.signin": "Accesso",
  "auth.signout": "Uscita",
  "auth.switch_profile": "Cambio di profilo",
  "local_account.lock": "Account locale bloccato per tentativi falliti",
  "local_account.recovery_codes": "Codici di recupero rigenerati",
  "local_account.register": "Registrazione con e-mail e password",
  "local_account.totp_enrol": "Secondo fattore attivato",
  "local_account.unlock": "Account locale sbloccato",
  "local_account.verify_email": "Indirizzo e-mail confermato",
  "branding.update": "Aspetto del portale modificato",
  "catalogue.category.create": "Categoria del catalogo creata",
  "catalogue.category.delete": "Categoria del catalogo eliminata",
  "catalogue.category.update": "Categoria del catalogo modificata",
  "document.add": "Documento allegato",
  "document.download": "Documento scaricato",
  "enablement_request.submit": "Richiesta di abilitazione inviata",
  "enablement_request.approve": "Richiesta di abilitazione approvata",
  "enablement_request.reject": "Richiesta di abilitazione respinta",
  "access.revoke": "Abilitazione revocata",
  "access.renew": "Abilitazione rinnovata",
  "gestore.create": "Ente gestore creato",
  "gestore.update": "Ente gestore modificato",
  "gestore.view": "Consultazione di un ente gestore",
  "holiday.create": "Festività aggiunta",
  "holiday.delete": "Festività eliminata",
  "mail.list": "Consultazione della posta inviata",
  "mail.resend": "Messaggio di posta inviato di nuovo",
  "mail.view": "Consultazione di un messaggio di posta",
  "mail_template.reset": "Modello di e-mail ripristinato",
  "mail_template.save": "Modello di e-mail salvato",
  "measure.create": "Misura creata",
  "measure.obligation": "Obbligo di invio di una misura modificato",
  "measure.update": "Misura modificata",
  "monitoring.export": "Esportazione dal monitoraggio",
  "org_unit.create": "Struttura creata",
  "org_unit.update": "Struttura modificata",
  "person.view": "Consultazione di una persona",
  "position.create": "Incarico creato",
  "position.update": "Incarico modificato",
  "practice.dossier_pdf": "Fascicolo della pratica scaricato",
  "practice.transition": "Passaggio di stato di una pratica",
  "practice.view": "Consultazione di una pratica",
  "procedure.create": "Procedimento creato",
  "procedure.update": "Procedimento modificato",
  "thread.view": "Consultazione di una conversazione",
  "timeliness.digest": "Riepilogo di puntualità inviato",
  "timeliness.escalation": "Segnalazione di ritardo al dirigente",
  "timeliness.reminder": "Sollecito di invio",
  "upload.receive": "Flusso ricevuto",
  "user.create": "Persona registrata",
  "work_item.bulk_assign": "Assegnazione di più pratiche",
  "work_item.bulk_export": "Esportazione di più pratiche",
};

/** An audit row's outcome. */
export const OUTCOME_LABELS: Record<string, string> = { success: "Riuscita", failure: "Non riuscita", denied: "Negata" };

export const AUDIT_OBJECT_LABELS: Record<string, string> = {
  access: "Abilitazione",
  api_token: "Token API",
  branding: "Aspetto del portale",
  catalogue_category: "Categoria del catalogo",
  document: "Documento",
  enablement_request: "Richiesta di abilitazione",
  escalation: "Segnalazione",
  gestore: "Ente gestore",
  holiday: "Festività",
  mail_outbox: "Messaggio di posta",
  mail_template: "Modello di e-mail",
  measure: "Misura",
  monitoring_table: "Tabella del monitoraggio",
  org_unit: "Struttura",
  position: "Incarico",
  practice: "Pratica",
  procedure: "Procedimento",
  reminder: "Sollecito",
  route: "Pagina",
  thread: "Conversazione",
  upload: "Flusso",
  user: "Persona",
  work_item: "Pratica in lavorazione",
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** "Pratica n. 3f2a9c1b" rather than "practice 3f2a9c1b-…": the id stays (it is evidence), shortened. */
export function auditActionLabel(action: string) {
  return AUDIT_ACTION_LABELS[action] ?? action;
}

export function auditObjectLabel(type: string | null, id: string | null) {
  if (!type) return "—";
  const label = AUDIT_OBJECT_LABELS[type] ?? type;
  if (!id) return label;
  return UUID.test(id) ? `${label} n. ${id.slice(0, 8)}` : `${label} ${id}`;
}
