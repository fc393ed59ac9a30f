import path from "node:path";
import { expect, test } from "@playwright/test";
import { signInAs, signOut, openFromMenu } from "./helpers";

const fixture = (name: string) => path.resolve("test/fixtures/uploads", name);

test.describe.configure({ mode: "serial" });

test("a gestore operator uploads the first sample file and reads its outcome", async ({ page }) => {
  await signInAs(page, "Giulia");
  await openFromMenu(page, "Invia flusso");
  await page.locator("#file").setInputFiles(fixture("valid-first.txt"));
  await expect(page.getByTestId("chosen-file")).toContainText("valid-first.txt");
  await page.getByRole("button", { name: "Invia", exact: true }).click();
  await expect(page).toHaveURL(/\/caricamenti\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("upload-status")).toContainText("Accettato", { timeout: 30_000 });
  await expect(page.getByTestId("upload-status")).toContainText("5 nuove");
  await page.screenshot({ path: "test-results/upload-accepted.png", fullPage: true });
});

test("a rejected file shows its errors, downloadable as CSV", async ({ page }) => {
  await signInAs(page, "Giulia");
  await page.goto("/caricamenti/nuovo");
  await page.locator("#file").setInputFiles(fixture("invalid-mixed.txt"));
  await page.getByRole("button", { name: "Invia", exact: true }).click();
  await expect(page.getByTestId("upload-status")).toContainText("Rifiutato", { timeout: 30_000 });
  const table = page.getByTestId("errors-table");
  await expect(table.getByRole("row", { name: /TRANSITION_NOT_ALLOWED/ })).toContainText("2");
  await expect(table.getByRole("row", { name: /COMUNE_UNKNOWN/ })).toBeVisible();
  await expect(table.getByRole("row", { name: /TRAILER_MISMATCH/ })).toContainText("13");
  await page.screenshot({ path: "test-results/upload-rejected.png", fullPage: true });
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Scarica gli errori (CSV)" }).click()]);
  const csv = Buffer.concat(await (await download.createReadStream())!.toArray()).toString("utf8");
  expect(csv).toContain("riga;campo;codice;messaggio");
  expect(csv).toContain("TRANSITION_NOT_ALLOWED");
  await signOut(page);
});

test("an official finds the practice and reads its timeline", async ({ page }) => {
  await signInAs(page, "Laura");
  await page.goto("/pratiche");
  await page.getByLabel("Ente gestore").selectOption({ label: "Confidi Demo Marche" });
  await page.getByLabel("Codice pratica, beneficiario o codice fiscale").fill("PR-0003");
  await page.getByRole("button", { name: "Cerca" }).click();
  await page.getByRole("link", { name: "PR-0003" }).click();
  await expect(page.getByTestId("practice-state")).toContainText("Deliberata dal 20/05/2020");
  await expect(page.getByTestId("timeline")).toContainText("Prima segnalazione");
});
