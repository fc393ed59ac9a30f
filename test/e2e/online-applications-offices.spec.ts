import fs from "node:fs";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { mailTextFromOutbox, openFromMenu, seriousViolations, signInAs } from "./helpers";

/**
 * Issue 15, the applicant's identity and the offices' side (ADRs 90–92): Sofia confirms her
 * contact e-mail with the mailed link (a second use is refused), declares the business she
 * represents (a wrong partita IVA refused beside the field), writes to the office from her
 * application under integration; Laura (the handling office) finds it in /lavorazione with its
 * due date, answers, downloads the attachment and exports the search as XLSX; Sofia reads the
 * answer. (An official of another office gets a 403: test/integration/applicant-identity.test.ts.)
 * It sorts after applications.spec.ts and clickday.spec.ts: it sends nothing and changes no state.
 */
const SHOTS = process.env.E2E_SHOTS;
const year = new Date().getFullYear();

async function shots(page: Page, name: string) {
  expect(await seriousViolations(page)).toEqual([]);
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(1);
  if (SHOTS) {
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}/${name}-390.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: `${SHOTS}/${name}-desktop.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

/** An administrator reads the newest contact-confirmation mail in Posta inviata and returns its link. */
async function contactLinkFromOutbox(browser: Browser, to: string) {
  const text = await mailTextFromOutbox(browser, "contatto-verifica", to);
  const url = new URL(/https?:\/\/\S+\/area-personale\/contatto\?t=[\w-]+/.exec(text)![0]);
  return url.pathname + url.search;
}

test("Sofia confirms her contact e-mail once, declares her business, and writes to the office", async ({ page, browser }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await signInAs(page, "Sofia");
  await expect(page).toHaveURL(/\/area-personale$/);
  await expect(page.getByTestId("contact-status")).toContainText("Nessun indirizzo confermato");
  // The same address SPID gave: the applications' other specs expect their mail there.
  await page.getByLabel("Nuovo indirizzo di contatto").fill("sofia.romano@example.it");
  await page.getByRole("button", { name: "Invia il collegamento di conferma" }).click();
  await expect(page.getByRole("status")).toContainText("Ti abbiamo inviato un collegamento a sofia.romano@example.it");
  await expect(page.getByTestId("contact-pending")).toContainText("In attesa di conferma: sofia.romano@example.it");

  const link = await contactLinkFromOutbox(browser, "sofia.romano@example.it");
  await page.goto(link);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Conferma dell'indirizzo di contatto");
  await shots(page, "contatto-conferma");
  await page.getByRole("button", { name: "Conferma l'indirizzo" }).click();
  await expect(page.getByRole("status")).toHaveText("Indirizzo di contatto confermato: sofia.romano@example.it. Le comunicazioni sulle tue domande arriveranno qui.");
  // The same link a second time: refused in Italian, nothing changed.
  await page.goto(link);
  await page.getByRole("button", { name: "Conferma l'indirizzo" }).click();
  await expect(page.getByRole("alert")).toContainText("Collegamento non valido o già usato: l'indirizzo di contatto non è stato modificato.");
  await page.goto("/area-personale");
  await expect(page.getByTestId("contact-status")).toContainText("Le comunicazioni sulle tue domande arrivano a sofia.romano@example.it, confermato il");

  await page.getByLabel("Codice fiscale o partita IVA dell'impresa").fill("01234567890");
  await page.getByRole("button", { name: "Dichiaro di essere il legale rappresentante" }).click();
  await expect(page.getByTestId("error-businessCode")).toContainText("Codice fiscale o partita IVA dell'impresa non valido");
  await expect(page.getByLabel("Codice fiscale o partita IVA dell'impresa")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByTestId("business-status")).toContainText("Romano Servizi srl (codice fiscale / partita IVA 01234567897)");
  await shots(page, "area-personale-profilo");
  await page.getByLabel("Codice fiscale o partita IVA dell'impresa").fill("01234567897");
  await page.getByRole("button", { name: "Dichiaro di essere il legale rappresentante" }).click();
  await expect(page.getByRole("status")).toHaveText("Dichiarazione registrata: agisci come legale rappresentante di Romano Servizi srl (01234567897).");

  await page.getByRole("link", { name: `Apri la domanda DOM-${year}-000002` }).click();
  await expect(page.getByTestId("on-behalf")).toHaveText("Romano Servizi srl (codice fiscale / partita IVA 01234567897), come legale rappresentante");
  await page.getByLabel("Scrivi all'ufficio").fill("Posso inviare anche il DURC?");
  await page.getByRole("button", { name: "Invia il messaggio" }).click();
  await expect(page.getByRole("status").first()).toHaveText("Messaggio inviato.");
  await expect(page.getByTestId("messages")).toContainText("Posso inviare anche il DURC?");
  await shots(page, "domanda-messaggi");
});

test("Laura finds the application in her worklist, answers, downloads the attachment and exports XLSX; Sofia reads the answer", async ({ browser }) => {
  test.setTimeout(120_000);
  const number = `DOM-${year}-000002`;
  const laura = await (await browser.newContext()).newPage();
  await laura.setViewportSize({ width: 1280, height: 800 });
  await signInAs(laura, "Laura");
  await openFromMenu(laura, "Lavorazione");
  await laura.getByRole("navigation", { name: "Categorie" }).getByRole("link", { name: /Domande online da lavorare/ }).click();
  const row = laura.getByRole("row").filter({ has: laura.getByRole("link", { name: number }) });
  await expect(row).toContainText("1 messaggio del richiedente da leggere");
  await expect(row.getByTestId("application-due")).toContainText(/entro il \d{2}\/\d{2}\/\d{4}/);
  await shots(laura, "lavorazione-domande");
  await row.getByRole("link", { name: number }).click();
  await expect(laura.getByRole("heading", { level: 1 })).toHaveText(`Domanda ${number}`);
  await expect(laura.getByTestId("on-behalf")).toContainText("Romano Servizi srl");
  await expect(laura.getByTestId("messages")).toContainText("Posso inviare anche il DURC?");
  await laura.getByLabel("Scrivi al richiedente").fill("Sì, lo alleghi alla risposta all'integrazione.");
  await laura.getByRole("button", { name: "Invia il messaggio" }).click();
  await expect(laura.getByRole("status").first()).toHaveText("Messaggio inviato.");
  await shots(laura, "domanda-ufficio-messaggi");
  const [attachment] = await Promise.all([laura.waitForEvent("download"), laura.getByRole("link", { name: "visura-camerale.pdf" }).click()]);
  expect(fs.readFileSync((await attachment.path())!).subarray(0, 5).toString("latin1")).toBe("%PDF-");

  await laura.goto(`/domande-ricevute?numero=${number}`);
  const [xlsx] = await Promise.all([laura.waitForEvent("download"), laura.getByRole("link", { name: "Esporta XLSX" }).click()]);
  expect(xlsx.suggestedFilename()).toBe("domande.xlsx");
  expect(fs.readFileSync((await xlsx.path())!).subarray(0, 2).toString("latin1")).toBe("PK");
  const sofia = await (await browser.newContext()).newPage();
  await signInAs(sofia, "Sofia");
  await sofia.getByRole("link", { name: `Apri la domanda ${number}` }).click();
  await expect(sofia.getByTestId("messages")).toContainText("Sì, lo alleghi alla risposta all'integrazione.");
});
