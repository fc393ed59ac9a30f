import { expect, test } from "@playwright/test";
import { signInAs, signOut, openFromMenu } from "./helpers";

test.describe.configure({ mode: "serial" });


test("an official reads Puntualità, filters it by measure and sorts it", async ({ page }) => {
  await signInAs(page, "Laura");
  await openFromMenu(page, "Puntualità");
  await expect(page.getByRole("heading", { name: "Puntualità degli enti gestori" })).toBeVisible();
  const table = page.getByRole("table");
  // The demo's own gestore never sent a file: late, reminded and escalated.
  const demo = table.getByRole("row", { name: /Confidi Demo Marche.*COVID-LIQ/ });
  await expect(demo).toContainText("giorni");
  await expect(demo).toContainText("nessuno");
  await page.screenshot({ path: "test-results/puntualita.png", fullPage: true });
  await page.getByLabel("Misura", { exact: true }).selectOption("INNOVA-PMI");
  await page.getByRole("button", { name: "Filtra" }).click();
  await expect(table.getByRole("row", { name: /COVID-LIQ/ })).toHaveCount(0);
  await expect(table.getByRole("row", { name: /INNOVA-PMI/ })).toHaveCount(2);
  await table.getByRole("link", { name: /Ente gestore/ }).click();
  await expect(page).toHaveURL(/ordina=gestore&verso=asc/);
  await expect(table.locator("tbody tr").first()).toContainText("Fidi Adriatico");
  await table.getByRole("link", { name: /Ente gestore/ }).click();
  await expect(table.locator("tbody tr").first()).toContainText("Garanzia Impresa");
  // The gestore's page shows what it was reminded of.
  await table.getByRole("link", { name: "Garanzia Impresa Centro Italia" }).click();
  await expect(page.getByRole("heading", { name: "Promemoria e segnalazioni" })).toBeVisible();
  await expect(page.getByRole("table", { name: /Promemoria inviati all'ente/ }).getByRole("row", { name: /INNOVA-PMI/ }).first()).toBeVisible();
  await signOut(page);
});

test("a gestore operator sees its obligations calendar and the reminders it received", async ({ page }) => {
  await signInAs(page, "Giulia");
  await openFromMenu(page, "Obblighi di invio");
  await expect(page.getByRole("heading", { name: "Obblighi di invio", level: 1 })).toBeVisible();
  const calendar = page.getByRole("table", { name: /Calendario degli invii per COVID-LIQ/ });
  await expect(calendar.getByRole("row", { name: /dal 01\/01\/2026 al 31\/01\/2026/ })).toContainText("In ritardo");
  await expect(page.getByRole("table", { name: /Promemoria inviati all'ente/ }).locator("tbody tr").first()).toContainText("COVID-LIQ");
  await page.screenshot({ path: "test-results/obblighi.png", fullPage: true });
  await signOut(page);
});

test("an administrator reads the reminders in Posta inviata", async ({ page }) => {
  await signInAs(page, "Anna");
  await openFromMenu(page, "Posta inviata");
  await expect(page.getByRole("heading", { name: "Posta inviata" })).toBeVisible();
  await page.getByLabel("Modello").selectOption("promemoria-invio");
  await page.getByLabel("Destinatario (contiene)").fill("confidi-demo");
  await page.getByRole("button", { name: "Filtra" }).click();
  const rows = page.getByRole("table").locator("tbody tr");
  await expect(rows.first()).toContainText("Promemoria n.");
  await expect(rows.first()).toContainText("Solo in archivio");
  await page.screenshot({ path: "test-results/posta-inviata.png", fullPage: true });
  await rows.first().getByRole("link").click();
  await expect(page.getByRole("heading", { name: /Promemoria n\./ })).toBeVisible();
  await expect(page.getByTestId("mail-text")).toContainText("Spettabile Confidi Demo Marche,");
  await page.screenshot({ path: "test-results/posta-messaggio.png", fullPage: true });
  await signOut(page);
});
