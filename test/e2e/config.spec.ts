import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { openFromMenu, seriousViolations, signInAs, signOut } from "./helpers";

test.describe.configure({ mode: "serial" });

const TITLE = "Contributi per le botteghe artigiane storiche";

test("the administrator creates and publishes a procedure, which the public catalogue then finds", async ({ page }) => {
  await signInAs(page, "Anna");
  await openFromMenu(page, "Configurazione");
  await page.getByRole("link", { name: "Catalogo dei procedimenti" }).click();
  await page.getByRole("link", { name: "Nuovo procedimento", exact: true }).click();

  // A refused form: the Italian message is next to the field and nothing is created.
  await page.getByRole("button", { name: "Crea il procedimento" }).click();
  await expect(page.getByTestId("error-title")).toHaveText("Titolo: campo obbligatorio");
  await expect(page.getByTestId("error-categoryId")).toHaveText("Categoria: scegliere una categoria");

  await page.getByLabel("Titolo (obbligatorio)").fill(TITLE);
  await page.getByLabel("Categoria (obbligatorio)").selectOption({ label: "— Credito e garanzie" });
  await page.getByLabel("Descrizione").fill("Contributo a fondo perduto per il restauro dei laboratori artigiani con più di cinquant'anni di attività.");
  await page.getByLabel("Ufficio competente").selectOption({ label: "Settore Credito e finanza d'impresa" });
  await page.getByLabel("Durata massima (giorni)").fill("45");
  await page.getByLabel("Collegamenti").fill("Bando | https://www.regione.example.it/bandi/botteghe");
  await page.getByLabel("Stato").selectOption("published");
  await page.getByRole("button", { name: "Crea il procedimento" }).click();
  await expect(page.getByRole("status")).toHaveText("Procedimento creato.");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(TITLE);

  // The tree shows it, with a badge, and it can be moved with the keyboard-operable buttons.
  await page.getByRole("link", { name: "Catalogo dei procedimenti" }).click();
  await expect(page.getByRole("link", { name: TITLE })).toBeVisible();
  await page.getByRole("button", { name: `Sposta su: ${TITLE}` }).click();
  await expect(page.getByRole("status")).toHaveText("Ordine aggiornato.");
  await signOut(page);

  // Public, without signing in: browse and search (Italian stemming: "botteghe" ~ "bottega").
  await page.goto("/");
  await page.getByRole("searchbox", { name: "Parole da cercare" }).fill("bottega artigiana");
  await page.getByRole("button", { name: "Cerca" }).click();
  await expect(page).toHaveURL(/\/procedimenti\?q=/);
  await page.getByRole("link", { name: TITLE }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(TITLE);
  await expect(page.getByText("45 giorni")).toBeVisible();
  await expect(page.getByRole("link", { name: "Bando" })).toHaveAttribute("href", "https://www.regione.example.it/bandi/botteghe");
});

test("the administrator edits a mail template; the preview shows the change, a save is kept in the history", async ({ page }) => {
  await signInAs(page, "Anna");
  await page.goto("/admin/modelli");
  await page.getByRole("link", { name: "Messaggio di prova" }).click();
  await page.getByLabel("Oggetto (obbligatorio)").fill("Benvenuta {{name}} sulla piattaforma");
  await page.getByRole("button", { name: "Anteprima" }).click();
  await expect(page.getByTestId("preview-subject")).toHaveText("Benvenuta Ada Lovelace sulla piattaforma");

  // A misspelt variable is refused on save, next to the field.
  await page.getByLabel("Testo semplice (obbligatorio)").fill("Ciao {{nome}}");
  await page.getByRole("button", { name: "Salva" }).click();
  await expect(page.getByTestId("error-text")).toHaveText("Testo semplice: la variabile «nome» non è disponibile per questo modello");

  await page.getByLabel("Testo semplice (obbligatorio)").fill("Ciao {{name}}, benvenuta su {{platform}}.");
  await page.getByRole("button", { name: "Salva" }).click();
  await expect(page.getByRole("status")).toContainText("Modello salvato");
  await expect(page.getByRole("table", { name: "Modifiche al modello, dalla più recente" })).toContainText("Benvenuta {{name}} sulla piattaforma");
  await page.getByRole("button", { name: "Ripristina il modello predefinito" }).click();
  await expect(page.getByRole("status")).toHaveText("Ripristinato il modello predefinito.");
  await expect(page.getByLabel("Oggetto (obbligatorio)")).toHaveValue("Messaggio di prova per {{name}}");
});

test("a stale form is refused with a clear message instead of overwriting", async ({ browser }) => {
  const first = await browser.newPage();
  const second = await browser.newPage();
  for (const p of [first, second]) {
    await signInAs(p, "Anna");
    await p.goto("/admin/aspetto");
  }
  await first.getByLabel("Avviso in testata").fill("Manutenzione programmata sabato dalle 8 alle 12.");
  await first.getByRole("button", { name: "Salva" }).click();
  await expect(first.getByRole("status")).toHaveText("Aspetto del portale salvato.");
  await expect(first.getByRole("region", { name: "Avviso" })).toContainText("Manutenzione programmata");

  await second.getByLabel("Nome dell'ente (obbligatorio)").fill("Regione Sovrascritta");
  await second.getByRole("button", { name: "Salva" }).click();
  await expect(second.getByRole("alert")).toContainText("Un altro amministratore ha modificato questi dati");
  await first.reload();
  await expect(first.getByLabel("Nome dell'ente (obbligatorio)")).not.toHaveValue("Regione Sovrascritta");
});

test("public pages have no serious or critical accessibility violations (axe-core)", async ({ page }) => {
  const pages = ["/", "/procedimenti", "/procedimenti?q=liquidit%C3%A0", "/istruzioni", "/istruzioni/accesso", "/istruzioni/abilitazione-operatori", "/istruzioni/accesso-funzionari", "/istruzioni/formato-flusso", "/accessibilita", "/accedi"];
  await page.goto("/procedimenti");
  const first = page.locator(".catalogue-tree a").first();
  pages.push((await first.getAttribute("href"))!);
  const found: string[] = [];
  for (const url of pages) {
    await page.goto(url);
    found.push(...(await seriousViolations(page)).map((v) => `${url}: ${v}`));
  }
  expect(found).toEqual([]);
});

test("the sample upload file is downloadable from the specification page", async ({ page }) => {
  await page.goto("/istruzioni/formato-flusso");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: /Scarica un file di esempio/ }).click()]);
  expect(download.suggestedFilename()).toBe("flusso-esempio.txt");
  const body = fs.readFileSync((await download.path())!, "utf8");
  expect(body.startsWith("T|1|01234567897|")).toBe(true);
  await page.screenshot({ path: "/tmp/issue-7-spec.png", fullPage: false });
  await page.goto("/");
  await page.screenshot({ path: "/tmp/issue-7-home.png", fullPage: true });
});

