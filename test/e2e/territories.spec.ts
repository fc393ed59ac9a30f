import { expect, test } from "@playwright/test";
import { openFromMenu, seriousViolations, signInAs, signOut } from "./helpers";

test.describe.configure({ mode: "serial" });

test("an ATS operator opens the dashboard on its ATS and cannot widen it by editing the URL", async ({ page }) => {
  await signInAs(page, "Sara");
  await openFromMenu(page, "Monitoraggio");
  await expect(page.getByTestId("territory")).toContainText("ATS Ancona (dimostrativo)");
  await expect(page.getByTestId("visibility")).toContainText("Dati del tuo territorio");
  await expect(page.getByLabel("Ambito territoriale sociale (ATS)")).toHaveValue("DEMO-ATS-042");
  // No Region or province to pick: the ATS is the widest view.
  await expect(page.getByLabel("Regione")).toHaveCount(0);
  await expect(page.getByTestId("table-stati").locator("tbody a")).toHaveCount(0);
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: "test-results/territories-ats-dashboard.png", fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: "test-results/territories-ats-dashboard-390.png", fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });

  // A municipality of the ATS is open; one of another ATS, or the whole Region, is not.
  await page.goto("/monitoraggio?comune=042002");
  await expect(page.getByRole("heading", { name: "Monitoraggio", level: 1 })).toBeVisible();
  for (const query of ["?ats=DEMO-ATS-041", "?region=11", "?comune=058091"]) {
    const response = await page.goto(`/monitoraggio${query}`);
    expect(response!.status(), query).toBe(403);
    await expect(page.getByText("Non hai i permessi")).toBeVisible();
  }
  const exported = await page.request.get("/monitoraggio/esporta?tabella=stati&formato=csv&region=11");
  expect(exported.status()).toBe(403);
  await page.goto("/monitoraggio");
  await signOut(page);
});

test("a regional referente sees its Region, and its ATS inside it", async ({ page }) => {
  await signInAs(page, "Elena");
  await openFromMenu(page, "Monitoraggio");
  await expect(page.getByTestId("territory")).toContainText("Regione Marche");
  await expect(page.getByLabel("Regione")).toHaveValue("11");
  await page.getByLabel("Ambito territoriale sociale (ATS)").selectOption({ label: "ATS Ancona (dimostrativo)" });
  await page.getByRole("button", { name: "Applica filtri" }).click();
  await expect(page).toHaveURL(/ats=DEMO-ATS-042/);
  await expect(page.getByTestId("table-stati")).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: "test-results/territories-region-dashboard.png", fullPage: true });
  expect((await page.goto("/monitoraggio?region=12"))!.status()).toBe(403);
  await page.goto("/monitoraggio");
  await signOut(page);
});
