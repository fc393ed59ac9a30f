import { expect, test } from "@playwright/test";
import { openFromMenu, seriousViolations, signInAs } from "./helpers";

/** The activity report (issue 17): a dirigente reads it and follows a number to its items. */
const SHOTS = process.env.E2E_SHOTS;

test("a dirigente reads the activity report and follows a number to its items", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signInAs(page, "Paolo");
  // Something to count: Paolo takes a practice from the worklist's first page.
  await page.goto("/pratiche");
  const href = await page.locator("main table a[href^='/pratiche/']").first().getAttribute("href");
  await page.goto(`${href}?scheda=fascicolo`);
  const take = page.getByRole("button", { name: "Prendi in carico" });
  if (await take.isVisible()) {
    await take.click();
    await expect(page.getByRole("button", { name: "Prendi in carico" })).toHaveCount(0);
  }
  await openFromMenu(page, "Attività");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Attività");
  expect(await seriousViolations(page)).toEqual([]);
  if (SHOTS) {
    await page.screenshot({ path: `${SHOTS}/attivita-desktop.png`, fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(1);
    await page.screenshot({ path: `${SHOTS}/attivita-390.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
  }
  const row = page.getByTestId("table-funzionari").getByRole("row", { name: /Rossi Paolo/ });
  const taken = row.getByRole("link").first();
  const count = Number(await taken.textContent());
  expect(count).toBeGreaterThan(0);
  await taken.click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Pratiche prese in carico — Paolo Rossi");
  await expect(page.getByTestId("activity-items").locator("tbody tr")).toHaveCount(count);
  expect(await seriousViolations(page)).toEqual([]);
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/attivita-elenco-desktop.png`, fullPage: true });
  await page.getByRole("link", { name: "Torna al rapporto" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Attività");
});
