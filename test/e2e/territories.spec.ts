import { expect, test, type Page } from "@playwright/test";
import { personalFiscalCodeCheckChar } from "../../app/lib/fiscal-code";
import { openFromMenu, seriousViolations, signInAs, signOut } from "./helpers";

/** A desktop and a 390 px screenshot of the page as it is. */
async function shots(page: Page, name: string) {
  await page.screenshot({ path: `test-results/${name}.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `test-results/${name}-390.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Nine regional users: surnames of three consonants and "Marta" (M R T), born 1 January 1980, women. */
const NINE = ["Barbieri", "Cortesi", "Donati", "Ferrari", "Galli", "Lombardi", "Marchetti", "Pagano", "Santoro"].map((surname) => {
  const first15 = `${surname.toUpperCase().replace(/[AEIOU]/g, "").slice(0, 3)}MRT80A41H501`;
  return { surname, name: "Marta", fiscalCode: first15 + personalFiscalCodeCheckChar(first15), email: `marta.${surname.toLowerCase()}@regione-marche.example.it` };
});

test.describe.configure({ mode: "serial" });

test("an ATS operator opens the dashboard on its ATS and cannot widen it by editing the URL", async ({ page }) => {
  await signInAs(page, "Sara");
  await openFromMenu(page, "Monitoraggio");
  await expect(page.getByTestId("territory")).toContainText("ATS Ancona (dimostrativo)");
  await expect(page.getByTestId("visibility")).toContainText("Dati del tuo territorio");
  await expect(page.getByLabel("Ambito territoriale sociale (ATS)")).toHaveValue("DEMO-ATS-042");
  // No Region or province to pick: the ATS is the widest view.
  await expect(page.getByLabel("Regione", { exact: true })).toHaveCount(0);
  await expect(page.getByTestId("table-stati").locator("tbody a")).toHaveCount(0);
  expect(await seriousViolations(page)).toEqual([]);
  await shots(page, "territories-ats-dashboard");

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

  // The anonymous practice rows of the ATS: pseudonyms, no beneficiary, the count of rows generalised and left out.
  const csv = await anonymousCsv(page);
  expect(csv).toContain("Pratica (pseudonimo);Misura;Comune (codice ISTAT);Comune;Provincia;ATS;Stato;Presentata nel;Nello stato dal;Importo richiesto");
  expect(csv).toMatch(/\nRighe generalizzate \(provincia e trimestre\): \d+\. Righe escluse \(meno di 5 pratiche anche così\): \d+\./);
  expect(csv).not.toMatch(/[A-Z]{6}\d{2}[A-Z]\d{2}[A-Z]\d{3}[A-Z]/);
  expect((await page.request.get("/monitoraggio/dati-anonimi?formato=csv&region=11")).status()).toBe(403);
  await signOut(page);
});

/** Downloads the anonymous rows from the dashboard's link, as the person signed in. */
async function anonymousCsv(page: Page) {
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "scarica in CSV", exact: true }).click()]);
  expect(download.suggestedFilename()).toMatch(/^monitoraggio-dati-anonimi-\d{4}-\d{2}-\d{2}\.csv$/);
  return Buffer.concat(await (await download.createReadStream())!.toArray()).toString("utf8");
}

