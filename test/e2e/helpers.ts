import { expect, type Page } from "@playwright/test";

/** Signs in through the whole SAML path: our AuthnRequest, the built-in test IdP, the ACS. */
export async function signInAs(page: Page, firstName: string, startAt = "/") {
  await page.goto(startAt);
  if (!page.url().includes("/accedi")) await page.getByRole("link", { name: "Accedi", exact: true }).first().click();
  await page.getByRole("link", { name: "Entra con SPID o CIE" }).click();
  await expect(page.getByRole("heading", { name: "Accesso di prova (SPID/CIE simulato)" })).toBeVisible();
  await page.getByRole("button", { name: `Entra come ${firstName}` }).click();
  // The IdP page posts the signed response on by itself; wait until we are back in the app.
  await page.waitForURL((u) => !u.pathname.startsWith("/test-idp") && !u.pathname.startsWith("/auth/"));
  await page.waitForLoadState("networkidle");
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Esci" }).click();
  await expect(page.getByRole("link", { name: "Accedi", exact: true }).first()).toBeVisible();
}
