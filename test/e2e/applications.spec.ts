import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { pdfText } from "../support/pdf-text";
import { openFromMenu, seriousViolations, signInAs, signOut, desktopAndPhoneShots } from "./helpers";

/**
 * Issue 15: Sofia Romano applies online for "Contributo per nuove assunzioni 2026": three pages,
 * an error beside its field, "Salva e continua più tardi", back again, the completeness check,
 * sending, the receipt PDF and the mail in the outbox; once more with JavaScript disabled.
 */
const year = new Date().getFullYear();
const VISURA = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");

async function noSeriousViolations(page: Page) {
  expect(await seriousViolations(page)).toEqual([]);
}

const shots = desktopAndPhoneShots;

/** bootstrap-italia draws its own boxes over the inputs: a person clicks the label. */
async function tick(page: Page, label: string | RegExp) {
  const exact = typeof label === "string" ? new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*$`) : label;
  await page.locator("label").filter({ hasText: exact }).click();
}

async function fillPage2(page: Page) {
  await page.getByLabel("Persone assunte a tempo indeterminato nel 2026").fill("2");
  await page.getByLabel("Data della prima assunzione").fill("2026-03-02");
  await page.getByLabel("Settore di attività").selectOption({ label: "Commercio" });
  await tick(page, "Giovani under 36");
  await page.getByLabel("Contributo richiesto (euro)").fill("12.500,00");
}

async function fillPage3(page: Page) {
  await page.getByLabel("IBAN del conto dell'impresa").fill("IT60 X054 2811 1010 0000 0123 456");
  await page.getByLabel("Visura camerale (PDF)").setInputFiles({ name: "visura.pdf", mimeType: "application/pdf", buffer: VISURA });
  await tick(page, /Dichiaro che le informazioni fornite sono vere/);
}

test("Sofia fills three pages, saves, comes back, sends, downloads the receipt; the mail is in the outbox", async ({ page, browser }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto("/procedimenti");
  await page.getByRole("link", { name: "Contributo per nuove assunzioni 2026" }).click();
  await page.getByRole("link", { name: "Presenta domanda online" }).click();
  await expect(page).toHaveURL(/\/accedi\?redirectTo=/);
  await signInAs(page, "Sofia", page.url());
  await expect(page).toHaveURL(/\/domande\/nuova\?procedimento=/);
  await page.getByRole("button", { name: "Inizia la compilazione" }).click();

  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Pagina 1 di 3: Impresa richiedente");
  await tick(page, "Titolare o legale rappresentante");
  await page.getByLabel("Ragione sociale").fill("Romano Consulenze srl");
  await page.getByLabel("Partita IVA").fill("01234567890");
  await page.getByLabel("Codice ISTAT del comune della sede").fill("058091");
  await page.getByLabel("CAP della sede").fill("00185");
  await page.getByLabel("PEC dell'impresa").fill("consulenze@pec.example.it");
  await page.getByRole("button", { name: "Salva e prosegui" }).click();
  // The error beside the field and in the summary at the top; nothing of the page stored.
  await expect(page.getByTestId("error-summary")).toContainText("Partita IVA: partita IVA non valida");
  await expect(page.getByTestId("error-partitaIva")).toHaveText("Partita IVA: partita IVA non valida (11 cifre con il carattere di controllo corretto)");
  await expect(page.getByLabel("Partita IVA")).toHaveAttribute("aria-invalid", "true");
  await noSeriousViolations(page);
  await shots(page, "domanda-pagina-1-errore");
  await page.getByLabel("Partita IVA").fill("01234567897");
  await page.getByRole("button", { name: "Salva e prosegui" }).click();

  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Pagina 2 di 3: Assunzioni");
  await fillPage2(page);
  await page.getByRole("button", { name: "Salva e continua più tardi" }).click();
  await expect(page).toHaveURL(/\/area-personale\?salvata=/);
  await expect(page.getByRole("status")).toHaveText("Bozza salvata: puoi riprenderla quando vuoi da questa pagina.");
  await noSeriousViolations(page);
  await shots(page, "area-personale");

  await page.getByRole("link", { name: "Riprendi la bozza: Contributo per nuove assunzioni 2026" }).first().click();
  await expect(page.getByLabel("Ragione sociale")).toHaveValue("Romano Consulenze srl");
  await page.getByRole("button", { name: "Salva e prosegui" }).click();
  await expect(page.getByLabel("Contributo richiesto (euro)")).toHaveValue("12500,00");
  await page.getByRole("button", { name: "Salva e prosegui" }).click();

  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Pagina 3 di 3: Pagamento e dichiarazioni");
  await page.getByRole("link", { name: "Verifica la completezza e invia" }).click();
  await expect(page.getByTestId("missing")).toContainText("IBAN del conto dell'impresa");
  await expect(page.getByRole("button", { name: "Invia la domanda" })).toBeDisabled();
  await page.getByTestId("missing").getByRole("link", { name: "IBAN del conto dell'impresa" }).click();
  await fillPage3(page);
  await page.getByRole("button", { name: "Salva e verifica" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Verifica e invio della domanda");
  await expect(page.getByRole("status")).toHaveText("La domanda è completa: controlla le risposte e inviala.");
  await expect(page.getByText("12.500,00 €")).toBeVisible();
  await noSeriousViolations(page);
  await shots(page, "domanda-verifica");
  await page.getByRole("button", { name: "Invia la domanda" }).click();

  const number = `DOM-${year}-000003`;
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Domanda ${number}`);
  await expect(page.getByTestId("state")).toHaveText("Inviata");
  // The receipt is made by a job: it appears within moments.
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole("link", { name: "Scarica la ricevuta (PDF)" })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await noSeriousViolations(page);
  await shots(page, "domanda-riepilogo");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Scarica la ricevuta (PDF)" }).click()]);
  const text = pdfText(fs.readFileSync((await download.path())!));
  for (const s of [`Ricevuta della domanda ${number}`, "Contributo per nuove assunzioni 2026", "Richiedente: Sofia Romano (RMNSFO88C52H501R)", "Ragione sociale: Romano Consulenze srl", "Contributo richiesto (euro): 12.500,00", "Impronta SHA-256"]) expect(text).toContain(s);
  await page.goto("/area-personale");
  await expect(page.getByRole("link", { name: `Ricevuta della domanda ${number}` })).toBeVisible();
  await signOut(page);

  const admin = await (await browser.newContext()).newPage();
  await signInAs(admin, "Anna");
  await openFromMenu(admin, "Posta inviata");
  await admin.getByRole("link", { name: `Regione Demo: domanda ${number} ricevuta` }).first().click();
  await expect(admin.locator("main")).toContainText("sofia.romano@example.it");
  await expect(admin.locator("main")).not.toContainText("Romano Consulenze");
});

