import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { openFromMenu, seriousViolations, signInAs } from "./helpers";

// The platform's own embedded database (playwright.config.ts), to leave an upload stuck as a dead
// worker would: processing for 40 minutes, its file read half way.
const db = () => postgres(`postgres://postgres:postgres@127.0.0.1:${Number(process.env.E2E_PG_PORT ?? 54398)}/gestpratiche`, { max: 1, onnotice: () => {} });

test("an administrator finds a stuck upload on the watchdog page and marks it failed; the gestore sees the support reference", async ({ page }) => {
  const sql = db();
  const [stuck] = await sql<{ id: string }[]>`
    insert into uploads (gestore_id, channel, file_name, size_bytes, sha256, received_at, started_at, phase, lines_read, attempts)
    select id, 'api', 'bloccato.txt', 2048, repeat('0', 64), now() - interval '40 minutes', now() - interval '39 minutes', 'reading', 12000, 1
    from gestori where fiscal_code = '02345678904' returning id`;
  await sql.end();

  await signInAs(page, "Anna");
  await openFromMenu(page, "Caricamenti bloccati");
  await expect(page.getByRole("heading", { name: "Caricamenti bloccati" })).toBeVisible();
  const row = page.getByTestId("overdue-table").getByRole("row", { name: /bloccato\.txt/ });
  await expect(row).toContainText("Fidi Adriatico");
  await expect(row).toContainText("lettura del file, 12.000 righe lette");
  await expect(row).toContainText(/4\d min/);
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: "test-results/watchdog-desktop.png", fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: "test-results/watchdog-phone.png", fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });

  await row.getByRole("button", { name: /Segna come non riuscito/ }).click();
  await expect(page.getByRole("status")).toContainText(/Caricamento segnato come non riuscito \(codice E-[0-9A-F]{8}\)/);
  const reference = /E-[0-9A-F]{8}/.exec((await page.getByRole("status").textContent())!)![0];
  await expect(page.getByTestId("overdue-table")).toHaveCount(0);
  await expect(page.getByTestId("failed-table").getByRole("row", { name: new RegExp(reference) })).toContainText("segnato come non riuscito da un amministratore");

  await page.goto(`/caricamenti/${stuck!.id}`);
  await expect(page.getByTestId("upload-status")).toContainText("Errore interno");
  await expect(page.getByTestId("support-reference")).toHaveText(reference);
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: "test-results/upload-failed.png", fullPage: true });

  await page.goto("/admin/audit");
  await expect(page.getByText("upload.fail").first()).toBeVisible();
});