test("a regional referente sees its Region, and its ATS inside it", async ({ page }) => {
  await signInAs(page, "Elena");
  await openFromMenu(page, "Monitoraggio");
  await expect(page.getByTestId("territory")).toContainText("Regione Marche");
  await expect(page.getByLabel("Regione", { exact: true })).toHaveValue("11");
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

test("the regional referente requests 8 regional users and is refused a ninth", async ({ page }) => {
  await signInAs(page, "Elena");
  await openFromMenu(page, "Abilitazioni");
  await expect(page.getByRole("heading", { level: 1, name: "Abilitazioni" })).toBeVisible();
  await expect(page.getByText("Le persone abilitate per Regione Marche")).toBeVisible();
  for (const [i, p] of NINE.entries()) {
    await page.getByLabel("Cognome").fill(p.surname);
    await page.getByLabel("Nome", { exact: true }).fill(p.name);
    await page.getByLabel("Codice fiscale").fill(p.fiscalCode);
    await page.getByLabel("E-mail").fill(p.email);
    await expect(page.getByLabel("Ruolo")).toHaveValue("operatore_territoriale");
    await page.getByRole("button", { name: "Invia richiesta" }).click();
    if (i < 8) {
      await expect(page.getByRole("status")).toContainText(`Richiesta inviata per Marta ${p.surname}`);
      continue;
    }
    await expect(page.getByRole("alert")).toContainText(
      "Quota superata: Regione Marche ha 8 utenti abilitati o in attesa su un massimo di 8; con questa richiesta sarebbero 9",
    );
    // Nothing written: the list of requests still holds eight, and the form keeps what was typed.
    await expect(page.getByRole("row", { name: /Santoro Marta/ })).toHaveCount(0);
    await expect(page.getByLabel("Cognome")).toHaveValue("Santoro");
  }
  await expect(page.getByRole("row", { name: /Marta/ })).toHaveCount(8);
  expect(await seriousViolations(page)).toEqual([]);
  await shots(page, "territories-quota-refused");
  await signOut(page);
});

test("the ATS administrator requests a user of a municipality of its ATS; the administrator sees the territory in the queue", async ({ page }) => {
  await signInAs(page, "Franco");
  await openFromMenu(page, "Abilitazioni");
  await page.getByLabel("Cognome").fill("Rinaldi");
  await page.getByLabel("Nome", { exact: true }).fill("Marta");
  const first15 = "RNLMRT80A41H501";
  await page.getByLabel("Codice fiscale").fill(first15 + personalFiscalCodeCheckChar(first15));
  await page.getByLabel("E-mail").fill("marta.rinaldi@comune.ancona.example.it");
  await page.getByLabel("Territorio").selectOption({ label: "Comune di Ancona" });
  await page.getByRole("button", { name: "Invia richiesta" }).click();
  await expect(page.getByRole("status")).toContainText("Richiesta inviata per Marta Rinaldi");
  await expect(page.getByRole("row", { name: /Rinaldi Marta/ })).toContainText("Comune di Ancona");
  expect(await seriousViolations(page)).toEqual([]);
  await shots(page, "territories-ats-request");
  await signOut(page);

  await signInAs(page, "Anna");
  await openFromMenu(page, "Richieste di abilitazione");
  await expect(page.getByRole("row", { name: /Rinaldi Marta/ })).toContainText("Comune di Ancona");
  await signOut(page);
});

test("an administrator imports the ATS list (refused with line numbers first) and reads the visibility sheet", async ({ page }) => {
  await signInAs(page, "Anna");
  await page.goto("/admin/configurazione");
  await page.getByRole("link", { name: "Territori" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Territori" })).toBeVisible();
  await expect(page.getByText("È in uso una mappatura dimostrativa")).toBeVisible();
  await page.getByLabel("Oppure incolla l'elenco").fill("042002;ATS-11-01;ATS 11 Ancona;11;01/01/2020\n999999;ATS-11-01;ATS 11 Ancona;11;01/01/2020");
  await page.getByRole("button", { name: "Controlla e carica" }).click();
  await expect(page.getByRole("alert")).toContainText("Elenco non caricato: nessuna riga è stata registrata.");
  await expect(page.getByRole("alert")).toContainText("Riga 2: comune 999999 non presente nell'elenco ISTAT");
  await expect(page.getByText("È in uso una mappatura dimostrativa")).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await shots(page, "territories-admin-import");

  await page.goto("/admin/configurazione");
  await page.getByRole("link", { name: "Scheda di visibilità" }).click();
  const atsAmounts = page.getByLabel("Utenti di ATS (amministratore e operatori di un ambito): Importi");
  await expect(page.getByLabel("Utenti di ATS (amministratore e operatori di un ambito): Dati delle pratiche")).toHaveValue("territorio_anonima");
  await expect(page.getByLabel("Utenti di ATS (amministratore e operatori di un ambito): Identità dei beneficiari")).toHaveValue("nessuna");
  await expect(atsAmounts).toHaveValue("territorio_anonima");
  expect(await seriousViolations(page)).toEqual([]);
  await shots(page, "territories-visibility-sheet");

  // A combination that makes no sense is refused with its reason, nothing saved, the form as sent.
  await page.getByLabel("Osservatori: Identità dei beneficiari").selectOption({ label: "Totale" });
  await page.getByRole("button", { name: "Salva la scheda" }).click();
  await expect(page.getByRole("alert")).toContainText("Scheda non salvata: nessuna modifica è stata registrata.");
  await expect(page.getByRole("alert")).toContainText("Osservatori: «Totale» non è possibile per l'identità dei beneficiari: la visibilità totale è riservata agli uffici regionali.");
  await expect(page.getByLabel("Osservatori: Identità dei beneficiari")).toHaveValue("totale");
  expect(await seriousViolations(page)).toEqual([]);
  await shots(page, "territories-visibility-sheet-refused");
  await page.goto("/admin/visibilita");
  await expect(page.getByLabel("Osservatori: Identità dei beneficiari")).toHaveValue("nessuna");

  // The ATS users keep their anonymous rows, without the amounts.
  await atsAmounts.selectOption({ label: "Aggregata" });
  await page.getByRole("button", { name: "Salva la scheda" }).click();
  await expect(page.getByRole("status")).toContainText("Scheda salvata: Utenti di ATS, importi: aggregata.");
  await expect(atsAmounts).toHaveValue("aggregata");
  await page.reload();
  await expect(atsAmounts).toHaveValue("aggregata");
  await signOut(page);
});

test("after the change, the ATS operator's anonymous rows carry no amounts; the sheet is put back", async ({ page }) => {
  await signInAs(page, "Sara");
  await openFromMenu(page, "Monitoraggio");
  const csv = await anonymousCsv(page);
  expect(csv).toContain("Pratica (pseudonimo);Misura;Comune (codice ISTAT);Comune;Provincia;ATS;Stato;Presentata nel;Nello stato dal;Mese:");
  expect(csv).not.toContain("Importo");
  await signOut(page);

  await signInAs(page, "Anna");
  await page.goto("/admin/visibilita");
  await page.getByLabel("Utenti di ATS (amministratore e operatori di un ambito): Importi").selectOption({ label: "Individuale anonima nel proprio territorio" });
  await page.getByRole("button", { name: "Salva la scheda" }).click();
  await expect(page.getByRole("status")).toContainText("Scheda salvata");
  await signOut(page);
});
