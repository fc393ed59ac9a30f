import { expect, test, type Page } from "@playwright/test";
import postgres from "postgres";
import { seriousViolations, signInAs, signOut } from "./helpers";

/**
 * The help desk (issue 17) in Chromium: an anonymous visitor opens a ticket and follows it by the
 * link in the acceptance mail; the operator asks for information, the visitor answers, the
 * operator answers and closes. axe-core on every page on the way; with E2E_SHOTS=<folder> a
 * desktop and a 390 px screenshot of each.
 */
const db = () => postgres(`postgres://postgres:postgres@127.0.0.1:${Number(process.env.E2E_PG_PORT ?? 54398)}/gestpratiche`, { max: 1, onnotice: () => {} });
const SHOTS = process.env.E2E_SHOTS;

async function accessible(page: Page, name: string) {
  expect(await seriousViolations(page)).toEqual([]);
  if (!SHOTS) return;
  await page.screenshot({ path: `${SHOTS}/helpdesk-${name}-desktop.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(1);
  await page.screenshot({ path: `${SHOTS}/helpdesk-${name}-390.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
}

test.describe.configure({ mode: "serial" });

test("a visitor opens a ticket, follows it by its link, answers the operator's question; the operator closes it", async ({ browser }) => {
  const visitor = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await visitor.goto("/");
  await visitor.getByRole("navigation", { name: "Navigazione principale" }).getByRole("link", { name: "Assistenza" }).click();
  await expect(visitor.getByRole("heading", { level: 1 })).toHaveText("Assistenza");
  await accessible(visitor, "nuova");
  // A bad e-mail is refused next to the field, and what was typed stays.
  await visitor.getByLabel("Nome e cognome").fill("Mario Bianchi");
  await visitor.getByLabel("E-mail").fill("mario@");
  await visitor.getByLabel("Categoria").selectOption("tecnica");
  await visitor.getByLabel("Oggetto").fill("Pagina bianca dopo l'accesso");
  await visitor.getByLabel("Descrivi la richiesta").fill("Dopo SPID la pagina resta bianca.");
  // The browser's own check would stop an invalid address before it is sent: the server's is tested here.
  await visitor.locator("form").first().evaluate((f) => f.setAttribute("novalidate", ""));
  await visitor.getByRole("button", { name: "Invia la richiesta" }).click();
  await expect(visitor.getByTestId("error-email")).toHaveText("E-mail: indirizzo non valido");
  await expect(visitor.getByLabel("Oggetto")).toHaveValue("Pagina bianca dopo l'accesso");
  await visitor.getByLabel("E-mail").fill("mario.bianchi@example.it");
  await visitor.getByLabel(/Allegato/).setInputFiles({ name: "schermata.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n% schermata\n%%EOF\n") });
  await visitor.getByRole("button", { name: "Invia la richiesta" }).click();
  const status = visitor.getByRole("status");
  await expect(status).toContainText(/Richiesta ricevuta con il numero HD-\d{4}-\d{6}/);
  const number = /HD-\d{4}-\d{6}/.exec((await status.textContent())!)![0];

  const sql = db();
  const [mail] = await sql<{ text: string }[]>`select text from mail_outbox where recipient = 'mario.bianchi@example.it' and subject like ${"%" + number + "%"}`;
  await sql.end();
  const link = /http:\/\/\S+\/assistenza\/segui\/[A-Za-z0-9_-]+/.exec(mail!.text)![0];
  await visitor.goto(new URL(link).pathname);
  await expect(visitor.getByRole("heading", { level: 1 })).toContainText(number);
  await expect(visitor.getByTestId("ticket-state")).toHaveText("Ricevuta");
  await expect(visitor.getByRole("link", { name: "schermata.pdf" })).toBeVisible();
  await accessible(visitor, "segui");

  const operator = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await signInAs(operator, "Silvia");
  await operator.goto("/helpdesk");
  await accessible(operator, "coda");
  await operator.getByRole("link", { name: number }).click();
  await operator.getByRole("button", { name: "Prendi in carico" }).click();
  await expect(operator.getByRole("status")).toHaveText("Richiesta presa in carico.");
  await expect(operator.getByTestId("assignee")).toHaveText("Silvia Marchetti");
  await operator.getByRole("textbox", { name: /^Testo/ }).fill("Quale browser usa?");
  await operator.getByRole("button", { name: "Chiedi informazioni" }).click();
  await expect(operator.getByRole("status")).toContainText("Richiesta di informazioni inviata");
  await expect(operator.getByTestId("sla")).toContainText("sospeso: in attesa di informazioni");
  await accessible(operator, "richiesta");

  await visitor.reload();
  await expect(visitor.getByTestId("ticket-state")).toHaveText("In attesa di informazioni");
  await expect(visitor.getByTestId("ticket-messages")).toContainText("Quale browser usa?");
  await visitor.getByRole("textbox", { name: /^Testo/ }).fill("Firefox 128 su Windows.");
  await visitor.getByRole("button", { name: "Invia", exact: true }).click();
  await expect(visitor.getByRole("status")).toHaveText("Messaggio inviato all'help desk.");

  await operator.reload();
  await expect(operator.getByTestId("ticket-messages")).toContainText("Firefox 128 su Windows.");
  await operator.getByRole("textbox", { name: /^Testo/ }).fill("Svuoti la cache del browser e riprovi.");
  await operator.getByRole("button", { name: "Invia la risposta" }).click();
  await expect(operator.getByRole("status")).toHaveText("Risposta inviata.");
  await operator.getByRole("button", { name: "Chiudi la richiesta" }).click();
  await expect(operator.getByRole("status")).toHaveText("Richiesta chiusa.");

  await visitor.reload();
  await expect(visitor.getByTestId("ticket-state")).toHaveText("Chiusa");
  await expect(visitor.getByTestId("ticket-messages")).toContainText("Svuoti la cache del browser e riprovi.");
  await expect(visitor.getByRole("button", { name: "Riapri la richiesta" })).toBeVisible();
  await accessible(visitor, "chiusa");
  await visitor.close();

  await operator.goto("/helpdesk/telefono");
  await accessible(operator, "telefono");
  await operator.getByLabel("Nome e cognome di chi chiama").fill("Carla Verdi");
  await operator.getByLabel("Telefono").fill("+39 071 1234567");
  await operator.getByLabel("Categoria").selectOption("funzionale");
  await operator.getByLabel("Oggetto").fill("Come si invia il flusso");
  await operator.getByLabel("Che cosa chiede").fill("Chiede come si invia il flusso mensile.");
  await operator.getByRole("button", { name: "Registra la richiesta" }).click();
  await expect(operator.getByRole("status")).toContainText("Chiamata registrata con il numero HD-");
  await operator.close();
});

test("a signed-in gestore sends a request from the reserved area and finds it among their own", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signInAs(page, "Giulia");
  await page.goto("/assistenza");
  await expect(page.getByTestId("sender")).toContainText("Giulia Bianchi");
  await accessible(page, "nuova-gestore");
  await page.getByLabel("Categoria").selectOption("funzionale");
  await page.getByLabel("Oggetto").fill("Correzione di una pratica");
  await page.getByLabel("Descrivi la richiesta").fill("Come correggo la data di uno stato già inviato?");
  await page.getByRole("button", { name: "Invia la richiesta" }).click();
  await expect(page.getByRole("status")).toContainText("Richiesta ricevuta con il numero");
  await page.goto("/assistenza/richieste");
  await accessible(page, "mie");
  await page.getByRole("link", { name: /^HD-/ }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Correzione di una pratica");
  await accessible(page, "mia");
  await signOut(page);
});
