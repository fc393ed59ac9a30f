import fs from "node:fs";
import path from "node:path";
import { expect, type Browser, type Page } from "@playwright/test";

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

const AXE = fs.readFileSync(path.resolve("node_modules/axe-core/axe.min.js"), "utf8");

type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] };

/** Runs axe-core in the page (WCAG 2.1 A/AA rules) and returns the serious and critical violations. */
export async function seriousViolations(page: Page) {
  await page.addScriptTag({ content: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[]; passes: unknown[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    if (result.passes.length === 0) throw new Error("axe-core checked nothing");
    return result.violations;
  });
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** Opens a page from the header menu, opening its group's dropdown first when the link is inside one. */
export async function openFromMenu(page: Page, label: string) {
  const nav = page.getByRole("navigation", { name: "Navigazione principale" });
  const link = nav.getByRole("link", { name: label, exact: true });
  if (!(await link.isVisible())) {
    const toggler = nav.getByRole("button", { name: "Menu" });
    if (await toggler.isVisible()) await toggler.click();
  }
  if (!(await link.isVisible())) {
    // A closed dropdown's links are not in the accessibility tree: find the group by its markup.
    const exact = new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*$`);
    await nav.locator("li.dropdown").filter({ has: page.locator("a", { hasText: exact }) }).locator("> button").click();
  }
  await link.click();
}

/** An administrator opens the newest mail of a template to an address in Posta inviata and returns its text. */
export async function mailTextFromOutbox(browser: Browser, template: string, to: string) {
  const page = await browser.newPage();
  await signInAs(page, "Anna");
  await page.goto("/admin/posta");
  await page.getByLabel("Modello").selectOption(template);
  await page.getByLabel("Destinatario (contiene)").fill(to);
  await page.getByRole("button", { name: "Filtra" }).click();
  await page.getByRole("table").locator("tbody tr").first().getByRole("link").click();
  const text = await page.getByTestId("mail-text").innerText();
  await page.close();
  return text;
}

/**
 * With E2E_SHOTS=<folder>, a desktop and a 390 px screenshot of the page; at 390 px the page must
 * not scroll sideways either way.
 */
export async function desktopAndPhoneShots(page: Page, name: string) {
  const shots = process.env.E2E_SHOTS;
  if (!shots) return;
  fs.mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: `${shots}/${name}-desktop.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `${shots}/${name}-390.png`, fullPage: true });
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(1);
  await page.setViewportSize({ width: 1280, height: 800 });
}
