import { expect, test } from "@playwright/test";
import { signInAs, signOut } from "./helpers";

test.describe.configure({ mode: "serial" });

test("the measure page edits the upload obligation; holidays and the org unit quota have their pages", async ({ page }) => {
  await signInAs(page, "Anna");
  await page.goto("/admin/misure");
  await page.getByRole("link", { name: "COVID-LIQ", exact: true }).click();
  // The demo obligation (monthly, by the 15th) is shown and edited with the timeliness rules.
  await expect(page.getByLabel("Cadenza dell'obbligo (obbligatorio)")).toHaveValue("monthly");
  await expect(page.getByLabel("Giorno del mese successivo o numero di giorni")).toHaveValue("15");
  await page.getByLabel("Giorno del mese successivo o numero di giorni").fill("40");
  await page.getByRole("button", { name: "Salva" }).click();
  await expect(page.getByTestId("error-day")).toHaveText("per la cadenza mensile indicare un giorno da 1 a 31");
  await page.getByLabel("Giorno del mese successivo o numero di giorni").fill("20");
  await page.getByLabel("Giorni massimi in sospensione").fill("120");
  await page.getByRole("button", { name: "Salva" }).click();
  await expect(page.getByRole("status")).toHaveText("Misura salvata.");
  await expect(page.getByLabel("Giorno del mese successivo o numero di giorni")).toHaveValue("20");
  await expect(page.getByLabel("Giorni massimi in sospensione")).toHaveValue("120");

  // Extra holidays: from the configuration hub, add (refused first), list, remove.
  await page.goto("/admin/configurazione");
  await page.getByRole("link", { name: "Festività locali" }).click();
  await expect(page.getByRole("cell", { name: "San Ciriaco, patrono di Ancona", exact: true })).toBeVisible();
  await page.getByLabel("Data (obbligatorio)").fill("06-31");
  await page.getByLabel("Nome della festività (obbligatorio)").fill("San Giovanni");
  await page.getByRole("button", { name: "Aggiungi" }).click();
  await expect(page.getByTestId("error-date")).toHaveText("data inesistente");
  await page.getByLabel("Data (obbligatorio)").fill("06-24");
  await page.getByRole("button", { name: "Aggiungi" }).click();
  await expect(page.getByRole("status")).toHaveText("Festività «San Giovanni» registrata.");
  await expect(page.getByRole("row", { name: /San Giovanni 24 giugno Ogni anno/ })).toBeVisible();
  await page.getByRole("button", { name: "Rimuovi San Giovanni (24 giugno)" }).click();
  await expect(page.getByRole("status")).toHaveText("Festività «San Giovanni» rimossa.");
  await expect(page.getByRole("cell", { name: "San Giovanni", exact: true })).toHaveCount(0);

  // The org unit's quota of enabled users.
  await page.goto("/admin/strutture");
  await page.getByRole("link", { name: "Settore Credito e finanza d'impresa" }).first().click();
  await expect(page.getByLabel("Numero massimo di utenti abilitati (obbligatorio)")).toHaveValue("8");
  await page.getByLabel("Numero massimo di utenti abilitati (obbligatorio)").fill("0");
  await page.getByRole("button", { name: "Salva la struttura" }).click();
  await expect(page.getByTestId("error-userQuota")).toHaveText("Numero massimo di utenti abilitati: almeno 1");
  await page.getByLabel("Numero massimo di utenti abilitati (obbligatorio)").fill("10");
  await page.getByRole("button", { name: "Salva la struttura" }).click();
  await expect(page.getByRole("status")).toHaveText("Struttura salvata.");
  await expect(page.getByLabel("Numero massimo di utenti abilitati (obbligatorio)")).toHaveValue("10");
});

test("a deactivated gestore's operator signs in but cannot upload", async ({ page }) => {
  const setActive = async (active: boolean) => {
    await page.goto("/admin/enti");
    await page.getByRole("link", { name: "Fidi Adriatico soc. coop." }).click();
    // bootstrap-italia draws the checkbox on its label: a click on the label toggles it.
    await page.locator('label[for="active"]').click();
    await expect(page.getByLabel("Ente attivo")).toBeChecked({ checked: active });
    await page.getByRole("button", { name: "Salva" }).click();
    await expect(page.getByRole("status")).toHaveText(active ? "Ente gestore salvato." : "Ente gestore salvato (disattivato).");
  };
  await signInAs(page, "Anna");
  await setActive(false);
  await signOut(page);

  await signInAs(page, "Giuseppe");
  await page.goto("/caricamenti/nuovo");
  await expect(page.getByRole("alert")).toContainText("L'ente gestore è disattivato: non è possibile inviare flussi.");
  await expect(page.getByRole("button", { name: "Invia" })).toHaveCount(0);
  // Its data stays readable.
  await page.goto("/caricamenti");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await signOut(page);

  await signInAs(page, "Anna");
  await setActive(true);
});

test("the public instructions describe the enablement pages and the CSV list", async ({ page }) => {
  await page.goto("/istruzioni/abilitazione-operatori");
  await expect(page.getByText("cognome;nome;codice_fiscale;email;ruolo")).toBeVisible();
  await expect(page.getByText("L'abilitazione dura 12 mesi dall'approvazione.", { exact: false })).toBeVisible();
  await page.goto("/istruzioni/accesso-funzionari");
  await expect(page.getByText("Nuova richiesta di abilitazione", { exact: false })).toBeVisible();
});
