import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { invisibleFields, seriousViolations } from "./axe";
import { signInAs } from "./helpers";

/**
 * Every role walks every page it can reach from the menu, plus one page of each kind linked from
 * there (a practice, an upload, a gestore…): axe-core finds no serious or critical violation,
 * every form field is visible, the phone layout never scrolls sideways, and the title carries
 * the site's name. With E2E_SHOTS=<folder> it also saves a desktop and a 390 px screenshot of each.
 */
const SHOTS = process.env.E2E_SHOTS;
const ROLES = ["Giulia", "Marco", "Laura", "Paolo", "Anna", "Chiara", "Elena", "Franco", "Sara", "Sofia", "Silvia"];
/** Pages deeper than one link from the menu, checked too. */
const EXTRA: Record<string, string[]> = {
  Marco: ["/enti/01234567897/sftp"],
  Giulia: ["/istruzioni/verifica-file"],
  Anna: ["/admin/faq", "/admin/territori", "/admin/visibilita"],
  Franco: ["/abilitazioni/elenco"],
  Sofia: ["/assistenza", "/assistenza/richieste", "/area-personale/contatto"],
};
/** Pages found whose own links are followed too, level after level (the form-model pages sit under /admin/moduli). */
const FOLLOW: Record<string, RegExp> = { Anna: /^\/admin\/(moduli|procedimenti\/[0-9a-f-]{36}\/modulo)/ };
/** What following must reach, so that a renamed link cannot quietly drop those pages. */
const REACHED: Record<string, string[]> = { Anna: ["/admin/moduli/:id/anteprima", "/admin/procedimenti/:id/instradamento", "/admin/procedimenti/:id/modulo"] };
const SKIP = /\.(csv|pdf|json|txt)(\?|$)|\/file$|\/esporta|\/dati-anonimi|\/auth\/|\/documenti\/|\/test-idp|\/api\/|^mailto:|#/;
/** Pages of the same kind differ by an id: one of each is enough. */
const kind = (url: string) => url.replace(/\?.*$/, "").replace(/\/[0-9a-f-]{36}|\/\d+|\/[A-Z0-9]{11,16}(?=\/|$)/g, "/:id").replace(/\/campi\/[^/]+/, "/campi/:key");

async function pagesOf(page: Page, follow?: RegExp) {
  const menu = await page.locator('nav[aria-label="Navigazione principale"] a[href^="/"]').evaluateAll((as) => as.map((a) => a.getAttribute("href")!));
  const seen = new Map<string, string>();
  for (const href of menu) if (!SKIP.test(href)) seen.set(kind(href), href);
  const expand = async (href: string) => {
    await page.goto(href);
    const links = await page.locator('main a[href^="/"]').evaluateAll((as) => as.map((a) => a.getAttribute("href")!));
    const found = links.filter((l) => !SKIP.test(l) && !seen.has(kind(l)));
    for (const l of found) seen.set(kind(l), l);
    return found;
  };
  let next: string[] = [];
  for (const href of [...seen.values()]) next.push(...(await expand(href)));
  while (follow && (next = next.filter((l) => follow.test(l))).length) {
    const level = next;
    next = [];
    for (const href of level) next.push(...(await expand(href)));
  }
  return [...seen.values()];
}

async function check(page: Page, who: string, url: string, problems: string[]) {
  const response = await page.goto(url);
  const status = response?.status() ?? 0;
  if (status >= 500) problems.push(`${who} ${url}: HTTP ${status}`);
  for (const v of await seriousViolations(page)) problems.push(`${who} ${url}: ${v}`);
  for (const f of await invisibleFields(page)) problems.push(`${who} ${url}: campo senza bordo ${f}`);
  const title = await page.title();
  if (!/ — Monitoraggio pratiche$/.test(title) && title !== "Monitoraggio pratiche") problems.push(`${who} ${url}: titolo «${title}» senza il nome del sito`);
  const name = `${who}-${url.replace(/[^a-z0-9]+/gi, "_").slice(0, 80)}`;
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}-desktop.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(url);
  const sideways = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (sideways > 1) problems.push(`${who} ${url}: a 390 px la pagina scorre di lato (${sideways} px)`);
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}-390.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
}

test.describe.configure({ mode: "serial" });
test.setTimeout(600_000);

