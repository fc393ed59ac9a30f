import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import postgres from "postgres";
import { openFromMenu, seriousViolations, signInAs, signOut } from "./helpers";

/**
 * Issue 16 in Chromium: Sofia prepares a complete application and marks it ready, waits for the
 * opening on the server's clock, is refused one second early, sends at the opening, reads her
 * rank and opens the receipt page; Laura reads the ranking with its quota line. axe on each page.
 */
const db = () => postgres(`postgres://postgres:postgres@127.0.0.1:${Number(process.env.E2E_PG_PORT ?? 54398)}/gestpratiche`, { max: 1, onnotice: () => {} });
const SHOTS = process.env.E2E_SHOTS;
const VISURA = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");

async function accessible(page: Page, name: string) {
  expect(await seriousViolations(page)).toEqual([]);
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/clickday-${name}-desktop.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(1);
  await page.screenshot({ path: `${SHOTS}/clickday-${name}-390.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
}

async function tick(page: Page, label: RegExp) {
  await page.locator("label").filter({ hasText: label }).click();
}

/** A complete application from the catalogue to the completeness check, with plain form posts (works without scripts). */
async function completeApplication(page: Page, business: string, pec: string, amount: string) {
  await page.goto("/procedimenti");
  await page.getByRole("link", { name: "Contributo per nuove assunzioni 2026" }).click();
  await page.getByRole("link", { name: "Presenta domanda online" }).click();
  await page.getByRole("button", { name: "Inizia la compilazione" }).click();
  await tick(page, /^\s*Titolare o legale rappresentante\s*$/);
  await page.getByLabel("Ragione sociale").fill(business);
  await page.getByLabel("Partita IVA").fill("01234567897");
  await page.getByLabel("Codice ISTAT del comune della sede").fill("058091");
  await page.getByLabel("CAP della sede").fill("00185");
  await page.getByLabel("PEC dell'impresa").fill(pec);
  await page.getByRole("button", { name: "Salva e prosegui" }).click();
  await page.getByLabel("Persone assunte a tempo indeterminato nel 2026").fill("1");
  await page.getByLabel("Data della prima assunzione").fill("2026-03-02");
  await page.getByLabel("Settore di attività").selectOption({ label: "Commercio" });
  await tick(page, /^\s*Giovani under 36\s*$/);
  await page.getByLabel("Contributo richiesto (euro)").fill(amount);
  await page.getByRole("button", { name: "Salva e prosegui" }).click();
  await page.getByLabel("IBAN del conto dell'impresa").fill("IT60 X054 2811 1010 0000 0123 456");
  await page.getByLabel("Visura camerale (PDF)").setInputFiles({ name: "visura.pdf", mimeType: "application/pdf", buffer: VISURA });
  await tick(page, /Dichiaro che le informazioni fornite sono vere/);
  await page.getByRole("button", { name: "Salva e verifica" }).click();
  await expect(page.getByRole("status")).toHaveText("La domanda è completa: controlla le risposte e inviala.");
}

test("Sofia waits for the opening, is refused one second early, sends at the opening and reads her rank; Laura reads the ranking", async ({ page, browser }) => {
  test.setTimeout(150_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await signInAs(page, "Sofia");
  await completeApplication(page, "Click Day srl", "clickday@pec.example.it", "8.000,00");

  // A click day opening in 20 seconds on the database's clock, quota 1 (the demo's open one has no sends).
  const sql = db();
  const [day] = await sql<{ id: string; opens_at: Date }[]>`
    insert into click_days (procedure_id, label, opens_at, quota)
    select id, 'Click day e2e', date_trunc('second', clock_timestamp()) + interval '20 seconds', 1 from procedures where title = 'Contributo per nuove assunzioni 2026'
    returning id, opens_at`;
  await sql.end();

  await openFromMenu(page, "Click day");
  await page.getByRole("link", { name: "Click day e2e" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Click day e2e");
  await expect(page.getByTestId("countdown")).toContainText("Apertura tra");
  await page.getByRole("button", { name: "Segna come pronta per il click day: Click Day srl" }).click();
  await expect(page.getByRole("status")).toHaveText("Domanda segnata come pronta per il click day.");
  await expect(page.getByRole("listitem").filter({ hasText: "Click Day srl" })).toBeVisible();
  await accessible(page, "attesa");

  // One second early: refused with the time left, nothing sent.
  while (Date.now() < day!.opens_at.getTime() - 800) await page.waitForTimeout(50);
  await page.getByRole("button", { name: "Invia le domande pronte" }).click();
  await expect(page.getByRole("alert")).toHaveText("Il click day non è ancora aperto: manca 1 secondo.");
  await expect(page.getByRole("button", { name: "Invia le domande pronte" })).toBeVisible();

  await expect(page.getByTestId("countdown")).toHaveText("Il click day è aperto: puoi inviare.", { timeout: 5000 });
  while (Date.now() < day!.opens_at.getTime() + 50) await page.waitForTimeout(50);
  await page.getByRole("button", { name: "Invia le domande pronte" }).click();
  await expect(page.getByRole("status")).toHaveText("Domanda inviata.");
  await expect(page.getByTestId("rank")).toHaveText("1");
  await expect(page.getByRole("cell", { name: "In quota" })).toBeVisible();
  await accessible(page, "inviata");
  await page.getByRole("link", { name: /^Riepilogo e ricevuta della domanda DOM-/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^Domanda DOM-\d{4}-\d{6}$/);
  // Sent from the acknowledgement on, also while the job completes the sending (ADR 64); her list says so too.
  await expect(page.getByTestId("state")).toHaveText("Inviata");
  await expect(page.getByText("Ricevuta il", { exact: true })).toBeVisible();
  const number = (await page.getByRole("heading", { level: 1 }).textContent())!.replace("Domanda ", "");
  await page.goto("/area-personale");
  await expect(page.getByRole("row").filter({ hasText: number })).toContainText("Inviata");
  await signOut(page);

  const laura = await (await browser.newContext()).newPage();
  await laura.setViewportSize({ width: 1280, height: 800 });
  await signInAs(laura, "Laura");
  await openFromMenu(laura, "Graduatorie click day");
  await accessible(laura, "graduatorie");
  await laura.getByRole("link", { name: "Click day e2e" }).click();
  await expect(laura.getByRole("heading", { level: 1 })).toHaveText("Graduatoria: Click day e2e");
  await expect(laura.getByRole("row").nth(1)).toContainText("Sofia");
  await expect(laura.getByRole("img", { name: "Domande ricevute in ogni secondo, da 5 secondi prima a 60 secondi dopo l'apertura" })).toBeVisible();
  await laura.getByText("Dati del grafico (secondi con almeno un invio)").click();
  await expect(laura.getByRole("table", { name: "Domande ricevute per secondo dall'apertura" }).getByRole("row")).toHaveCount(2);
  await accessible(laura, "graduatoria");
  const csv = await (await laura.request.get(await laura.getByRole("link", { name: "Esporta la graduatoria (CSV)" }).getAttribute("href") ?? "")).text();
  expect(csv).toMatch(/^\uFEFFPosizione;Numero;Richiedente;Codice fiscale;Ricevuta il;Esito\r?\n1;DOM-\d{4}-\d{6};Sofia Romano;RMNSFO88C52H501R;[^;]+;In quota/);
});

test("without JavaScript: Sofia fills an application, marks it ready and sends it at the opening", async ({ browser }) => {
  test.setTimeout(150_000);
  const withScript = await browser.newPage();
  await signInAs(withScript, "Sofia");
  const page = await (await browser.newContext({ javaScriptEnabled: false, storageState: await withScript.context().storageState() })).newPage();
  await completeApplication(page, "Senza Script srl", "senzascript@pec.example.it", "5.000,00");

  const sql = db();
  const [day] = await sql<{ opens_at: Date }[]>`
    insert into click_days (procedure_id, label, opens_at, quota)
    select id, 'Click day senza script', date_trunc('second', clock_timestamp()) + interval '15 seconds', 5 from procedures where title = 'Contributo per nuove assunzioni 2026'
    returning opens_at`;
  await sql.end();
  await page.goto("/click-day");
  await page.getByRole("link", { name: "Click day senza script" }).click();
  await page.getByRole("button", { name: "Segna come pronta per il click day: Senza Script srl" }).click();
  await expect(page.getByRole("status")).toHaveText("Domanda segnata come pronta per il click day.");
  while (Date.now() < day!.opens_at.getTime() + 200) await page.waitForTimeout(100);
  await page.getByRole("button", { name: "Invia le domande pronte" }).click();
  await expect(page.getByRole("status")).toHaveText("Domanda inviata.");
  await expect(page.getByTestId("rank")).toHaveText("1");
  // axe needs scripts: the same pages are checked in the test above.
});
