import { expect, test, type Page } from "@playwright/test";
import { seriousViolations, signInAs, signOut } from "./helpers";

/** Issue 14's worklist: pages with counts, bulk actions above the table, a confirmed take-over. */
test.describe.configure({ mode: "serial" });

const table = (page: Page) => page.getByRole("table", { name: /Da lavorare/ });

test("the worklist comes in pages with counts per category, bulk actions above the rows, no serious axe violation", async ({ page }) => {
  await signInAs(page, "Laura", "/lavorazione");
  await expect(page.getByRole("heading", { name: "Lavorazione", level: 1 })).toBeVisible();
  const counts = page.getByRole("navigation", { name: "Categorie" });
  await expect(counts.getByRole("link", { name: /^Tutte \d+$/ })).toHaveAttribute("aria-current", "page");
  const total = Number((await counts.getByRole("link", { name: /^Tutte/ }).textContent())!.replace(/\D/g, ""));
  expect(total).toBeGreaterThan(0);
  // Bulk actions come before the rows they act on.
  const bulk = page.getByRole("group", { name: "Azioni sulle pratiche selezionate" });
  const bulkBox = (await bulk.boundingBox())!;
  const tableBox = (await table(page).boundingBox())!;
  expect(bulkBox.y).toBeLessThan(tableBox.y);
  const rows = await table(page).locator("tbody tr").count();
  expect(rows).toBe(Math.min(total, 50));
  if (total > 50) {
    await expect(table(page).locator("caption")).toContainText(`pagina 1 di ${Math.ceil(total / 50)}`);
    await page.getByRole("navigation", { name: "Pagine della lavorazione" }).getByRole("link", { name: "Pagina successiva" }).click();
    await expect(table(page).locator("caption")).toContainText("pagina 2 di");
  }
  // A category's count is the number of its rows.
  const link = counts.getByRole("link", { name: /Oltre il tempo massimo/ });
  const n = Number((await link.getByTestId("count-oltre_limite").textContent())!);
  await link.click();
  await expect(table(page).locator("caption")).toContainText(`Da lavorare: ${n}`);
  await expect(page.getByTestId("worklist-freshness")).toContainText("Elenco calcolato alle");
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: "test-results/lavorazione-pagine.png", fullPage: false });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: "test-results/lavorazione-pagine-390.png", fullPage: false });
  await signOut(page);
});

test("taking over a practice a colleague holds asks first, naming who holds it — also without JavaScript", async ({ browser, page: signIn }) => {
  // Signed in with JavaScript (the test IdP posts its answer by script); the confirmation checked by axe there.
  await signInAs(signIn, "Laura", "/lavorazione?categoria=oltre_limite");
  const heldHere = table(signIn).getByRole("row", { name: /In carico: Paolo Rossi/ }).first();
  const heldCode = (await heldHere.getByRole("link").first().textContent())!.trim();
  await heldHere.getByRole("button", { name: `Prendi in carico la pratica ${heldCode}` }).click();
  await expect(signIn.getByTestId("take-over-confirm").getByRole("heading")).toBeFocused();
  expect(await seriousViolations(signIn)).toEqual([]);
  // Then the same session in a browser without JavaScript.
  const context = await browser.newContext({ javaScriptEnabled: false, storageState: await signIn.context().storageState() });
  const page = await context.newPage();
  await page.goto("/lavorazione?categoria=oltre_limite");
  // The demo's Paolo Rossi holds one over-limit practice.
  const held = table(page).getByRole("row", { name: /In carico: Paolo Rossi/ }).first();
  const code = (await held.getByRole("link").first().textContent())!.trim();
  await held.getByRole("button", { name: `Prendi in carico la pratica ${code}` }).click();
  const confirm = page.getByTestId("take-over-confirm");
  await expect(confirm.getByRole("heading")).toHaveText(`La pratica ${code} è in carico a Paolo Rossi`);
  await page.screenshot({ path: "test-results/lavorazione-conferma.png", fullPage: false });
  // Cancelling changes nothing.
  await confirm.getByRole("link", { name: "No, lasciala a Paolo Rossi" }).click();
  await expect(table(page).getByRole("row", { name: new RegExp(code) }).first()).toContainText("In carico: Paolo Rossi");
  // Confirming moves it.
  await table(page).getByRole("row", { name: new RegExp(code) }).first().getByRole("button", { name: `Prendi in carico la pratica ${code}` }).click();
  await page.getByRole("button", { name: `Sì, prendi in carico la pratica ${code}` }).click();
  await expect(page.getByRole("status")).toHaveText("Pratica presa in carico.");
  await expect(table(page).getByRole("row", { name: new RegExp(code) }).first()).toContainText("In carico: Laura Neri");
  await signOut(page);
  await context.close();
});
