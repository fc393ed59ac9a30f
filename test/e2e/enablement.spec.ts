import { expect, test, type Page } from "@playwright/test";
import { personalFiscalCodeCheckChar } from "../../app/lib/fiscal-code";
import { signInAs, signOut, openFromMenu } from "./helpers";

// A person not in the demo list: the test IdP's "Altra identità" signs them in.
const FIRST15 = "PLLTMS87R21A271";
const TOMMASO = { surname: "Pellegrini", name: "Tommaso", fiscalCode: FIRST15 + personalFiscalCodeCheckChar(FIRST15), email: "tommaso.pellegrini@confidi-demo.example.it" };

async function signInAsAnotherIdentity(page: Page, p: typeof TOMMASO) {
  await page.goto("/accedi");
  await page.getByRole("link", { name: "Entra con SPID o CIE" }).click();
  await page.getByLabel("Codice fiscale").fill(p.fiscalCode);
  await page.getByLabel("E-mail").fill(p.email);
  await page.getByLabel("Nome", { exact: true }).fill(p.name);
  await page.getByLabel("Cognome").fill(p.surname);
  await page.getByRole("button", { name: "Entra con questa identità" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/test-idp") && !u.pathname.startsWith("/auth/"));
}

test("a referente requests an operator, an administrator approves, the operator signs in, and revocation ends the open session", async ({ browser }) => {
  const referente = await (await browser.newContext()).newPage();
  await signInAs(referente, "Marco");
  await openFromMenu(referente, "Abilitazioni");
  await expect(referente.getByRole("heading", { level: 1, name: "Abilitazioni" })).toBeVisible();
  await referente.getByLabel("Cognome").fill(TOMMASO.surname);
  await referente.getByLabel("Nome", { exact: true }).fill(TOMMASO.name);
  await referente.getByLabel("Codice fiscale").fill(TOMMASO.fiscalCode);
  await referente.getByLabel("E-mail").fill(TOMMASO.email);
  await referente.getByLabel("Ruolo").selectOption({ label: "Operatore ente gestore" });
  await referente.getByRole("button", { name: "Invia richiesta" }).click();
  await expect(referente.getByRole("status")).toContainText("Richiesta inviata per Tommaso Pellegrini");
  await expect(referente.getByRole("row", { name: /Pellegrini Tommaso/ })).toContainText("In attesa");

  // Before approval the person is only an applicant (issue 15): no page of the gestori.
  const operator = await (await browser.newContext()).newPage();
  await signInAsAnotherIdentity(operator, TOMMASO);
  await expect(operator).toHaveURL(/\/area-personale$/);
  await operator.goto("/caricamenti");
  await expect(operator).toHaveURL(/\/accesso-negato$/);
  await signOut(operator);

  const admin = await (await browser.newContext()).newPage();
  await signInAs(admin, "Anna");
  await openFromMenu(admin, "Richieste di abilitazione");
  await admin.getByRole("button", { name: "Approva Pellegrini Tommaso" }).click();
  await expect(admin.getByRole("status")).toContainText("Richiesta approvata");
  await expect(admin.getByRole("button", { name: "Approva Pellegrini Tommaso" })).toHaveCount(0);

  await signInAsAnotherIdentity(operator, TOMMASO);
  await expect(operator.getByTestId("signed-in-as")).toContainText("Operatore ente gestore");
  await expect(operator.getByRole("heading", { level: 1 })).toHaveText("Ti diamo il benvenuto, Tommaso");
  await operator.goto("/pratiche");
  await expect(operator).toHaveURL(/\/pratiche$/);

  await referente.reload();
  const row = referente.getByRole("row", { name: /Pellegrini Tommaso/ }).first();
  await expect(row).toContainText("Attiva");
  // A bootstrap-italia modal asks first (no browser confirm()); cancelling changes nothing.
  await referente.getByRole("button", { name: "Revoca Pellegrini Tommaso" }).click();
  const modal = referente.getByRole("dialog", { name: "Revocare l'abilitazione?" });
  await expect(modal).toContainText("Revocare l'abilitazione di Pellegrini Tommaso?");
  await modal.getByRole("button", { name: "Annulla" }).click();
  await expect(modal).toBeHidden();
  await expect(row).toContainText("Attiva");
  await referente.getByRole("button", { name: "Revoca Pellegrini Tommaso" }).click();
  await modal.getByRole("button", { name: "Revoca l'abilitazione" }).click();
  await expect(referente.getByRole("status")).toContainText("Abilitazione revocata");
  await expect(referente.getByRole("row", { name: /Pellegrini Tommaso/ }).first()).toContainText("Revocata");

  // The operator's open session stops working at the very next request.
  await operator.goto("/pratiche");
  await expect(operator).toHaveURL(/\/accedi\?redirectTo=%2Fpratiche$/);

  // The person's page tells the whole story.
  await referente.getByRole("link", { name: "Pellegrini Tommaso" }).first().click();
  const timeline = referente.getByTestId("timeline");
  for (const step of ["Richiesta di abilitazione inviata", "Richiesta approvata", "Abilitazione attivata", "Abilitazione revocata"])
    await expect(timeline).toContainText(step);
  await signOut(referente);
});
