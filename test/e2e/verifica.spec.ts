import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { seriousViolations, signInAs, signOut, desktopAndPhoneShots } from "./helpers";

/**
 * Issue 18: "Verifica senza inviare" on the upload page and the validator on the gestore's PC
 * (in the browser and as the downloaded script) give the same errors; nothing is sent.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gp-e2e-verifica-"));

// Codes and a submission id no other spec uses, a reference date in the past: only rules the PC
// can check are hit (a bad fiscal code, an impossible date, an amount with a dot, a repeated code).
const FILE = [
  "T|1|01234567897|01/11/2026|E2E-VERIFICA-1",
  "D|E2E-V-0001|COVID-LIQ|02342520158|Alfa S.r.l.|042002|02/04/2026|PRESENTATA|02/04/2026|25000|||",
  "D|E2E-V-0002|COVID-LIQ|RSSMRA80A01H501X|Rossi Mario|041044|31/02/2026|PRESENTATA|03/04/2026|15000|||",
  "D|E2E-V-0003|COVID-LIQ|VRDGPP75M12A271M|Verdi Giuseppe|109006|08/04/2026|PRESENTATA|08/04/2026|1.000,00|||",
  "D|E2E-V-0001|COVID-LIQ|02342520158|Alfa S.r.l.|042002|02/04/2026|PRESENTATA|02/04/2026|25000|||",
  "C|4|66000",
  "",
].join("\n");
const file = path.join(dir, "flusso-da-verificare.txt");
fs.writeFileSync(file, FILE);

async function errorRows(page: Page, caption: string) {
  const table = page.locator("table", { has: page.locator("caption", { hasText: caption }) });
  await expect(table).toBeVisible();
  return table.locator("tbody tr").evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent).join(" | ")));
}

const shots = desktopAndPhoneShots;

test.describe.configure({ mode: "serial" });

test("the upload page's dry run, the in-browser check and the downloaded script agree", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signInAs(page, "Giulia");
  await page.goto("/caricamenti");
  const uploadsBefore = await page.locator("main table tbody tr").count();

  await page.goto("/caricamenti/nuovo");
  await page.locator("#file").setInputFiles(file);
  await page.getByRole("button", { name: "Verifica senza inviare" }).click();
  await expect(page.getByTestId("dry-run")).toContainText("Il file sarebbe rifiutato: 4 errori. Nulla è stato inviato.");
  await expect(page.getByTestId("dry-run")).toBeFocused();
  const server = await errorRows(page, "Errori trovati dalla verifica");
  expect(server).toHaveLength(4);
  expect(await seriousViolations(page)).toEqual([]);
  await shots(page, "verifica-senza-inviare");

  // Nothing was sent: the uploads list is as before.
  await page.goto("/caricamenti");
  expect(await page.locator("main table tbody tr").count()).toBe(uploadsBefore);

  await page.goto("/istruzioni/verifica-file");
  await page.locator("#check-file").setInputFiles(file);
  await page.getByRole("button", { name: "Verifica il file" }).click();
  await expect(page.getByTestId("check-result")).toContainText("Il file sarebbe rifiutato: 4 errori.");
  expect(await errorRows(page, "Errori trovati")).toEqual(server);
  expect(await seriousViolations(page)).toEqual([]);
  await shots(page, "verifica-file");

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Scarica verifica-flusso.mjs" }).click()]);
  const script = path.join(dir, "verifica-flusso.mjs");
  await download.saveAs(script);
  let out = "";
  let code = 0;
  try {
    out = execFileSync(process.execPath, [script, "--json", file], { encoding: "utf8" });
  } catch (e) {
    out = (e as { stdout: string }).stdout;
    code = (e as { status: number }).status;
  }
  expect(code).toBe(1);
  const answer = JSON.parse(out) as { errors: { line: number; field: string | null; code: string; message: string }[] };
  expect(answer.errors.map((e) => [e.line, e.field ?? "—", e.code, e.message].join(" | "))).toEqual(server);
  await signOut(page);
});

test("the page works for anyone, signed in or not; without a gestore the header's is not compared", async ({ page }) => {
  await page.goto("/istruzioni");
  await page.getByRole("link", { name: "Verifica il file sul tuo computer" }).click();
  await expect(page).toHaveURL(/\/istruzioni\/verifica-file$/);
  await expect(page.getByText("misure aperte")).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});
