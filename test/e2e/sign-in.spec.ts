import { expect, test } from "@playwright/test";
import { openFromMenu, seriousViolations, signInAs, signOut } from "./helpers";

const ROLES = [
  { first: "Giulia", role: "Operatore ente gestore", nav: ["Enti gestori", "Token API"], hidden: ["Registro accessi"] },
  { first: "Marco", role: "Referente ente gestore", nav: ["Enti gestori", "Token API"], hidden: ["Registro accessi"] },
  { first: "Laura", role: "Funzionario", nav: ["Enti gestori"], hidden: ["Token API", "Registro accessi"] },
  { first: "Paolo", role: "Dirigente", nav: ["Enti gestori"], hidden: ["Token API", "Registro accessi"] },
  { first: "Anna", role: "Amministratore", nav: ["Enti gestori", "Token API", "Registro accessi"], hidden: [] },
];

for (const r of ROLES) {
  test(`${r.first} signs in as ${r.role} and sees only what the role may use`, async ({ page }) => {
    await signInAs(page, r.first);
    await expect(page.getByTestId("signed-in-as")).toContainText(r.role);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Ti diamo il benvenuto, ${r.first}`);
    const nav = page.getByRole("navigation", { name: "Navigazione principale" });
    for (const label of r.nav) await expect(nav.getByRole("link", { name: label, includeHidden: true })).toBeAttached();
    for (const label of r.hidden) await expect(nav.getByRole("link", { name: label, includeHidden: true })).toHaveCount(0);
    await signOut(page);
  });
}

test("a person without access who asks for an office page sees how to request it, and nothing else", async ({ page }) => {
  await signInAs(page, "Luca", "/enti");
  await expect(page).toHaveURL(/\/accesso-negato$/);
  await expect(page.getByRole("heading", { name: "Non sei abilitato ad accedere" })).toBeVisible();
  // Signed in as an applicant (issue 15): the public pages and the applicant's own area only.
  // Area personale, Click day and their own help-desk requests share the "Pratiche" group, a dropdown.
  const nav = page.getByRole("navigation", { name: "Navigazione principale" });
  await expect(nav.getByRole("link")).toHaveText(["Home", "Procedimenti", "Istruzioni"]);
  await nav.getByRole("button", { name: "Pratiche" }).click();
  await expect(nav.getByRole("link")).toHaveText(["Home", "Area personale", "Click day", "Le mie richieste di assistenza", "Procedimenti", "Istruzioni"]);
  await page.goto("/enti");
  await expect(page).toHaveURL(/\/accesso-negato$/);
  await expect(page.getByText("Fidi Adriatico")).toHaveCount(0);
});

test("sign-in returns to the page first asked for", async ({ page }) => {
  await signInAs(page, "Laura", "/enti");
  await expect(page).toHaveURL(/\/enti$/);
  await expect(page.getByRole("heading", { name: "Enti gestori" })).toBeVisible();
});

test("a gestore operator cannot open another gestore's page", async ({ page }) => {
  await signInAs(page, "Giulia");
  await page.goto("/enti");
  await expect(page.getByRole("row")).toHaveCount(2);
  const response = await page.goto("/enti/02345678904");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "Accesso non consentito" })).toBeVisible();
  await expect(page.getByText("Fidi Adriatico")).toHaveCount(0);
  const own = await page.goto("/enti/01234567897");
  expect(own?.status()).toBe(200);
  await expect(page.getByRole("heading", { name: "Confidi Demo Marche" })).toBeVisible();
});

test("an administrator browses the audit log, filters it and exports it as CSV", async ({ page }) => {
  await signInAs(page, "Anna");
  await openFromMenu(page, "Registro accessi");
  await page.getByLabel("Azione", { exact: true }).selectOption({ label: "Accesso" });
  await page.getByRole("button", { name: "Filtra" }).click();
  await expect(page).toHaveURL(/action=auth.signin/);
  const rows = page.getByRole("row");
  // Words, not codes: the action, the role.
  await expect(rows.nth(1)).toContainText("Accesso");
  await expect(rows.nth(1)).toContainText("Amministratore");
  await expect(page.getByRole("table")).not.toContainText("auth.signin");
  await expect(page.getByRole("table")).not.toContainText("amministratore");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Esporta CSV" }).click()]);
  const csv = await (await download.createReadStream())!.toArray();
  const text = Buffer.concat(csv).toString("utf8");
  expect(text.startsWith("\uFEFFNumero;Data e ora;Codice fiscale di chi ha agito;Ruolo;Azione;Codice azione")).toBe(true);
  // Words for people (role, action, outcome, dd/mm/yyyy), the action's code kept for filtering.
  expect(text).toMatch(/;\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2};[A-Z0-9]{16};Amministratore;Accesso;auth\.signin;/);
  expect(text).toContain(";Riuscita;");
  expect(text).not.toContain("gestore.create");
});

test("an operator creates an API token, sees it once, and can revoke it", async ({ page }) => {
  await signInAs(page, "Giulia");
  await page.goto("/token-api");
  await page.getByLabel("Descrizione (facoltativa)").fill("gestionale e2e");
  await page.getByRole("button", { name: "Crea token" }).click();
  const token = await page.getByTestId("new-token").textContent();
  await expect(page.getByRole("button", { name: "Copia il token" })).toBeVisible();
  expect(token).toMatch(/^gp_/);
  const api = await page.request.get("/api/v1/gestori/01234567897", { headers: { Authorization: `Bearer ${token}` } });
  expect(api.status()).toBe(200);
  const other = await page.request.get("/api/v1/gestori/02345678904", { headers: { Authorization: `Bearer ${token}` } });
  expect(other.status()).toBe(403);
  await page.reload();
  await expect(page.getByTestId("new-token")).toHaveCount(0);
  await page.getByRole("row", { name: /gestionale e2e/ }).getByRole("button", { name: /^Revoca il token/ }).click();
  await page.getByRole("dialog", { name: "Revocare il token?" }).getByRole("button", { name: "Revoca il token" }).click();
  await expect(page.getByRole("row", { name: /gestionale e2e/ })).toContainText("Revocato");
  const after = await page.request.get("/api/v1/gestori/01234567897", { headers: { Authorization: `Bearer ${token}` } });
  expect(after.status()).toBe(401);
});

test("cancelling at the identity provider shows the SPID message and a way to try again", async ({ page }) => {
  await page.goto("/accedi");
  await page.getByRole("link", { name: "Entra con SPID o CIE" }).click();
  await page.getByRole("button", { name: "Annulla l'accesso" }).click();
  await page.waitForURL((u) => u.pathname === "/auth/saml/acs");
  await expect(page.getByRole("heading", { level: 1, name: "Accesso non riuscito" })).toBeVisible();
  await expect(page.getByRole("alert")).toHaveText("Processo di autenticazione annullato dall'utente.");
  await expect(page.getByText("Codice di errore SPID: 25")).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: "/tmp/issue-21-anomaly-phone.png", fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: "/tmp/issue-21-anomaly-desktop.png", fullPage: true });
  // Trying again starts a new sign-in that can succeed.
  await page.getByRole("link", { name: "Riprova ad accedere" }).click();
  await page.getByRole("button", { name: "Entra come Anna" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/test-idp") && !u.pathname.startsWith("/auth/"));
  await expect(page.getByRole("button", { name: "Esci" })).toBeVisible();
});
