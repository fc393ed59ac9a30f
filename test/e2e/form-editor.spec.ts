import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { openFromMenu, seriousViolations, signInAs } from "./helpers";

/**
 * Issue 15, the administrator's side of online applications: the form-model editor without JSON
 * (by keyboard too), its preview, import/export and the offices chosen by rule; and the applicant's
 * draft saved as one types.
 */
const SHOTS = process.env.E2E_SHOTS;
const GRANT = "Contributo per nuove assunzioni 2026";

async function checked(page: Page, name: string) {
  expect(await seriousViolations(page)).toEqual([]);
  if (SHOTS) {
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}/${name}-desktop.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 390, height: 844 });
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}-390.png`, fullPage: true });
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(1);
  await page.setViewportSize({ width: 1280, height: 800 });
}

test("Anna edits a form model without JSON, by keyboard, previews it, exports it and sees an import refused", async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await signInAs(page, "Anna");
  await openFromMenu(page, "Configurazione");
  await page.getByRole("link", { name: "Moduli delle domande online" }).click();
  await checked(page, "moduli-elenco");
  await page.getByRole("link", { name: `Versione 1 del modulo di ${GRANT}` }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Modulo, versione 1 (pubblicata)");
  await expect(page.getByRole("note")).toContainText("non cambia più");
  await expect(page.getByRole("button", { name: /^Sposta/ })).toHaveCount(0);
  await page.getByRole("button", { name: "Crea una nuova bozza da modificare" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Modulo, versione 2 (bozza)");
  await expect(page.getByRole("status")).toHaveText("Nuova bozza creata.");
  const draftUrl = page.url().replace(/\?.*$/, "");

  // Reordering by keyboard: focus the button, press Enter.
  const impresa = page.getByRole("region", { name: "Pagina 1: Impresa richiedente" });
  await impresa.getByRole("button", { name: "Sposta giù «Ragione sociale»" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status")).toHaveText("Spostato in giù.");
  await expect(impresa.locator("li strong")).toHaveText(["Indica i dati dell'impresa per cui chiedi il contributo.", "Presenti la domanda come", "Partita IVA", "Ragione sociale", "Codice fiscale del legale rappresentante", "colonne «sede»", "Codice ISTAT del comune della sede", "CAP della sede", "PEC dell'impresa"]);
  await checked(page, "modulo-editor");

  // A field's label, help, limits; a bad limit is refused in Italian and nothing changes.
  await impresa.getByRole("link", { name: "Modifica «Ragione sociale»" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Modifica «Ragione sociale»");
  await page.getByLabel("Etichetta").fill("Denominazione dell'impresa");
  await page.getByLabel("Testo di aiuto").fill("Come risulta dalla visura camerale.");
  await page.getByLabel("Lunghezza massima (caratteri)").fill("cento");
  await page.getByRole("button", { name: "Salva la modifica" }).click();
  await expect(page.getByRole("alert")).toHaveText("Lunghezza massima: indicare un numero intero non negativo");
  await expect(page.getByLabel("Lunghezza massima (caratteri)")).toHaveAttribute("aria-invalid", "true");
  await checked(page, "modulo-campo-errore");
  await page.getByLabel("Lunghezza massima (caratteri)").fill("150");
  await page.getByLabel("Lunghezza minima (caratteri)").fill("300");
  await page.getByRole("button", { name: "Salva la modifica" }).click();
  await expect(page.getByRole("alert")).toContainText("«minLength» supera «maxLength»");
  await page.getByLabel("Lunghezza minima (caratteri)").fill("2");
  await page.getByRole("button", { name: "Salva la modifica" }).click();
  await expect(page.getByRole("status")).toHaveText("Modifica salvata.");
  await expect(impresa.getByText("Denominazione dell'impresa", { exact: true })).toBeVisible();

  // Options of a choice field; a new field and a new page.
  const assunzioni = page.getByRole("region", { name: "Pagina 2: Assunzioni" });
  await assunzioni.getByRole("link", { name: "Modifica «Settore di attività»" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Modifica «Settore di attività»");
  await page.getByLabel("Opzioni").fill("manifattura | Manifattura\nservizi | Servizi\nagricoltura | Agricoltura");
  await page.getByRole("button", { name: "Salva la modifica" }).click();
  await expect(page.getByRole("status")).toHaveText("Modifica salvata.");
  await assunzioni.getByLabel("Tipo").selectOption({ label: "Scelta singola" });
  await assunzioni.getByLabel("Etichetta").fill("Contratto applicato");
  await assunzioni.getByRole("button", { name: "Aggiungi il campo a «Assunzioni»" }).click();
  await expect(page.getByRole("status")).toHaveText("Campo aggiunto: apri «Modifica» per completarlo.");
  await page.getByLabel("Titolo della pagina").fill("Allegati aggiuntivi");
  await page.getByRole("button", { name: "Aggiungi la pagina" }).click();
  await expect(page.getByRole("heading", { name: "Pagina 4: Allegati aggiuntivi" })).toBeVisible();
  // Removing a field a condition reads is refused with the path.
  await impresa.getByRole("button", { name: "Rimuovi «Presenti la domanda come»" }).click();
  await expect(page.getByTestId("editor-error")).toContainText("la condizione cita un campo inesistente: «qualita»");

  // The preview draws the applicant's page; its buttons only move between pages.
  await page.getByRole("link", { name: "Anteprima" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Pagina 1 di 4: Impresa richiedente");
  await expect(page.getByLabel(/Denominazione dell'impresa/)).toBeVisible();
  await expect(page.getByText("Come risulta dalla visura camerale.")).toBeVisible();
  await checked(page, "modulo-anteprima");
  await page.getByRole("button", { name: "Pagina successiva" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Pagina 2 di 4: Assunzioni");
  await expect(page.getByLabel("Settore di attività").locator("option")).toHaveText(["Scegli un'opzione", "Manifattura", "Servizi", "Agricoltura"]);
  await expect(page.getByText("Contratto applicato")).toBeVisible();

  // Export, then an import with unsupported components is refused with each path.
  await page.goto(draftUrl);
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Esporta il JSON" }).click();
  const exported = JSON.parse(fs.readFileSync(await (await download).path(), "utf8"));
  expect(exported.components.map((p: { key: string }) => p.key)).toEqual(["impresa", "assunzioni", "pagamento", "allegatiAggiuntivi"]);
  await page.getByRole("link", { name: "Versioni del modulo" }).click();
  await checked(page, "modulo-versioni");
  const bad = { display: "wizard", components: [{ type: "panel", key: "p", title: "P", components: [{ type: "signature", key: "firma", label: "Firma" }] }] };
  await page.getByLabel("File JSON del modulo").setInputFiles({ name: "modulo.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(bad)) });
  await page.getByRole("button", { name: "Importa come nuova bozza" }).click();
  await expect(page.getByRole("alert")).toContainText("Modello non importato: nessuna modifica salvata.");
  await expect(page.getByRole("alert")).toContainText("components[0] («p»).components[0] («firma»): tipo di componente non supportato: «signature»");
  await expect(page.getByRole("link", { name: /^Versione \d$/ })).toHaveCount(2);
});

test("without JavaScript, by keyboard: Anna moves a field to another page, builds containers, sets an Italian validator and a condition, and previews it", async ({ browser }) => {
  test.setTimeout(150_000);
  const withScript = await browser.newPage();
  await signInAs(withScript, "Anna");
  const page = await (await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 800 }, storageState: await withScript.context().storageState() })).newPage();
  await page.goto("/admin/moduli");
  await page.getByRole("link", { name: `Versione 1 del modulo di ${GRANT}` }).click();
  // The draft: created here, or the one the other test made (one draft at a time).
  await page.getByRole("button", { name: "Crea una nuova bozza da modificare" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^Modulo, versione \d+ \(bozza\)$/);
  const editorUrl = page.url().replace(/[?#].*$/, "");
  // axe needs a script: the same server-drawn page is checked (and photographed) in the scripted tab.
  const accessible = async (name: string) => {
    await withScript.goto(page.url());
    await checked(withScript, name);
  };
  const press = async (name: string | RegExp, where = page.locator("main")) => {
    await where.getByRole("button", { name, exact: typeof name === "string" }).first().focus();
    await page.keyboard.press("Enter");
  };

  // A field moves to another page: it lands at the end of it.
  await page.getByRole("region", { name: "Pagina 2: Assunzioni" }).getByRole("link", { name: "Modifica «Descrizione del progetto di assunzione»" }).click();
  await page.getByLabel("Destinazione").selectOption({ label: "Pagina 3 «Pagamento e dichiarazioni»" });
  await press("Sposta");
  await expect(page.getByRole("status")).toHaveText("Spostato: ora è in fondo alla destinazione scelta.");
  const payment = page.getByRole("region", { name: "Pagina 3: Pagamento e dichiarazioni" });
  await expect(payment.locator("li strong").last()).toHaveText("Descrizione del progetto di assunzione");
  await expect(page.getByRole("region", { name: "Pagina 2: Assunzioni" }).getByText("Descrizione del progetto di assunzione")).toHaveCount(0);

  // Containers, and fields inside them, chosen with «Dove».
  const add = async (type: string, label: string, where?: string) => {
    const region = page.getByRole("region", { name: "Pagina 3: Pagamento e dichiarazioni" });
    if (where) await region.getByLabel("Dove").selectOption({ label: where });
    await region.getByLabel("Tipo").selectOption({ label: type });
    await region.getByLabel("Etichetta", { exact: true }).fill(label);
    await press("Aggiungi il campo a «Pagamento e dichiarazioni»", region);
    await expect(page.getByRole("status")).toHaveText("Campo aggiunto: apri «Modifica» per completarlo.");
  };
  const here = "Pagina 3 «Pagamento e dichiarazioni»";
  await add("Gruppo di campi", "Referente");
  await add("Testo breve", "Codice fiscale del referente", `${here} › gruppo «Referente»`);
  await add("Colonne", "Periodo");
  await add("Data", "Fine del periodo", `${here} › colonne «Periodo», colonna 2`);
  await add("Tabella ripetibile", "Persone assunte");
  await add("Testo breve", "Nominativo", `${here} › tabella «Persone assunte»`);
  await add("Data", "Assunta il", `${here} › tabella «Persone assunte»`);
  await press("Sposta su «Assunta il»", payment);
  await expect(page.getByRole("status")).toHaveText("Spostato in su.");
  expect((await payment.locator("li strong").allTextContents()).slice(-8)).toEqual([
    "Descrizione del progetto di assunzione",
    "Referente",
    "Codice fiscale del referente",
    "colonne «Periodo»",
    "Fine del periodo",
    "Persone assunte",
    "Assunta il",
    "Nominativo",
  ]);
  await expect(payment.getByText("Colonna 2", { exact: true })).toBeVisible();
  await accessible("modulo-contenitori");

  // The Italian validator; a catastrophic pattern is refused in Italian and nothing changes.
  await payment.getByRole("link", { name: "Modifica «Codice fiscale del referente»" }).click();
  await page.getByLabel("Validatore italiano").selectOption({ label: "Codice fiscale" });
  await page.getByLabel("Formato (espressione regolare)").fill("([A-Z0-9]+)+");
  await press("Salva la modifica");
  await expect(page.getByRole("alert")).toContainText("«pattern» ripete un gruppo che contiene a sua volta ripetizioni o alternative");
  // The same refusal in the scripted tab, for axe and the screenshots.
  await withScript.goto(page.url());
  await withScript.getByLabel("Formato (espressione regolare)").fill("(a|b)*");
  await withScript.getByRole("button", { name: "Salva la modifica" }).click();
  await expect(withScript.getByRole("alert")).toContainText("Modifica non salvata: nessuna modifica salvata.");
  await checked(withScript, "modulo-pattern-rifiutato");
  await page.reload();
  await expect(page.getByLabel("Validatore italiano")).toHaveValue("");
  await expect(page.getByLabel("Formato (espressione regolare)")).toHaveValue("");
  await page.getByLabel("Validatore italiano").selectOption({ label: "Codice fiscale" });
  await press("Salva la modifica");
  await expect(page.getByRole("status")).toHaveText("Modifica salvata.");

  // A condition: choose the field (a GET), then its value among its options.
  await page.getByRole("region", { name: "Pagina 3: Pagamento e dichiarazioni" }).getByRole("link", { name: "Modifica «Referente»" }).click();
  await expect(page.getByTestId("condition-now")).toHaveText("Ora: sempre mostrato.");
  await page.getByLabel("Dipende dal campo").selectOption("settore");
  await press("Scegli il campo");
  await expect(page.getByLabel("Valore", { exact: true }).locator("option")).toContainText(["Servizi"]);
  await page.getByLabel("Valore", { exact: true }).selectOption({ label: "Servizi" });
  await press("Salva la condizione");
  await expect(page.getByRole("status")).toHaveText("Condizione salvata.");
  await expect(page.getByTestId("condition-now")).toHaveText("Ora: mostrato solo quando «settore» è uguale a «servizi».");
  await accessible("modulo-condizione");

  // The preview hides the group until the answer on page 2 shows it.
  await page.goto(`${editorUrl}/anteprima?pagina=pagamento`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^Pagina 3 di \d: Pagamento e dichiarazioni$/);
  await expect(page.getByLabel(/Codice fiscale del referente/)).toHaveCount(0);
  await press("Indietro");
  await page.getByLabel("Settore di attività").selectOption({ label: "Servizi" });
  await press("Pagina successiva");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^Pagina 3 di \d: Pagamento e dichiarazioni$/);
  await expect(page.getByRole("group", { name: "Referente" }).getByLabel(/Codice fiscale del referente/)).toBeVisible();
  await expect(page.getByLabel(/Fine del periodo/)).toBeVisible();
  await expect(page.getByRole("group", { name: "Persone assunte" })).toBeVisible();
  await accessible("modulo-anteprima-condizione");
  await page.context().close();
});

test("Anna sees the rule choosing the labour office, and a rule naming no real office is refused", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signInAs(page, "Anna");
  await page.goto("/admin/moduli");
  await page.getByRole("link", { name: `Uffici competenti per ${GRANT}` }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Uffici competenti sulle domande");
  const rule = page.getByRole("form", { name: "Regola 1: Ufficio del lavoro della provincia della sede" });
  await expect(rule.getByLabel("Casi")).toHaveValue("058 = UFF-LAVORO\n059 = UFF-LAVORO-LT");
  await checked(page, "instradamento");
  const fresh = page.getByRole("form", { name: "Nuova regola" });
  await fresh.getByLabel("Nome della regola").fill("Settore");
  await fresh.getByLabel("Risposta da leggere").selectOption("settore");
  await fresh.getByLabel("Confronto").selectOption({ label: "è uguale a" });
  await fresh.getByLabel("Casi").fill("turismo = UFF-TURISMO");
  await fresh.getByRole("button", { name: "Aggiungi la regola" }).click();
  await expect(page.getByRole("alert")).toHaveText("Ufficio inesistente: UFF-TURISMO. Usare il codice di una struttura (Configurazione › Strutture). Nessuna modifica salvata.");
  await expect(page.getByRole("form", { name: "Nuova regola" }).getByLabel("Casi")).toHaveValue("turismo = UFF-TURISMO");
  await expect(page.getByRole("form", { name: /^Regola \d/ })).toHaveCount(1);
  await checked(page, "instradamento-errore");
});

test("Sofia's draft is saved as she types: the live region says when, and a reload finds the value", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signInAs(page, "Sofia");
  await page.goto("/procedimenti");
  // A new draft of her own: other specs may have sent the demo one.
  await page.getByRole("link", { name: GRANT }).click();
  await page.getByRole("link", { name: "Presenta domanda online" }).click();
  await page.getByRole("button", { name: "Inizia la compilazione" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Pagina 1 di 3: Impresa richiedente");
  await page.getByLabel("Ragione sociale").fill("Salvata scrivendo srl");
  await expect(page.getByTestId("autosave-status")).toHaveText(/^Bozza salvata alle \d{2}:\d{2}$/, { timeout: 10_000 });
  await expect(page.getByTestId("autosave-status")).toHaveAttribute("aria-live", "polite");
  expect(await seriousViolations(page)).toEqual([]);
  await page.reload();
  await expect(page.getByLabel("Ragione sociale")).toHaveValue("Salvata scrivendo srl");
});
