import { romeDate } from "~/lib/dates";
import { eq } from "drizzle-orm";
import { PDFDocument, StandardFonts } from "pdf-lib";
import { declareBusiness } from "~/applications/applicant-profile.server";
import { ensureApplicant } from "~/applications/applicant.server";
import { writeApplicationMessage } from "~/applications/messages.server";
import { savePage, sendApplication, startDraft } from "~/applications/applications.server";
import { importFormModel, publishFormModel } from "~/applications/form-models.server";
import { applyOfficeEvent } from "~/applications/handling.server";
import { makeReceipt } from "~/applications/receipt.server";
import { actorOf, type SignedIn } from "~/auth/guards.server";
import { createProcedure } from "~/catalogue/catalogue.server";
import { HIRING_GRANT_FORM } from "~/forms/hiring-grant";
import { getDb, getSql } from "~db/client";
import { appMeta, catalogueCategories, clickDays, orgUnits, procedures, type ProcedureRoutingRule } from "~db/schema";
import { addOrgUnit } from "~/registry/registry.server";
import { DEMO_IDENTITIES } from "./identities";

const KEY = "demo.applications";
const who = { system: "demo-data" };
export const HIRING_GRANT_TITLE = "Contributo per nuove assunzioni 2026";
/** Created with the other demo org units (app/demo/seed.ts), each with one official. */
export const DEMO_OFFICES = [{ code: "SPORTELLO-IMPRESE" }, { code: "UFF-LAVORO" }];
export const HANDLING_OFFICE = "SETT-CREDITO";
/**
 * The labour office is chosen by a rule (ADR 95): the province of the business's seat (the first
 * three digits of its ISTAT municipality code) — Rome's (058) to UFF-LAVORO, Latina's (059) to
 * the Latina office, any other to UFF-LAVORO.
 */
export const DEMO_ROUTING_RULE: ProcedureRoutingRule = {
  name: "Ufficio del lavoro della provincia della sede",
  field: "comuneSede",
  match: "startsWith",
  cases: [
    { value: "058", office: "UFF-LAVORO" },
    { value: "059", office: "UFF-LAVORO-LT" },
  ],
  fallback: "UFF-LAVORO",
};

async function visura() {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([595, 842]);
  page.drawText("Visura camerale (documento dimostrativo)", { x: 50, y: 780, size: 14, font: await pdf.embedFont(StandardFonts.Helvetica) });
  return new File([Buffer.from(await pdf.save())], "visura-camerale.pdf", { type: "application/pdf" });
}

function posted(page: string, intent: string, fields: Record<string, string | string[] | File>) {
  const form = new FormData();
  form.set("page", page);
  form.set("intent", intent);
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) form.append(k, x);
  return form;
}

export const SOFIA_ANSWERS = {
  impresa: { qualita: "legale_rappresentante", ragioneSociale: "Romano Servizi srl", partitaIva: "01234567897", comuneSede: "058091", capSede: "00185", pecImpresa: "romanoservizi@pec.example.it" },
  assunzioni: { numeroAssunti: "3", dataPrimaAssunzione: "2026-02-02", settore: "servizi", categorie: ["giovani", "donne"], importoRichiesto: "24.000,00", descrizione: "Tre assunzioni a tempo indeterminato nel reparto assistenza clienti." },
  pagamento: { iban: "IT60X0542811101000000123456", dichiarazione: "true" },
};

/** Fills pages of a draft with Sofia's answers through the wizard's own save (also used by click-day tests). */
export async function fillDemoPages(signedIn: SignedIn, id: string, pages: (keyof typeof SOFIA_ANSWERS)[] = ["impresa", "assunzioni", "pagamento"], now = new Date()) {
  const request = new Request("http://127.0.0.1/demo");
  for (const page of pages) {
    const fields: Record<string, string | string[] | File> = { ...SOFIA_ANSWERS[page] };
    if (page === "pagamento") fields.visura = await visura();
    const outcome = await savePage(request, signedIn, id, posted(page, "avanti", fields), now);
    if (!outcome.ok) throw new Error(`demo application page ${page} refused`);
  }
}

/**
 * The online applications demo: the procedure "Contributo per nuove assunzioni 2026" with its
 * three-page model published and two offices in parallel, and Sofia Romano's applications —
 * a draft, one sent, one under integration — made through the same functions the pages use.
 */