test.describe("without JavaScript", () => {
  test("Sofia completes the demo draft and sends it with plain HTML forms", async ({ page: withScript, browser }) => {
    // Signing in goes through the test IdP's self-posting page; the rest runs without scripts.
    await signInAs(withScript, "Sofia");
    await expect(withScript).toHaveURL(/\/area-personale$/);
    const context = await browser.newContext({ javaScriptEnabled: false, storageState: await withScript.context().storageState() });
    const page = await context.newPage();
    await page.goto("/area-personale");
    // The demo draft has its first page filled in; the newest draft is first.
    await page.getByRole("link", { name: "Riprendi la bozza: Contributo per nuove assunzioni 2026" }).last().click();
    await expect(page.getByLabel("Ragione sociale")).toHaveValue("Romano Servizi srl");
    await page.getByRole("button", { name: "Salva e prosegui" }).click();
    await fillPage2(page);
    await page.getByLabel("Contributo richiesto (euro)").fill("abc");
    await page.getByRole("button", { name: "Salva e prosegui" }).click();
    await expect(page.getByTestId("error-importoRichiesto")).toHaveText("Contributo richiesto (euro): importo non valido (ad esempio 1.234,50)");
    await page.getByLabel("Contributo richiesto (euro)").fill("9.000");
    await page.getByRole("button", { name: "Salva e prosegui" }).click();
    await fillPage3(page);
    await page.getByRole("button", { name: "Salva e verifica" }).click();
    await page.getByRole("button", { name: "Invia la domanda" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^Domanda DOM-\d{4}-\d{6}$/);
    await expect(page.getByRole("status")).toContainText("Domanda inviata con il numero");
  });
});

test("another applicant's application answers 403", async ({ page, browser }) => {
  await signInAs(page, "Sofia");
  const href = await page.getByRole("link", { name: /^Apri la domanda/ }).first().getAttribute("href");
  await signOut(page);
  const other = await (await browser.newContext()).newPage();
  await signInAs(other, "Luca");
  const response = await other.goto(href!);
  expect(response?.status()).toBe(403);
  await expect(other.getByText("Romano Servizi")).toHaveCount(0);
});

test("two offices give their opinions; an integration is asked and answered; the official decides", async ({ browser }) => {
  test.setTimeout(180_000);
  const number = `DOM-${year}-000001`;
  const openAsOfficial = async (first: string) => {
    const page = await (await browser.newContext()).newPage();
    await signInAs(page, first);
    await openFromMenu(page, "Domande online");
    await page.getByLabel("Numero").fill(number);
    await page.getByRole("button", { name: "Cerca" }).click();
    await expect(page.getByRole("status")).toHaveText("1 domanda");
    await page.getByRole("link", { name: number }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Domanda ${number}`);
    return page;
  };
  const marta = await openAsOfficial("Marta");
  await expect(marta.getByTestId("opinions")).toContainText("SPORTELLO-IMPRESE: in attesa");
  await expect(marta.getByTestId("routing")).toContainText("→ UFF-LAVORO");
  await noSeriousViolations(marta);
  await shots(marta, "domanda-ufficio");
  await tick(marta, "Favorevole");
  await marta.getByRole("button", { name: "Registra il parere" }).click();
  await expect(marta.getByRole("status")).toHaveText("Parere registrato.");
  await expect(marta.getByTestId("state")).toHaveText("Inviata");

  const davide = await openAsOfficial("Davide");
  await tick(davide, "Sfavorevole");
  await davide.getByLabel("Note").fill("Manca il DURC");
  await davide.getByRole("button", { name: "Registra il parere" }).click();
  await expect(davide.getByTestId("state")).toHaveText("In istruttoria");
  await expect(davide.getByTestId("opinions")).toContainText("UFF-LAVORO: sfavorevole — Manca il DURC");
  // An opinion office does not handle the application: no integration, no decision.
  await expect(davide.getByTestId("not-handler")).toBeVisible();
  await expect(davide.getByRole("button", { name: "Chiedi un'integrazione" })).toHaveCount(0);

  const laura = await openAsOfficial("Laura");
  await laura.getByLabel("Integrazione da inviare entro").fill(`${year}-12-20`);
  await laura.getByRole("button", { name: "Chiedi un'integrazione" }).click();
  await expect(laura.getByTestId("state")).toHaveText("Integrazione richiesta");

  const sofia = await (await browser.newContext()).newPage();
  await signInAs(sofia, "Sofia");
  await sofia.getByRole("link", { name: `Apri la domanda ${number}` }).click();
  await expect(sofia.getByText(`L'ufficio ti chiede un'integrazione entro il 20/12/${year}.`)).toBeVisible();
  await noSeriousViolations(sofia);
  await sofia.getByLabel("La tua risposta").fill("Allego il DURC aggiornato.");
  await sofia.getByRole("button", { name: "Invia l'integrazione" }).click();
  await expect(sofia.getByRole("status").first()).toHaveText("Integrazione inviata all'ufficio.");
  await expect(sofia.getByTestId("state")).toHaveText("Integrata");

  await laura.reload();
  await tick(laura, "Accolta");
  await laura.getByLabel("Motivazioni").fill("Requisiti verificati, integrazione completa.");
  await laura.getByRole("button", { name: "Registra l'esito" }).click();
  await expect(laura.getByRole("status")).toHaveText("Esito registrato: domanda accolta.");
  await expect(laura.getByTestId("state")).toHaveText("Accolta");
  await laura.goto(`/domande-ricevute?numero=${number}`);
  const [csv] = await Promise.all([laura.waitForEvent("download"), laura.getByRole("link", { name: "Esporta CSV" }).click()]);
  expect(fs.readFileSync((await csv.path())!, "utf8")).toContain(`${number};Contributo per nuove assunzioni 2026;Romano Sofia;RMNSFO88C52H501R;`);
});
