import { expect, test } from "@playwright/test";
import { seriousViolations, signInAs } from "./helpers";
import { cades, makeSigner, tamper } from "../support/signatures";

/** Signed documents (issue 17): an official uploads a .p7m and sees the signer; a tampered one is flagged. */
const SHOTS = process.env.E2E_SHOTS;
const original = Buffer.from("%PDF-1.4\n% Verbale di sopralluogo\n%%EOF\n");

test("an official uploads a .p7m and sees the signer; a tampered one is flagged", async ({ page }) => {
  const signer = await makeSigner({ fiscalCode: "RSSMRA80A01H501U", name: "Mario Rossi" });
  const p7m = await cades(signer, original);
  await page.setViewportSize({ width: 1280, height: 800 });
  await signInAs(page, "Laura");
  await page.goto("/pratiche");
  const href = await page.locator("main table a[href^='/pratiche/']").first().getAttribute("href");
  await page.goto(`${href}?scheda=fascicolo`);
  const upload = async (name: string, bytes: Buffer) => {
    await page.getByLabel("File (al massimo 10 MB)").setInputFiles({ name, mimeType: "application/pkcs7-mime", buffer: bytes });
    await page.locator("#doc-type").selectOption("verbale");
    await page.getByRole("button", { name: "Carica" }).click();
    await expect(page.getByTestId("dossier-documents")).toContainText(name);
  };
  await upload("verbale.pdf.p7m", p7m);
  const good = page.getByTestId("dossier-documents").getByRole("row", { name: /verbale\.pdf\.p7m/ });
  await expect(good.getByTestId("signature")).toContainText("Firma integra; certificato non verificato con l'elenco di fiducia");
  await expect(good.getByTestId("signature")).toContainText("Firmato da Mario Rossi (codice fiscale RSSMRA80A01H501U)");
  const download = page.waitForEvent("download");
  await good.getByRole("link", { name: "Scarica il documento firmato nel formato originale" }).click();
  expect((await download).suggestedFilename()).toBe("verbale.pdf");
  await upload("alterato.pdf.p7m", tamper(p7m, original));
  const bad = page.getByTestId("dossier-documents").getByRole("row", { name: /alterato\.pdf\.p7m/ });
  await expect(bad.getByTestId("signature")).toContainText("Firma non valida: il documento o la firma sono stati alterati.");
  expect(await seriousViolations(page)).toEqual([]);
  if (SHOTS) {
    await page.screenshot({ path: `${SHOTS}/firme-desktop.png`, fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: `${SHOTS}/firme-390.png`, fullPage: true });
  }
});
