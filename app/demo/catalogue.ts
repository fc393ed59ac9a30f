import { eq } from "drizzle-orm";
import { defaultBranding, saveBranding } from "~/branding/branding.server";
import { createCategory, createProcedure } from "~/catalogue/catalogue.server";
import { addPosition, updateMeasure, updateOrgUnit } from "~/registry/registry.server";
import { measureGestori, measures, orgUnits, users } from "~db/schema";
import { seedOnce } from "./once";

const KEY = "demo.catalogue";
const who = { system: "demo-data" };

/**
 * The demo catalogue of procedures (two of them the upload side of the demo measures), the
 * units' heads and figures, and the branding: loaded once, after seedDemoData.
 */
export async function seedDemoCatalogue(url: string): Promise<boolean> {
  return seedOnce(url, KEY, async (tx) => {
    const unit = async (code: string) => (await tx.select().from(orgUnits).where(eq(orgUnits.code, code)))[0]!;
    const credito = await unit("SETT-CREDITO");
    const sviluppo = await unit("DIR-SVILUPPO");
    const [paolo] = await tx.select().from(users).where(eq(users.fiscalCode, "RSSPLA70E10A271T"));
    if (paolo) await updateOrgUnit(tx, who, credito.id, { name: credito.name, description: "Garanzie, fondi rotativi e strumenti finanziari per le imprese.", headUserId: paolo.id, userQuota: String(credito.userQuota), active: "on", version: String(credito.version) });
    const rup = await addPosition(tx, who, { orgUnitId: credito.id, title: "Responsabile del procedimento", holder: "Paolo Rossi", email: "credito@regione.example.it" });
    const istruttore = await addPosition(tx, who, { orgUnitId: sviluppo.id, title: "Responsabile dell'istruttoria", holder: "Maria Conti", email: "sviluppo@regione.example.it" });

    const imprese = await createCategory(tx, who, { title: "Imprese e sviluppo economico", description: "Finanziamenti, garanzie e incentivi per le imprese del territorio." });
    const credito2 = await createCategory(tx, who, { title: "Credito e garanzie", parentId: imprese.id });
    const innovazione = await createCategory(tx, who, { title: "Innovazione e digitale", parentId: imprese.id });
    const lavoro = await createCategory(tx, who, { title: "Lavoro e formazione", description: "Incentivi all'occupazione e alla formazione professionale." });

    const liquidita = await createProcedure(tx, who, {
      title: "Fondo liquidità per le imprese colpite dall'emergenza COVID-19",
      categoryId: credito2.id,
      description:
        "Garanzie e contributi in conto interessi sui finanziamenti per la liquidità delle micro, piccole e medie imprese che hanno subito un calo del fatturato.\n\nLa domanda si presenta tramite uno dei confidi accreditati, che istruisce la pratica e ne comunica l'esito.",
      orgUnitId: credito.id,
      responsiblePositionId: rup.id,
      costs: "Nessun costo per l'impresa; la commissione del confidi è coperta dalla misura.",
      howToApply: "Rivolgersi a uno dei confidi accreditati con la documentazione richiesta. Il confidi presenta la domanda e segue la pratica fino all'erogazione.",
      maxDurationDays: "90",
      requiredDocuments: "Visura camerale aggiornata\nUltimi due bilanci o dichiarazioni dei redditi\nDichiarazione sul calo del fatturato",
      links: "Bando della misura | https://www.regione.example.it/bandi/covid-liquidita\nCome accedere all'area riservata | /istruzioni/accesso",
      status: "published",
    });
    const digitale = await createProcedure(tx, who, {
      title: "Finanziamenti agevolati per la digitalizzazione delle PMI",
      categoryId: innovazione.id,
      description: "Finanziamenti a tasso agevolato per investimenti in tecnologie digitali: software gestionali, commercio elettronico, sicurezza informatica.",
      orgUnitId: sviluppo.id,
      responsiblePositionId: istruttore.id,
      costs: "Imposta di bollo di 16 euro sulla domanda.",
      howToApply: "La domanda si presenta tramite gli enti gestori accreditati, allegando il piano degli investimenti.",
      maxDurationDays: "120",
      requiredDocuments: "Piano degli investimenti\nPreventivi dei fornitori\nDichiarazione «de minimis»",
      status: "published",
    });
    await createProcedure(tx, who, {
      title: "Voucher per la formazione dei dipendenti",
      categoryId: lavoro.id,
      description: "Contributi per corsi di formazione professionale dei dipendenti delle imprese. In preparazione.",
      orgUnitId: sviluppo.id,
      maxDurationDays: "60",
      status: "draft",
    });
    await createProcedure(tx, who, {
      title: "Contributi per l'assunzione di giovani under 30",
      categoryId: lavoro.id,
      description: "Contributo a fondo perduto alle imprese che assumono a tempo indeterminato lavoratori con meno di trent'anni.",
      orgUnitId: sviluppo.id,
      responsiblePositionId: istruttore.id,
      costs: "Nessuno.",
      howToApply: "Domanda online entro 60 giorni dall'assunzione.",
      maxDurationDays: "60",
      requiredDocuments: "Comunicazione obbligatoria di assunzione\nContratto di lavoro",
      status: "published",
    });

    for (const [code, procedureId, opensOn] of [
      ["COVID-LIQ", liquidita.id, "2026-01-01"],
      ["INNOVA-PMI", digitale.id, "2026-03-01"],
    ] as const) {
      const [m] = await tx.select().from(measures).where(eq(measures.code, code));
      if (!m) continue;
      const gestori = (await tx.select({ id: measureGestori.gestoreId }).from(measureGestori).where(eq(measureGestori.measureId, m.id))).map((g) => g.id);
      // The obligation settings stay as the timeliness demo set them (or none yet).
      const obligation = {
        cadence: m.obligationCadence ?? "none",
        day: m.obligationDay?.toString() ?? "",
        startsOn: m.obligationStartsOn ?? "",
        endsOn: m.obligationEndsOn ?? "",
        reminderEveryDays: String(m.reminderEveryDays),
        escalateAfterReminders: String(m.escalateAfterReminders),
        maxDaysIstruttoria: m.maxDaysIstruttoria?.toString() ?? "",
        maxDaysSospesa: m.maxDaysSospesa?.toString() ?? "",
        orgUnitId: m.orgUnitId ?? "",
      };
      await updateMeasure(tx, who, m.id, { name: m.name, description: m.description, opensOn, isOpen: "on", procedureId, gestori, ...obligation, version: String(m.version) });
    }

    await saveBranding(tx, who, {
      bodyName: defaultBranding().bodyName,
      logoUrl: "/favicon.svg",
      banner: "",
      quickLinks: "Catalogo dei procedimenti | /procedimenti\nCome accedere con SPID o CIE | /istruzioni/accesso\nSpecifiche del flusso per gli enti gestori | /istruzioni/formato-flusso",
      contactEmail: defaultBranding().contactEmail,
      accessibilityUrl: "",
      version: "0",
    });
  });
}
