import { expect, test } from "@playwright/test";
import { openFromMenu, seriousViolations, signInAs, signOut } from "./helpers";

test.describe.configure({ mode: "serial" });

test("an official filters the dashboard, follows a number to its practices and downloads an export", async ({ page }) => {
  await signInAs(page, "Laura");
  await openFromMenu(page, "Monitoraggio");
  await expect(page.getByRole("heading", { name: "Monitoraggio", level: 1 })).toBeVisible();
  await expect(page.getByTestId("visibility")).toContainText("Visibilità totale");

  await page.getByLabel("Misura").selectOption("COVID-LIQ");
  await page.getByLabel("Ente gestore").selectOption({ label: "Fidi Adriatico soc. coop." });
  await page.getByLabel("Regione").selectOption({ label: "Marche" });
  // Provinces follow the region at once: only the Marche's five are offered.
  await expect(page.getByLabel("Provincia").locator("option")).toHaveCount(6);
  await page.getByRole("button", { name: "Applica filtri" }).click();
  await expect(page).toHaveURL(/region=11/);
  await expect(page).toHaveURL(/measure=COVID-LIQ/);
  await expect(page).toHaveURL(/gestore=02345678904/);
  await expect(page.getByTestId("chart-stati")).toBeVisible();
  await page.screenshot({ path: "test-results/monitoring-official.png", fullPage: true });

  // The count of practices "in istruttoria" leads to exactly those practices.
  const row = page.getByTestId("table-stati").getByRole("row", { name: /^In istruttoria/ });
  const link = row.getByRole("link").first();
  const shown = Number((await link.innerText()).replace(/\./g, ""));
  expect(shown).toBeGreaterThan(0);
  await link.click();
  await expect(page).toHaveURL(/\/pratiche\?.*state=IN_ISTRUTTORIA/);
  // The URL can change before the list has replaced the dashboard: wait for the list's own filters.
  await expect(page.getByTestId("extra-filters")).toContainText("Regione (codice ISTAT): 11");
  await expect(page.getByRole("table").locator("caption")).toContainText(`${shown.toLocaleString("it-IT")} pratiche`);
  await page.goBack();

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Scarica «Pratiche per stato e importi» in CSV" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^monitoraggio-stati-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = Buffer.concat(await (await download.createReadStream())!.toArray()).toString("utf8");
  expect(csv).toContain("Stato;Pratiche;Importo richiesto;Importo deliberato;Importo erogato");
  expect(csv).toContain(`In istruttoria;${shown};`);

  const [xlsx] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Scarica «Passaggi di stato (da × a)» in XLSX" }).click(),
  ]);
  expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
  const bytes = Buffer.concat(await (await xlsx.createReadStream())!.toArray());
  expect(bytes.subarray(0, 2).toString()).toBe("PK");
  await signOut(page);
});

test("an osservatore sees aggregates only, with no way to individual practices", async ({ page }) => {
  await signInAs(page, "Chiara");
  const nav = page.getByRole("navigation", { name: "Navigazione principale" });
  await expect(nav.getByRole("link", { name: "Pratiche", includeHidden: true })).toHaveCount(0);
  await openFromMenu(page, "Monitoraggio");
  await expect(page.getByTestId("visibility")).toContainText("Solo dati aggregati");
  await expect(page.getByTestId("table-stati").locator("tbody a")).toHaveCount(0);
  await page.screenshot({ path: "test-results/monitoring-osservatore.png", fullPage: true });
  await page.goto("/pratiche");
  await expect(page.getByText("Non hai i permessi")).toBeVisible();
});

test("the osservatore's totals show no figure from fewer than 5 practices", async ({ page }) => {
  // A view with 5 or more practices of which 1 to 4 are approved, found among the demo's
  // municipalities and ten-day periods through the official's CSV (deterministic demo data).
  await signInAs(page, "Laura");
  const rowsOf = (csv: string) => new Map(csv.replace(/^\uFEFF/, "").split("\r\n").filter(Boolean).map((l) => [l.split(";")[0]!, l.split(";").slice(1)]));
  let view: string | null = null;
  search: for (const comune of ["042002", "042010", "041044", "043023"]) {
    for (const month of ["01", "02", "03", "04"]) {
      const query = `gestore=02345678904&comune=${comune}&from=2026-${month}-01&to=2026-${month}-10`;
      const rows = rowsOf(await (await page.request.get(`/monitoraggio/esporta?tabella=stati&formato=csv&${query}`)).text());
      const count = (state: string) => Number(rows.get(state)?.[0] ?? 0);
      const approvedStates = count("Deliberata") + count("Erogata") + count("Revocata");
      if (count("Totale") >= 5 && approvedStates >= 1 && approvedStates <= 4) {
        view = query;
        break search;
      }
    }
  }
  expect(view, "a view with 1 to 4 approved practices among 5 or more").not.toBeNull();
  await signOut(page);

  await signInAs(page, "Chiara");
  await page.goto(`/monitoraggio?${view}`);
  await expect(page.getByTestId("visibility")).toContainText("Solo dati aggregati");
  const figures = page.getByTestId("key-figures");
  await expect(figures.locator("div", { hasText: "Deliberato (€)" }).locator("dd")).toHaveText("< 5");
  await expect(figures.locator("div", { hasText: "Tasso di approvazione" }).locator("dd")).toHaveText("< 5");
  const total = page.getByTestId("table-stati").getByRole("row", { name: /^Totale/ });
  await expect(total.getByRole("cell").nth(2)).toHaveText("< 5");
  // The counts shown leave out either nothing or 5 or more practices: no withheld count can be recomputed.
  const cells = await page.getByTestId("table-stati").locator("tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("th, td")].map((c) => c.textContent!.trim())));
  const all = Number(cells.find((r) => r[0] === "Totale")![1]);
  const shown = cells.filter((r) => r[0] !== "Totale" && /^\d+$/.test(r[1]!)).reduce((s, r) => s + Number(r[1]), 0);
  expect(all - shown === 0 || all - shown >= 5, `${all} - ${shown}`).toBe(true);
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Scarica «Pratiche per stato e importi» in CSV" }).click()]);
  const csv = Buffer.concat(await (await download.createReadStream())!.toArray()).toString("utf8");
  expect(rowsOf(csv).get("Totale")![2]).toBe("< 5");
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: "test-results/monitoring-osservatore-small-cells.png", fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: "test-results/monitoring-osservatore-small-cells-390.png", fullPage: true });
  await signOut(page);
});

