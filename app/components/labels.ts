import { italianDate } from "~/lib/dates";

export const STATE_LABELS: Record<string, string> = {
  PRESENTATA: "Presentata",
  IN_ISTRUTTORIA: "In istruttoria",
  SOSPESA: "Sospesa",
  DELIBERATA: "Deliberata",
  EROGATA: "Erogata",
  NON_AMMESSA: "Non ammessa",
  RINUNCIATA: "Rinunciata",
  REVOCATA: "Revocata",
};

export const UPLOAD_STATUS_LABELS: Record<string, string> = {
  processing: "In elaborazione",
  accepted: "Accettato",
  rejected: "Rifiutato",
  failed: "Errore interno",
};

export const formatDate = (iso: string | null | undefined) => (iso ? italianDate(iso) : "—");
export const formatDateTime = (iso: string | null | undefined) =>
  iso ? new Date(iso).toLocaleString("it-IT", { timeZone: "Europe/Rome" }) : "—";
export const formatMoney = (decimal: string | null | undefined) =>
  decimal == null ? "—" : `€ ${Number(decimal).toLocaleString("it-IT", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

export const REQUEST_STATE_LABELS: Record<string, string> = {
  submitted: "In attesa",
  approved: "Approvata",
  rejected: "Respinta",
  withdrawn: "Ritirata",
};

export const ACCESS_STATUS_LABELS: Record<string, string> = {
  active: "Attiva",
  revoked: "Revocata",
  expired: "Scaduta",
};

/** Timeline wording for each machine's events (`machine_history`). */
export const ENABLEMENT_EVENT_LABELS: Record<string, Record<string, string>> = {
  enablement_request: {
    START: "Richiesta di abilitazione inviata",
    APPROVE: "Richiesta approvata",
    REJECT: "Richiesta respinta",
    WITHDRAW: "Richiesta ritirata",
  },
  access: {
    START: "Abilitazione attivata",
    RENEW: "Abilitazione rinnovata",
    REVOKE: "Abilitazione revocata",
    EXPIRE: "Abilitazione scaduta",
  },
};
export const PROCEDURE_STATUS_LABELS: Record<"draft" | "published", string> = { draft: "Bozza", published: "Pubblicato" };
