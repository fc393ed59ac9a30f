import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { pdfText } from "../support/pdf-text";
import { signInAs, signOut, openFromMenu } from "./helpers";

test.describe.configure({ mode: "serial" });

const SUBJECT = "Chiarimenti sulla sospensione dell'istruttoria";
let code = "";
let practicePath = "";

test("an official takes a flagged practice in charge and sends a clarification request", async ({ page }) => {
  await signInAs(page, "Laura");
  await openFromMenu(page, "Lavorazione");
  await expect(page.getByRole("heading", { name: "Lavorazione", level: 1 })).toBeVisible();
  await page.getByLabel("Categoria", { exact: true }).selectOption("oltre_limite");
  await page.getByRole("button", { name: "Filtra" }).click();
  const row = page.getByRole("table", { name: /Da lavorare/ }).getByRole("row", { name: /Fidi Adriatico.*COVID-LIQ/ }).first();
  await expect(row).toContainText("tua struttura");
  const link = row.getByRole("link");
  code = (await link.textContent())!.trim();
  practicePath = (await link.getAttribute("href"))!;
  await page.screenshot({ path: "test-results/lavorazione.png", fullPage: false });
  await row.getByRole("button", { name: `Prendi in carico la pratica ${code}` }).click();
  await expect(page.getByRole("status")).toHaveText("Pratica presa in carico.");
  const taken = page.getByRole("table", { name: /Da lavorare/ }).getByRole("row", { name: new RegExp(code) }).first();
  await expect(taken).toContainText("In carico: Laura Neri");

  await taken.getByRole("link", { name: code }).click();
  await expect(page.getByRole("heading", { name: `Pratica ${code}` })).toBeVisible();
  await expect(page.getByTestId("handling")).toHaveText("In carico: Laura Neri");
  await page.getByRole("link", { name: "Fascicolo" }).click();
  await page.getByText("Scrivi all'ente gestore o chiedi chiarimenti").click();
  await page.getByLabel("Tipo", { exact: true }).selectOption("chiarimento");
  await page.getByLabel("Risposta entro (richieste di chiarimenti)").fill("2026-12-15");
  await page.getByLabel("Oggetto").fill(SUBJECT);
  await page.getByLabel("Testo").fill("Inviare il verbale della sospensione.");
  await page.getByRole("button", { name: "Invia", exact: true }).click();
  await expect(page.getByRole("status")).toHaveText("Richiesta di chiarimenti inviata.");
  await expect(page.getByTestId("dossier-threads")).toContainText("chiarimenti entro il 15/12/2026");
  await signOut(page);
});

test("the gestore reads the request and answers it with an attachment", async ({ page }) => {
  await signInAs(page, "Giuseppe");
  await openFromMenu(page, "Messaggi");
  const row = page.getByRole("row", { name: new RegExp(SUBJECT) });
  await expect(row).toContainText("1 nuovo");
  await row.getByRole("link", { name: SUBJECT }).click();
  await expect(page.getByTestId("messages")).toContainText("Inviare il verbale della sospensione.");
  await expect(page.getByTestId("clarification-status")).toContainText("Non ancora risposta.");
  await page.getByLabel("Testo").fill("In allegato il verbale richiesto.");
  await page.getByLabel(/Allegato/).setInputFiles({ name: "verbale-sospensione.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n% verbale\n%%EOF\n") });
  await page.getByLabel("Tipo di documento allegato").selectOption("chiarimenti");
  await page.getByRole("button", { name: "Invia risposta" }).click();
  await expect(page.getByRole("status")).toHaveText("Risposta inviata con l'allegato.");
  await expect(page.getByTestId("clarification-status")).toContainText("Risposta inviata il");
  await expect(page.getByRole("link", { name: "verbale-sospensione.pdf" })).toBeVisible();
  await page.screenshot({ path: "test-results/messaggio.png", fullPage: true });
  await signOut(page);
});

test("the official sees the answer read and downloads the dossier PDF", async ({ page }) => {
  await signInAs(page, "Laura");
  await page.goto(`${practicePath}?scheda=fascicolo`);
  await expect(page.getByTestId("dossier-threads")).toContainText("risposta ricevuta");
  await expect(page.getByTestId("dossier-documents")).toContainText("verbale-sospensione.pdf");
  await expect(page.getByTestId("dossier-uploads").getByRole("link").first()).toBeVisible();
  await page.screenshot({ path: "test-results/fascicolo.png", fullPage: true });
  await page.getByRole("link", { name: SUBJECT }).click();
  await expect(page.getByTestId("messages")).toContainText(/letto il/);
  await page.goto(`${practicePath}?scheda=fascicolo`);
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Scarica il riepilogo PDF" }).click()]);
  expect(download.suggestedFilename()).toBe(`fascicolo-${code}.pdf`);
  const text = pdfText(fs.readFileSync((await download.path())!));
  expect(text).toContain(`Fascicolo della pratica ${code}`);
  expect(text).toContain("verbale-sospensione.pdf (v1)");
  await signOut(page);
});
