import { italianDate } from "~/lib/dates";
import { italianNumber } from "~/lib/decimal";

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

/** A practice's handling in the back office (the work-item machine's states). */
export const HANDLING_LABELS: Record<string, string> = { open: "Da prendere in carico", in_charge: "In carico", done: "Conclusa" };

export const UPLOAD_STATUS_LABELS: Record<string, string> = {
  processing: "In elaborazione",
  accepted: "Accettato",
  rejected: "Rifiutato",
  failed: "Errore interno",
};

export const formatDate = (iso: string | null | undefined) => (iso ? italianDate(iso) : "—");
// One formatter, not one per call: building an Intl formatter costs more than a page's rows.
const romeDateTime = new Intl.DateTimeFormat("it-IT", { timeZone: "Europe/Rome", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" });
export const formatDateTime = (iso: string | null | undefined) => (iso ? romeDateTime.format(new Date(iso)) : "—");

/**
 * "€ 12.345,50" from an exact decimal string (never through a float), rounded half up to cents;
 * as Italian number formatting does, thousands are grouped from five digits on ("€ 1234,50").
 */
export const formatMoney = (decimal: string | null | undefined) => {
  if (decimal == null) return "—";
  const m = /^(-?)(\d+)(?:\.(\d*))?$/.exec(decimal.trim());
  if (!m) return `€ ${decimal}`;
  const [, sign, whole, frac = ""] = m;
  let cents = BigInt(whole + (frac + "00").slice(0, 2)) + (Number(frac[2] ?? "0") >= 5 ? 1n : 0n);
  const whole100 = (cents / 100n).toString();
  const units = whole100.length < 5 ? whole100 : whole100.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  cents %= 100n;
  return `€ ${sign && (units !== "0" || cents !== 0n) ? "-" : ""}${units},${cents.toString().padStart(2, "0")}`;
};

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

/** "1 pratica", "3 pratiche": a count with the word that agrees with it. */
export const count = (n: number, one: string, many: string) => `${italianNumber(n)} ${n === 1 ? one : many}`;
