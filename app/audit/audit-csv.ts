import { ROLE_LABELS } from "~/auth/permissions";
import { AUDIT_OBJECT_LABELS, auditActionLabel, OUTCOME_LABELS } from "./labels";

/**
 * One audit row as a person reads it in Excel (Italian words, dd/mm/yyyy hh:mm:ss in Rome), with
 * the action's code kept beside its label so an export can still be filtered exactly. Used by the
 * audit log's export and by the data-subject export.
 */
export const AUDIT_CSV_HEADER = ["Numero", "Data e ora", "Codice fiscale di chi ha agito", "Ruolo", "Azione", "Codice azione", "Oggetto", "Id oggetto", "Esito", "Indirizzo IP", "Dettagli"];

type AuditCsvRow = {
  id: number | string;
  at: Date;
  actorFiscalCode: string | null;
  actorRole: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  outcome: string;
  ip: string | null;
  details: unknown;
};

const romeParts = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Rome", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });

export function auditCsvCells(r: AuditCsvRow): string[] {
  const p = Object.fromEntries(romeParts.formatToParts(r.at).map((x) => [x.type, x.value]));
  return [
    String(r.id),
    `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}:${p.second}`,
    r.actorFiscalCode ?? "",
    r.actorRole ? (ROLE_LABELS[r.actorRole as keyof typeof ROLE_LABELS] ?? r.actorRole) : "",
    auditActionLabel(r.action),
    r.action,
    r.objectType ? (AUDIT_OBJECT_LABELS[r.objectType] ?? r.objectType) : "",
    r.objectId ?? "",
    OUTCOME_LABELS[r.outcome] ?? r.outcome,
    r.ip ?? "",
    typeof r.details === "string" ? r.details : JSON.stringify(r.details ?? {}),
  ];
}