export async function seedDemoApplications(opts: { now?: Date } = {}): Promise<boolean> {
  const db = getDb();
  const [done] = await db.select().from(appMeta).where(eq(appMeta.key, KEY));
  if (done) return false;
  const now = opts.now ?? new Date();
  const procedureId = await db.transaction(async (tx) => {
    const [category] = await tx.select().from(catalogueCategories).where(eq(catalogueCategories.title, "Lavoro e formazione"));
    // The Settore Credito (Laura Neri) handles the procedure and decides; the offices give opinions (ADR 90).
    const [handling] = await tx.select().from(orgUnits).where(eq(orgUnits.code, HANDLING_OFFICE));
    await addOrgUnit(tx, who, { code: "UFF-LAVORO-LT", name: "Ufficio territoriale del lavoro di Latina" });
    const procedure = await createProcedure(tx, who, {
      orgUnitId: handling?.id ?? "",
      title: HIRING_GRANT_TITLE,
      categoryId: category!.id,
      description: "Contributo a fondo perduto alle imprese che nel 2026 assumono personale a tempo indeterminato. La domanda si presenta online con SPID o CIE.",
      costs: "Nessuno.",
      howToApply: "Domanda online: accedi con SPID o CIE, compila le tre pagine del modulo e invia. Ricevi subito il numero della domanda e la ricevuta.",
      maxDurationDays: "90",
      requiredDocuments: "Visura camerale (PDF)",
      status: "published",
    });
    await tx
      .update(procedures)
      .set({ applicationPrefix: "DOM", applicationsCloseOn: `${now.getUTCFullYear()}-12-31`, applicationOffices: ["SPORTELLO-IMPRESE"], applicationRoutingRules: [DEMO_ROUTING_RULE] })
      .where(eq(procedures.id, procedure.id));
    const model = await importFormModel(tx, who, procedure.id, HIRING_GRANT_FORM);
    await publishFormModel(tx, who, model.id, now);
    return procedure.id;
  });

  const sofia = DEMO_IDENTITIES.find((p) => p.name === "Sofia")!;
  const { user, access } = await getSql().begin((tx) =>
    ensureApplicant(tx, { fiscalCode: sofia.fiscalCode, name: sofia.name, surname: sofia.familyName, email: sofia.email }, who, now),
  );
  const signedIn: SignedIn = { actor: actorOf(user, access), session: { idHash: "demo", csrfToken: "demo", user, access } };
  const request = new Request("http://127.0.0.1/demo");
  // Sofia acts for her business as its legal representative (ADR 91): every application shows it.
  const business = new FormData();
  business.set("businessName", SOFIA_ANSWERS.impresa.ragioneSociale);
  business.set("businessCode", SOFIA_ANSWERS.impresa.partitaIva);
  await declareBusiness(request, signedIn, business);
  const fill = (id: string, pages: (keyof typeof SOFIA_ANSWERS)[]) => fillDemoPages(signedIn, id, pages, now);
  // A draft with the first page filled in.
  const draft = await startDraft(request, signedIn, procedureId, now);
  await fill(draft, ["impresa"]);
  // Sent, waiting for the two offices' opinions.
  const sent = await startDraft(request, signedIn, procedureId, now);
  await fill(sent, ["impresa", "assunzioni", "pagamento"]);
  await sendApplication(request, signedIn, sent, now);
  // Sent, both offices heard, an integration asked.
  const asked = await startDraft(request, signedIn, procedureId, now);
  await fill(asked, ["impresa", "assunzioni", "pagamento"]);
  await sendApplication(request, signedIn, asked, now);
  const at = now.toISOString();
  for (const o of DEMO_OFFICES) await applyOfficeEvent(who, asked, { type: "OPINION", at, office: o.code, outcome: "favorevole", notes: "Requisiti verificati.", userId: user.id });
  const due = romeDate(new Date(now.getTime() + 15 * 86_400_000));
  await applyOfficeEvent(who, asked, { type: "REQUEST_INTEGRATION", at, dueOn: due });
  // A question of Sofia's on the sent application, not yet read by the office (ADR 92).
  await writeApplicationMessage({ actor: signedIn.actor, ip: null }, sent, "Buongiorno, la visura allegata è del mese scorso: serve una visura più recente?", null, now);
  // The receipt jobs sent now may precede the worker's queue: made here, as the job would (idempotent).
  for (const id of [sent, asked]) await makeReceipt(id, now);
  // Click days (issue 16): one opened an hour ago, and one opening 5 minutes after the first start to watch it open.
  const second = (ms: number) => new Date(Math.floor((now.getTime() + ms) / 1000) * 1000);
  await db.insert(clickDays).values([
    { procedureId, label: "Click day di prova (già aperto)", opensAt: second(-3_600_000), quota: 100 },
    // Its quota split per province of the business's seat (ADR 120): Rome 2, Latina 1.
    { procedureId, label: "Click day dimostrativo", opensAt: second(5 * 60_000), quota: 3, groupBy: "province", groupField: "comuneSede", groupQuotas: { RM: 2, LT: 1 } },
  ]);
  await db.insert(appMeta).values({ key: KEY, value: now.toISOString() });
  return true;
}
