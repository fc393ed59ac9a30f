import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { desktopAndPhoneShots, openFromMenu, seriousViolations, signInAs } from "./helpers";

/**
 * Issue 15, the officials' side completed (ADRs 112–114): Sofia writes to the office on her
 * application under integration with a PDF attached (a wrong type refused first); Laura finds it
 * in /lavorazione, takes it in charge from there, sees the conversation on /messaggi among the
 * gestori threads, opens the application (handling box), downloads the attachment and answers
 * with an image; Sofia downloads it; Laura releases the application. It sorts after
 * online-applications-offices.spec.ts and leaves the application released, as it found it.
 */
const year = new Date().getFullYear();
const number = `DOM-${year}-000002`;
const PDF = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");

/** No serious axe violation, then (E2E_SHOTS) the desktop and 390 px screenshots of the house helper. */
async function shots(page: Page, name: string) {
  expect(await seriousViolations(page)).toEqual([]);
  await desktopAndPhoneShots(page, name);
}

test("an application is taken in charge from the worklist, its thread is on /messaggi, attachments travel both ways", async ({ browser }) => {
  test.setTimeout(180_000);
  const sofia = await (await browser.newContext()).newPage();
  await sofia.setViewportSize({ width: 1280, height: 800 });
  await signInAs(sofia, "Sofia");
  await sofia.getByRole("link", { name: `Apri la domanda ${number}` }).click();
  await sofia.getByLabel("Scrivi all'ufficio").fill("Allego la visura aggiornata.");
  await sofia.getByLabel("Allegato (facoltativo)").setInputFiles({ name: "programma.exe", mimeType: "application/octet-stream", buffer: Buffer.from("MZ") });
  await sofia.getByRole("button", { name: "Invia il messaggio" }).click();
  await expect(sofia.getByRole("alert")).toHaveText("Allegato: tipo di file non ammesso (PDF, JPEG, PNG): il messaggio non è stato inviato.");
  await expect(sofia.getByText("Allego la visura aggiornata.")).toHaveCount(0);
  await sofia.getByLabel("Scrivi all'ufficio").fill("Allego la visura aggiornata.");
  await sofia.getByLabel("Allegato (facoltativo)").setInputFiles({ name: "visura-aggiornata.pdf", mimeType: "application/pdf", buffer: PDF });
  await sofia.getByRole("button", { name: "Invia il messaggio" }).click();
  await expect(sofia.getByRole("status").first()).toHaveText("Messaggio inviato con l'allegato.");
  await expect(sofia.getByTestId("messages").getByRole("link", { name: "visura-aggiornata.pdf" })).toBeVisible();

  const laura = await (await browser.newContext()).newPage();
  await laura.setViewportSize({ width: 1280, height: 800 });
  await signInAs(laura, "Laura");
  await openFromMenu(laura, "Lavorazione");
  await laura.getByRole("navigation", { name: "Categorie" }).getByRole("link", { name: /Domande online da lavorare/ }).click();
  const row = laura.getByRole("row").filter({ has: laura.getByRole("link", { name: number }) });
  await expect(row).toContainText("del richiedente da leggere");
  await expect(row).toContainText("Da prendere in carico");
  await row.getByRole("button", { name: `Prendi in carico la domanda ${number}` }).click();
  await expect(laura.getByRole("status").first()).toHaveText("Domanda presa in carico.");
  await expect(row).toContainText("In carico: Laura Neri");
  await expect(row.getByRole("button", { name: `Prendi in carico la domanda ${number}` })).toHaveCount(0);
  await shots(laura, "lavorazione-domanda-in-carico");

  await openFromMenu(laura, "Messaggi");
  const thread = laura.getByRole("row").filter({ hasText: number });
  await expect(thread).toContainText("Domanda online");
  await expect(thread).toContainText("Sofia (richiedente)");
  await expect(thread).toContainText(/\d+ nuov[oi]/);
  await shots(laura, "messaggi-con-domande");
  await thread.getByRole("link", { name: `Domanda ${number}` }).click();
  await expect(laura.getByRole("heading", { level: 1 })).toHaveText(`Domanda ${number}`);
  await expect(laura.getByTestId("handling")).toHaveText("In carico: Laura Neri");
  const [pdf] = await Promise.all([laura.waitForEvent("download"), laura.getByTestId("messages").getByRole("link", { name: "visura-aggiornata.pdf" }).click()]);
  expect(fs.readFileSync((await pdf.path())!).equals(PDF)).toBe(true);
  await laura.getByLabel("Scrivi al richiedente").fill("Ricevuta, grazie. Le allego lo schema del DURC.");
  await laura.getByLabel("Allegato (facoltativo)").setInputFiles({ name: "schema-durc.png", mimeType: "image/png", buffer: PNG });
  await laura.getByRole("button", { name: "Invia il messaggio" }).click();
  await expect(laura.getByRole("status").first()).toHaveText("Messaggio inviato con l'allegato.");
  await expect(laura.getByTestId("messages").getByRole("link", { name: "schema-durc.png" })).toBeVisible();
  await shots(laura, "domanda-ufficio-in-carico");

  await sofia.reload();
  await expect(sofia.getByTestId("messages")).toContainText("Ricevuta, grazie.");
  const [png] = await Promise.all([sofia.waitForEvent("download"), sofia.getByTestId("messages").getByRole("link", { name: "schema-durc.png" }).click()]);
  expect(fs.readFileSync((await png.path())!).equals(PNG)).toBe(true);
  await shots(sofia, "domanda-messaggi-allegati");

  await laura.getByRole("button", { name: "Rilascia" }).click();
  await expect(laura.getByRole("status").first()).toHaveText("Domanda rilasciata.");
  await expect(laura.getByTestId("handling")).toHaveText("Da prendere in carico");
});
