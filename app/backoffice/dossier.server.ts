import { italianDate } from "~/lib/dates";
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from "pdf-lib";
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

/** Characters the standard PDF fonts (WinAnsi) cannot draw are replaced, not fatal. */
export const winAnsi = (s: string) => s.replace(/→/g, "->").replace(/[^\x20-\x7e\u00a0-\u00ff€]/g, "?");

/**
 * The PDF summary of a practice (docs/decisions/0025), generated on request with pdf-lib and
 * audited as an export of individual data. Carries the platform's name and the generation time.
 */
export async function dossierPdf(request: Request, actor: Actor, id: string, now = new Date()) {
  const { detail, documents, threads } = await loadDossier(request, actor, id);
  const p = detail.practice;
  const branding = await getBranding(getDb());
  const pdf = await PDFDocument.create();
  pdf.setTitle(`Fascicolo della pratica ${p.code}`);
  pdf.setProducer(branding.bodyName);
  pdf.setCreationDate(now);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  let page: PDFPage = pdf.addPage([595, 842]);
  let y = 800;
  const line = (text: string, opts: { f?: PDFFont; size?: number; gap?: number } = {}) => {
    const size = opts.size ?? 10;
    if (y < 60) {
      page = pdf.addPage([595, 842]);
      y = 800;
    }
    page.drawText(winAnsi(text).slice(0, 110), { x: 50, y, size, font: opts.f ?? font, color: rgb(0.1, 0.1, 0.1) });
    y -= opts.gap ?? size + 6;
  };
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
  y -= 10;
  line("Documenti", { f: bold, size: 12 });
  if (!documents.length) line("Nessun documento.");
  for (const d of documents) {
    line(`${d.fileName} (v${d.version}) - ${DOCUMENT_TYPES[d.docType as keyof typeof DOCUMENT_TYPES] ?? d.docType}, ${d.sizeBytes} byte, ${dateTime(d.createdAt)}`);
    line(`SHA-256 ${d.sha256}`, { size: 7, gap: 12 });
  }
  y -= 10;
  line("Comunicazioni", { f: bold, size: 12 });
  if (!threads.length) line("Nessuna comunicazione.");
  for (const t of threads) {
    line(`${t.kind === "chiarimento" ? `Richiesta di chiarimenti (scadenza ${date(t.dueOn)}${t.answeredAt ? ", risposta ricevuta" : ", senza risposta"})` : "Messaggio"}: ${t.subject}`);
  }
  const pages = pdf.getPages();
  pages.forEach((pg, i) =>
    pg.drawText(winAnsi(`${branding.bodyName} - pratica ${p.code} - generato il ${dateTime(now)} - pagina ${i + 1} di ${pages.length}`), { x: 50, y: 30, size: 8, font }),
  );
  const bytes = await pdf.save();
  await audit(getDb(), { actor, ip: clientIp(request) }, {
    action: "practice.dossier_pdf",
    objectType: "practice",
    objectId: String(p.id),
    gestoreId: p.gestoreId,
  });
  return { bytes, fileName: `fascicolo-${p.code.replace(/[^A-Za-z0-9._-]/g, "_")}.pdf` };
}
