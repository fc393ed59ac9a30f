import { italianDate } from "~/lib/dates";
import { textPdf } from "~/lib/text-pdf";
import { audit } from "~/audit/audit.server";
import { requireInScope, type Actor } from "~/auth/guards.server";
import { getBranding } from "~/branding/branding.server";
import { clientIp } from "~/lib/request.server";
import { getDb } from "~db/client";
import { listPracticeDocuments, listThreads, workItemOf } from "~db/queries/backoffice";
import { getPracticeDetail } from "~db/queries/practices";
import { DOCUMENT_TYPES } from "./documents.server";

const STATE: Record<string, string> = {
  PRESENTATA: "Presentata", IN_ISTRUTTORIA: "In istruttoria", SOSPESA: "Sospesa", DELIBERATA: "Deliberata",
  EROGATA: "Erogata", NON_AMMESSA: "Non ammessa", RINUNCIATA: "Rinunciata", REVOCATA: "Revocata",
};
const date = (iso: string | null | undefined) => (iso ? italianDate(iso) : "-");
const dateTime = (d: Date) => d.toLocaleString("it-IT", { timeZone: "Europe/Rome" });
const money = (v: string | null) => (v == null ? "-" : `${Number(v).toLocaleString("it-IT", { minimumFractionDigits: 2 })} €`);

/** The dossier of a practice as the viewer may see it: timeline, documents, threads, handling. */
export async function loadDossier(request: Request, actor: Actor, id: string) {
  const db = getDb();
  const detail = await requireInScope(request, actor, () => getPracticeDetail(db, actor, id), "Pratica non trovata.");
  const p = detail.practice;
  const [docs, threadRows, item] = await Promise.all([
    listPracticeDocuments(db, actor, { id: p.id, gestoreId: p.gestoreId }),
    listThreads(db, actor, { practiceId: p.id }),
    workItemOf(db, p.id),
  ]);
  return { detail, documents: docs, threads: threadRows, workItem: item };
}


/**
 * The PDF summary of a practice (docs/decisions/0025), generated on request with pdf-lib and
 * audited as an export of individual data. Carries the platform's name and the generation time.
 */
export async function dossierPdf(request: Request, actor: Actor, id: string, now = new Date()) {
  const { detail, documents, threads } = await loadDossier(request, actor, id);
  const p = detail.practice;
  const branding = await getBranding(getDb());
  const { line, bold, skip, finish } = await textPdf({ title: `Fascicolo della pratica ${p.code}`, producer: branding.bodyName, now });
  line(branding.bodyName, { f: bold, size: 12 });
  line(`Fascicolo della pratica ${p.code}`, { f: bold, size: 16, gap: 24 });
  line(`Generato il ${dateTime(now)}`, { size: 9, gap: 20 });
  line(`Ente gestore: ${detail.gestoreName} (${detail.gestoreFiscalCode})`);
  line(`Misura: ${detail.measureCode} - ${detail.measureName}`);
  line(`Beneficiario: ${p.beneficiaryName} (${p.beneficiaryFiscalCode})`);
  line(`Presentata il ${date(p.submittedOn)}; stato: ${STATE[p.state]} dal ${date(p.stateDate)}`);
  line(`Importi: richiesto ${money(p.amountRequested)}, deliberato ${money(p.amountApproved)}, erogato ${money(p.amountDisbursed)}`, { gap: 24 });
  line("Storia della pratica", { f: bold, size: 12 });
  for (const h of detail.history) {
    const move = h.fromState && h.fromState !== h.toState ? `${STATE[h.fromState]} -> ${STATE[h.toState]}` : STATE[h.toState]!;
    line(`${date(h.stateDate)}  ${h.kind === "created" ? "Prima segnalazione" : h.kind === "transition" ? "Cambio di stato" : "Dati aggiornati"}: ${move}${h.submissionId ? ` (flusso ${h.submissionId})` : ""}`);
  }
  skip(10);
  line("Documenti", { f: bold, size: 12 });
  if (!documents.length) line("Nessun documento.");
  for (const d of documents) {
    line(`${d.fileName} (v${d.version}) - ${DOCUMENT_TYPES[d.docType as keyof typeof DOCUMENT_TYPES] ?? d.docType}, ${d.sizeBytes} byte, ${dateTime(d.createdAt)}`);
    line(`SHA-256 ${d.sha256}`, { size: 7, gap: 12 });
  }
  skip(10);
  line("Comunicazioni", { f: bold, size: 12 });
  if (!threads.length) line("Nessuna comunicazione.");
  for (const t of threads) {
    line(`${t.kind === "chiarimento" ? `Richiesta di chiarimenti (scadenza ${date(t.dueOn)}${t.answeredAt ? ", risposta ricevuta" : ", senza risposta"})` : "Messaggio"}: ${t.subject}`);
  }
  const bytes = await finish((n, of) => `${branding.bodyName} - pratica ${p.code} - generato il ${dateTime(now)} - pagina ${n} di ${of}`);
  await audit(getDb(), { actor, ip: clientIp(request) }, {
    action: "practice.dossier_pdf",
    objectType: "practice",
    objectId: String(p.id),
    gestoreId: p.gestoreId,
  });
  return { bytes, fileName: `fascicolo-${p.code.replace(/[^A-Za-z0-9._-]/g, "_")}.pdf` };
}
