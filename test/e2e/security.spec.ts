import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { openFromMenu, signInAs } from "./helpers";

// This spec runs with the Content-Security-Policy enforced, as every real browser does.
test.use({ bypassCSP: false });

const AXE = fs.readFileSync(path.resolve("node_modules/axe-core/axe.min.js"), "utf8");

/** CSP violations the page reports (the browser logs each one to the console). */
function cspViolations(page: Page) {
  const seen: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) seen.push(m.text());
  });
  return seen;
}

test("a redirect after sign-in that would leave the site is refused, and sign-in stays on this site", async ({ page, baseURL }) => {
  const refused = await page.goto("/auth/login?redirectTo=%2F%09%2Fevil.example%2F");
  expect(refused!.status()).toBe(400);
  await expect(page.getByRole("heading", { name: "Indirizzo non valido" })).toBeVisible();
  expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
  // axe-core through the DevTools protocol: an inline script would be (rightly) blocked here.
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (c: Document, o: object) => Promise<{ violations: { impact: string | null; id: string }[] }> } }).axe;
    const r = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id);
  });
  expect(violations).toEqual([]);

  // The sign-in page hands only same-site paths on: the tab trick falls back to the home page.
  await signInAs(page, "Giulia", "/accedi?redirectTo=%2F%09%2Fevil.example%2F");
  expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
  expect(new URL(page.url()).pathname).toBe("/");
});

test("an inline script injected into a page does not run, while the app's own scripts do", async ({ page }) => {
  const violations = cspViolations(page);
  // Stands for any markup injection: the server's own answer, CSP header included, with a script added.
  await page.route("**/procedimenti", async (route) => {
    const response = await route.fetch();
    const html = (await response.text()).replace("</body>", `<script>window.__injected = "ran";</script></body>`);
    await route.fulfill({ response, body: html });
  });
  await page.goto("/procedimenti");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __injected?: string }).__injected)).toBeUndefined();
  await expect.poll(() => violations.length).toBeGreaterThan(0);
  // Remix's inline scripts carry the nonce: the app hydrated and navigates on the client.
  expect(await page.evaluate(() => typeof (window as unknown as { __remixRouter?: unknown }).__remixRouter)).toBe("object");
});

test("the pages people use raise no CSP violation", async ({ page }) => {
  const violations = cspViolations(page);
  await signInAs(page, "Laura");
  for (const p of ["/monitoraggio", "/pratiche", "/lavorazione", "/caricamenti", "/messaggi"]) {
    await page.goto(p);
    await page.waitForLoadState("networkidle");
  }
  await openFromMenu(page, "Enti gestori");
  await expect(page).toHaveURL(/\/enti$/);
  expect(violations).toEqual([]);
});