test("an official reads the process map, follows a box to its practices, on desktop and on a phone", async ({ page }) => {
  await signInAs(page, "Laura");
  await page.goto("/monitoraggio?measure=COVID-LIQ");
  await page.getByRole("link", { name: "Vedi la mappa del processo" }).click();
  await expect(page).toHaveURL(/\/monitoraggio\/processo\?measure=COVID-LIQ/);
  await expect(page.getByRole("heading", { name: "Mappa del processo", level: 1 })).toBeVisible();
  await expect(page.getByTestId("top-path")).toContainText("→");
  const map = page.getByTestId("process-map");
  await expect(map).toBeVisible();
  // Labels are never drawn below 12 px, whatever the width.
  const smallest = async () =>
    map.evaluate((svg) => Math.min(...[...svg.querySelectorAll("text")].map((t) => t.getBoundingClientRect().height).filter((h) => h > 0)));
  expect(await smallest()).toBeGreaterThanOrEqual(12);
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: "test-results/process-map-desktop.png", fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await smallest()).toBeGreaterThanOrEqual(12);
  await page.screenshot({ path: "test-results/process-map-phone.png", fullPage: true });
  await page.setViewportSize({ width: 1280, height: 720 });

  const box = page.getByRole("link", { name: /^In istruttoria .* passate da questo stato: apri l'elenco/ });
  const count = Number((await box.getAttribute("aria-label"))!.match(/^In istruttoria ([\d.]+) pratich/)![1]!.replace(/\./g, ""));
  expect(count).toBeGreaterThan(0);
  await box.click();
  await expect(page).toHaveURL(/\/pratiche\?.*event=IN_ISTRUTTORIA/);
  // Large lists show an estimated total ("circa", ADR 36); the exact equality is checked on
  // small data in test/integration/monitoring-process-map.test.ts.
  await expect(page.getByRole("table").locator("caption")).toContainText("pratiche");
});

test("the dashboard's charts keep their labels readable on a phone and pass axe", async ({ page }) => {
  await signInAs(page, "Laura");
  await page.goto("/monitoraggio");
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    for (const id of ["stati", "flusso", "tempi"]) {
      const sizes = await page.getByTestId(`chart-${id}`).evaluate((svg) => [...svg.querySelectorAll("text")].map((t) => t.getBoundingClientRect().height).filter((h) => h > 0));
      expect(Math.min(...sizes), `${id} at ${width}px`).toBeGreaterThanOrEqual(12);
    }
    await page.screenshot({ path: `test-results/monitoring-charts-${width}.png`, fullPage: true });
  }
  expect(await seriousViolations(page)).toEqual([]);
});

test("contradicting filters get a message; without JavaScript the server narrows the provinces", async ({ browser }) => {
  const withScript = await browser.newPage();
  await signInAs(withScript, "Laura");
  const context = await browser.newContext({ javaScriptEnabled: false, storageState: await withScript.context().storageState() });
  const page = await context.newPage();
  await page.goto("/monitoraggio?region=11&province=058&from=2026-06-30&to=2026-01-01");
  const problems = page.getByTestId("filter-problems");
  await expect(problems).toContainText("La provincia di Roma (RM) non è nella regione Marche");
  await expect(problems).toContainText("la data «dal» (30/06/2026) è successiva alla data «al» (01/01/2026)");
  await expect(page.getByLabel("Provincia").locator("option")).toHaveCount(6);
  // Every export link asks only for what the page shows, so none of them fails.
  for (const href of await page.locator('a[href^="/monitoraggio/esporta"]').evaluateAll((as) => as.map((a) => a.getAttribute("href")!))) {
    expect(href).not.toContain("province=");
    expect(href).not.toContain("from=");
    expect((await page.request.get(href)).status()).toBe(200);
  }
  await context.close();
});
