/**
 * What the SPID technical rules ("messaggi di errore", anomalie derivanti dall'utente) prescribe
 * that the service provider tells the user when the IdP answers with ErrorCode 19–25: the
 * anomaly, and what the user can do about it. The IdP carries the code in StatusMessage as
 * "ErrorCode nrNN".
 */
export type SpidUserAnomaly = { code: number; message: string; advice?: string };

const ANOMALIES: SpidUserAnomaly[] = [
  {
    code: 19,
    message: "Autenticazione fallita per ripetuta sottomissione di credenziali errate.",
    advice: "Inserire credenziali corrette.",
  },
  {
    code: 20,
    message: "Utente privo di credenziali compatibili con il livello di autenticazione richiesto dal servizio.",
    advice: "Acquisire credenziali di livello idoneo all'accesso al servizio (SPID livello 2 o superiore).",
  },
  {
    code: 21,
    message: "Timeout durante l'autenticazione utente.",
    advice: "Si ricorda che l'operazione di autenticazione deve essere completata entro un determinato periodo di tempo.",
  },
  {
    code: 22,
    message: "L'utente ha negato il consenso all'invio dei dati al fornitore del servizio.",
    advice: "È necessario dare il consenso per poter accedere al servizio.",
  },
  {
    code: 23,
    message: "Utente con identità sospesa/revocata o con credenziali bloccate.",
    advice: "Rivolgersi al proprio gestore dell'identità digitale.",
  },
  { code: 25, message: "Processo di autenticazione annullato dall'utente." },
];

/** The anomaly named by a SAML StatusMessage such as "ErrorCode nr19", or null for any other text. */
export function spidUserAnomaly(statusMessage: string | null | undefined): SpidUserAnomaly | null {
  const match = /^\s*ErrorCode nr(\d{1,4})\s*$/.exec(statusMessage ?? "");
  if (!match) return null;
  return ANOMALIES.find((a) => a.code === Number(match[1])) ?? null;
}

export const SPID_USER_ANOMALY_CODES = ANOMALIES.map((a) => a.code);
