import { expect, test, type Browser, type Page } from "@playwright/test";
import { generate } from "otplib";
import { mailTextFromOutbox, seriousViolations, signInAs, signOut } from "./helpers";

/**
 * An applicant without SPID (LOCAL_ACCOUNTS=true on the e2e server): registers, confirms the
 * e-mail from the outbox, enrols an authenticator from the QR page (the code computed here from
 * the secret shown), signs out, signs in with password and code, then once with a recovery code.
 */
const EMAIL = "sofia.senza.spid@example.it";
const PASSWORD = "la bicicletta rossa di via Roma";
const SHOTS = "test-results/local-accounts";

async function look(page: Page, name: string) {
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: `${SHOTS}/${name}-desktop.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(1);
  await page.screenshot({ path: `${SHOTS}/${name}-390.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
}

/** An administrator reads the verification mail in Posta inviata and returns its link. */
async function verificationLinkFromOutbox(browser: Browser) {
  const text = await mailTextFromOutbox(browser, "account-locale-verifica", EMAIL);
  return /https?:\/\/\S+\/accesso-locale\/verifica\?t=[\w-]+/.exec(text)![0];
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

async function passwordStep(page: Page) {
  await page.goto("/accedi");
  await page.getByRole("link", { name: "Accedi con e-mail e password" }).click();
  await page.getByLabel("Indirizzo e-mail (obbligatorio)", { exact: true }).fill(EMAIL);
  await page.getByLabel("Password (obbligatorio)", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Continua" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Codice di verifica" })).toBeVisible();
}