test.beforeAll(() => {
  if (SHOTS) fs.mkdirSync(SHOTS, { recursive: true });
});

test("every public page passes: accessibility, visible fields, phone layout, titles", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const problems: string[] = [];
  await page.goto("/");
  for (const url of [...(await pagesOf(page)), "/", "/accedi", "/accessibilita", "/istruzioni/formato-flusso", "/istruzioni/verifica-file", "/istruzioni/domande-frequenti", "/procedimenti?q=spid", "/accesso-locale/registrazione", "/accesso-locale/accedi"]) await check(page, "pubblico", url, problems);
  expect(problems).toEqual([]);
});

for (const who of ROLES) {
  test(`every page ${who} can open passes: accessibility, visible fields, phone layout, titles`, async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await signInAs(page, who);
    const problems: string[] = [];
    const urls = await pagesOf(page, FOLLOW[who]);
    expect(urls.length).toBeGreaterThan(3);
    for (const k of REACHED[who] ?? []) expect(urls.map(kind)).toContain(k);
    for (const url of ["/", ...urls, ...(EXTRA[who] ?? [])]) await check(page, who, url, problems);
    expect(problems).toEqual([]);
  });
}

test("a missing page is an Italian 404 inside the site's header and footer", async ({ page }) => {
  const response = await page.goto("/pagina-che-non-esiste");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Pagina non trovata");
  await expect(page.getByText("No route matches")).toHaveCount(0);
  await expect(page.getByText("La pagina richiesta non esiste o è stata spostata.")).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Navigazione principale" })).toBeAttached();
  await expect(page.locator("footer")).toContainText("Dichiarazione di accessibilità");
  expect(await page.title()).toBe("Pagina non trovata — Monitoraggio pratiche");
  expect(await seriousViolations(page)).toEqual([]);
});

test("on a phone the menu is behind a menu button, with and without JavaScript", async ({ browser }) => {
  for (const javaScriptEnabled of [true, false]) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled });
    const page = await context.newPage();
    await page.goto("/");
    const nav = page.getByRole("navigation", { name: "Navigazione principale" });
    await expect(nav.getByRole("link", { name: "Procedimenti" })).toBeHidden();
    await nav.getByRole("button", { name: "Menu" }).click();
    await expect(nav.getByRole("link", { name: "Procedimenti" })).toBeVisible();
    await nav.getByRole("link", { name: "Procedimenti" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(/Procedimenti|Catalogo/);
    await context.close();
  }
});

test("the header groups an administrator's pages in dropdowns; the reserved area has breadcrumbs", async ({ page }) => {
  await signInAs(page, "Anna");
  const nav = page.getByRole("navigation", { name: "Navigazione principale" });
  const top = await nav.locator(".navbar-nav > li").count();
  expect(top).toBeLessThanOrEqual(8);
  await nav.getByRole("button", { name: "Accessi" }).click();
  await nav.getByRole("link", { name: "Registro accessi" }).click();
  const crumbs = page.getByRole("navigation", { name: "Percorso" });
  await expect(crumbs.getByRole("link", { name: "Home" })).toBeVisible();
  await expect(crumbs).toContainText("Registro accessi");
  await expect(page.locator(":focus")).toHaveText("Registro accessi");
});

test("revocation asks in a modal that also works without JavaScript, as a confirmation box", async ({ browser }) => {
  const withScript = await browser.newPage();
  await signInAs(withScript, "Giulia");
  await withScript.goto("/token-api");
  await withScript.getByLabel("Descrizione (facoltativa)").fill("senza script");
  await withScript.getByRole("button", { name: "Crea token" }).click();
  await expect(withScript.getByTestId("new-token")).toBeVisible();
  const context = await browser.newContext({ javaScriptEnabled: false, storageState: await withScript.context().storageState() });
  const page = await context.newPage();
  await page.goto("/token-api");
  const row = page.getByRole("row", { name: /senza script/ });
  await row.getByRole("button", { name: /^Revoca il token/ }).click();
  const modal = page.getByRole("dialog", { name: "Revocare il token?" });
  await expect(modal).toBeVisible();
  await modal.getByRole("button", { name: "Revoca il token" }).click();
  await expect(page.getByRole("row", { name: /senza script/ })).toContainText("Revocato");
  await context.close();
});
