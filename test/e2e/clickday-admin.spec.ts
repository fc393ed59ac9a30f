import { expect, test } from "@playwright/test";
import { desktopAndPhoneShots, openFromMenu, seriousViolations, signInAs } from "./helpers";

/** Issue 16: an administrator announces a click day; a bad quota is refused beside its field. */
test("Anna creates a click day to the second; a bad quota is refused and nothing is created", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signInAs(page, "Anna");
  await openFromMenu(page, "Configurazione");
  await page.getByRole("main").getByRole("link", { name: "Click day", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Click day");
  expect(await seriousViolations(page)).toEqual([]);
  const year = new Date().getFullYear() + 1;
  await page.getByLabel("Procedimento").selectOption({ label: "Contributo per nuove assunzioni 2026" });
  await page.getByLabel("Nome").fill("Finestra di prova e2e");
  await page.getByLabel("Apertura (ora italiana, al secondo)").fill(`${year}-03-02T09:00:05`);
  await page.getByLabel("Quota (domande in graduatoria utile)").fill("0");
  await page.getByRole("button", { name: "Crea il click day" }).click();
  await expect(page.getByTestId("error-quota")).toHaveText("Quota: almeno 1");
  await expect(page.getByRole("cell", { name: "Finestra di prova e2e" })).toHaveCount(0);
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByLabel("Quota (domande in graduatoria utile)").fill("120");
  await page.getByRole("button", { name: "Crea il click day" }).click();
  await expect(page.getByRole("status")).toHaveText("Click day creato.");
  const row = page.getByRole("row", { name: /Finestra di prova e2e/ });
  await expect(row).toContainText(`02/03/${year}, 09:00:05`);
  await expect(row).toContainText("120");
  await desktopAndPhoneShots(page, "admin-click-day");
  await row.getByRole("link", { name: "Finestra di prova e2e" }).click();
  await expect(page.getByLabel("Apertura (ora italiana, al secondo)")).toHaveValue(`${year}-03-02T09:00:05`);
  expect(await seriousViolations(page)).toEqual([]);
  await desktopAndPhoneShots(page, "admin-click-day-modifica");
});