test("an applicant without SPID registers, confirms the e-mail, enrols TOTP and signs in with a code and with a recovery code", async ({ page, browser }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto("/accedi");
  await page.getByRole("link", { name: "registrati" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Registrati con e-mail e password" })).toBeVisible();
  await look(page, "01-registrazione");

  await page.getByLabel("Nome (obbligatorio)", { exact: true }).fill("Sofia");
  await page.getByLabel("Cognome (obbligatorio)", { exact: true }).fill("Senzaspid");
  await page.getByLabel("Codice fiscale (obbligatorio)", { exact: true }).fill("SNZSFO90A41H501J");
  await page.getByLabel("Indirizzo e-mail (obbligatorio)", { exact: true }).fill(EMAIL);
  // A common password first: refused beside the field, the password not sent back.
  await page.getByLabel("Password (obbligatorio)", { exact: true }).fill("Juventus1897!!");
  await page.getByLabel("Ripeti la password (obbligatorio)", { exact: true }).fill("Juventus1897!!");
  await page.getByRole("button", { name: "Registrati" }).click();
  await expect(page.getByTestId("error-password")).toHaveText("Questa password è tra le più comuni e si indovina facilmente: sceglierne un'altra");
  await look(page, "02-registrazione-errore");
  await page.getByLabel("Password (obbligatorio)", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Ripeti la password (obbligatorio)", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Registrati" }).click();
  await expect(page.getByRole("status")).toContainText("riceverai a breve un'e-mail con il collegamento");

  const link = await verificationLinkFromOutbox(browser);
  await page.goto(new URL(link).pathname + new URL(link).search);
  await expect(page.getByRole("heading", { level: 1, name: "Conferma l'indirizzo e-mail" })).toBeVisible();
  await look(page, "03-verifica");
  await page.getByRole("button", { name: "Conferma l'indirizzo" }).click();
  await expect(page.getByRole("status")).toHaveText("Indirizzo e-mail confermato. Ora accedi con e-mail e password per attivare il secondo fattore.");

  await page.getByRole("link", { name: "Accedi con e-mail e password" }).click();
  await look(page, "04-accedi");
  await page.getByLabel("Indirizzo e-mail (obbligatorio)", { exact: true }).fill(EMAIL);
  await page.getByLabel("Password (obbligatorio)", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Continua" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Attiva il secondo fattore" })).toBeVisible();
  await expect(page.getByRole("img", { name: /Codice QR per l'app di autenticazione/ })).toBeVisible();
  await look(page, "05-attiva-otp");
  const secret = (await page.getByTestId("totp-secret").innerText()).replace(/\s+/g, "");
  await page.getByLabel("Codice dell'app (obbligatorio)", { exact: true }).fill(await generate({ secret, epoch: nowSeconds() }));
  await page.getByRole("button", { name: "Attiva e accedi" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Secondo fattore attivo" })).toBeVisible();
  const codes = (await page.getByTestId("recovery-codes").locator("li").allInnerTexts()).map((c) => c.trim());
  expect(codes).toHaveLength(10);
  await look(page, "06-codici-di-recupero");

  // The session is the platform's own: the header names the applicant, the security page opens.
  await page.goto("/accesso-locale/sicurezza");
  await expect(page.getByTestId("signed-in-as")).toContainText("Richiedente");
  await expect(page.getByTestId("recovery-codes-left")).toHaveText("10 codici ancora validi");
  await look(page, "07-sicurezza");
  await signOut(page);

  // Password and the app's code (the next 30-second step: the enrolment code cannot be used twice).
  await passwordStep(page);
  await look(page, "08-codice");
  await page.getByLabel("Codice dell'app o codice di recupero (obbligatorio)", { exact: true }).fill(await generate({ secret, epoch: nowSeconds() + 30 }));
  await page.getByRole("button", { name: "Accedi" }).click();
  await expect(page).toHaveURL(/\/area-personale$/);
  await page.goto("/accesso-locale/sicurezza");
  await expect(page.getByRole("heading", { level: 1, name: "Sicurezza dell'account" })).toBeVisible();
  await signOut(page);

  // A recovery code, once.
  await passwordStep(page);
  await page.getByLabel("Codice dell'app o codice di recupero (obbligatorio)", { exact: true }).fill(codes[0]!);
  await page.getByRole("button", { name: "Accedi" }).click();
  await expect(page).toHaveURL(/\/accesso-locale\/sicurezza\?rimasti=9$/);
  await expect(page.getByTestId("recovery-codes-left")).toHaveText("9 codici ancora validi");
  await signOut(page);
  await passwordStep(page);
  await page.getByLabel("Codice dell'app o codice di recupero (obbligatorio)", { exact: true }).fill(codes[0]!);
  await page.getByRole("button", { name: "Accedi" }).click();
  await expect(page.getByTestId("error-code")).toHaveText("Codice di recupero non valido o già usato.");
});

test("after five wrong passwords the account is locked; an administrator sees the lock and lifts it", async ({ browser }) => {
  // Without JavaScript: each post is a whole page load, as in an old browser.
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/accesso-locale/accedi");
  for (let i = 0; i < 5; i++) {
    await page.getByLabel("Indirizzo e-mail (obbligatorio)", { exact: true }).fill(EMAIL);
    await page.getByLabel("Password (obbligatorio)", { exact: true }).fill(`sbagliata numero ${i}!`);
    await page.getByRole("button", { name: "Continua" }).click();
    await expect(page.getByRole("alert")).toHaveText("E-mail o password non corretti.");
  }
  await page.getByLabel("Indirizzo e-mail (obbligatorio)", { exact: true }).fill(EMAIL);
  await page.getByLabel("Password (obbligatorio)", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Continua" }).click();
  await expect(page.getByRole("alert")).toContainText("Account bloccato fino alle");

  const admin = await browser.newPage();
  await signInAs(admin, "Anna");
  await admin.goto("/admin/abilitazioni");
  await admin.getByRole("link", { name: "Account locali dei richiedenti" }).click();
  const row = admin.getByTestId(`local-account-${EMAIL}`);
  await expect(row).toContainText("Bloccato dal");
  await look(admin, "09-admin-account-locali");
  await row.getByRole("button", { name: "Sblocca Senzaspid Sofia" }).click();
  await expect(admin.getByRole("status")).toHaveText("Account sbloccato: la persona può accedere di nuovo.");
  await expect(admin.getByTestId(`local-account-${EMAIL}`)).toContainText("Attivo");
  await admin.close();

  await passwordStep(page);
  await context.close();
});