test("the administrator sees the identity provider in use, with its certificates' validity dates", async ({ page }) => {
  await signInAs(page, "Anna");
  await openFromMenu(page, "Configurazione");
  await page.getByRole("link", { name: "Identità digitale (SPID)" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Identità digitale (SPID)" })).toBeVisible();
  await expect(page.getByText("Identity provider di prova incorporato (solo sviluppo e dimostrazione)")).toBeVisible();
  const idpCerts = page.getByRole("table", { name: /Certificati di firma dell'identity provider \(1\)/ });
  const row = idpCerts.getByRole("row").nth(1);
  await expect(row.getByRole("cell").nth(0)).toContainText("CN=test-idp");
  // Validity in Italian format, Europe/Rome: from (about) now, for ten years.
  const year = Number(new Intl.DateTimeFormat("it-IT", { year: "numeric", timeZone: "Europe/Rome" }).format(new Date()));
  await expect(row.getByRole("cell").nth(1)).toHaveText(new RegExp(`^\\d{2}/\\d{2}/${year}`));
  await expect(row.getByRole("cell").nth(2)).toHaveText(new RegExp(`^\\d{2}/\\d{2}/(${year + 9}|${year + 10})`));
  await expect(row.getByText("Valido", { exact: true })).toBeVisible();
  await page.getByText("Metadati dell'identity provider (XML)").click();
  await expect(page.locator("pre")).toContainText("IDPSSODescriptor");
  // Outside production the generated SP certificate is not AgID's: the page says what is missing.
  await expect(page.getByText("nel soggetto manca l'attributo organizationIdentifier (2.5.4.97)")).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: "/tmp/issue-21-idp-desktop.png", fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: "/tmp/issue-21-idp-phone.png", fullPage: true });
});

test("the administrator uploads the body's logo in Aspetto; the header shows it, a script-carrying SVG is refused", async ({ page }) => {
  await signInAs(page, "Anna");
  await page.goto("/admin/aspetto");
  const logo = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40"><circle cx="20" cy="20" r="18" fill="#0066cc"/></svg>`;
  await page.getByLabel("File del logo").setInputFiles({ name: "stemma.svg", mimeType: "image/svg+xml", buffer: Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`) });
  await page.getByRole("button", { name: "Carica il logo" }).click();
  await expect(page.getByText("Il logo SVG contiene script").first()).toBeVisible();
  await page.getByLabel("File del logo").setInputFiles({ name: "stemma.svg", mimeType: "image/svg+xml", buffer: Buffer.from(logo) });
  await page.getByRole("button", { name: "Carica il logo" }).click();
  await expect(page.getByRole("status")).toHaveText("Logo caricato: ora compare in testata.");
  await expect(page.locator("header img.app-logo")).toHaveAttribute("src", /^\/marchio\/logo\?v=[0-9a-f]{16}$/);
  const src = await page.locator("header img.app-logo").getAttribute("src");
  const served = await page.request.get(src!);
  expect(served.headers()["content-type"]).toBe("image/svg+xml");
  expect(await served.text()).toBe(logo);
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole("button", { name: "Rimuovi il logo" }).click();
  await expect(page.getByRole("status")).toHaveText("Logo rimosso.");
  await expect(page.locator("header img.app-logo")).toHaveCount(0);
});
