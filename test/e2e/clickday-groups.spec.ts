import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { desktopAndPhoneShots, openFromMenu, seriousViolations, signInAs } from "./helpers";

/**
 * Issue 16, ADR 120 in Chromium: Anna splits a click day's quota per province (a wrong sum is
 * refused beside its field, nothing created); Laura reads a ranking per province with each
 * province's quota line. axe on each page, desktop and 390 px.
 */
const db = () => postgres(`postgres://postgres:postgres@127.0.0.1:${Number(process.env.E2E_PG_PORT ?? 54398)}/gestpratiche`, { max: 1, onnotice: () => {} });

test("Anna splits a click day's quota per province; a wrong sum is refused and nothing is created", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signInAs(page, "Anna");
  await openFromMenu(page, "Configurazione");
  await page.getByRole("main").getByRole("link", { name: "Click day", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Click day");
  const year = new Date().getFullYear() + 1;
  await page.getByLabel("Procedimento").selectOption({ label: "Contributo per nuove assunzioni 2026" });
  await page.getByLabel(/^Nome/).fill("Finestra per provincia e2e");
  await page.getByLabel("Apertura (ora italiana, al secondo)").fill(`${year}-04-02T09:00:00`);
  await page.getByLabel("Quota (domande in graduatoria utile)").fill("10");
  await page.getByLabel("Ripartizione", { exact: true }).selectOption({ label: "Per provincia (del comune indicato in un campo del modulo)" });
  await page.getByLabel("Campo della ripartizione").fill("comuneSede");
  await page.getByLabel("Quote per gruppo").fill("RM: 6\nLT: 3");
  await page.getByRole("button", { name: "Crea il click day" }).click();
  await expect(page.getByTestId("error-groupQuotas")).toHaveText("Quote per gruppo: la somma (9) deve essere uguale alla quota (10)");
  await expect(page.getByRole("cell", { name: "Finestra per provincia e2e" })).toHaveCount(0);
  expect(await seriousViolations(page)).toEqual([]);
  await desktopAndPhoneShots(page, "admin-click-day-quote-errore");
  await page.getByLabel("Quote per gruppo").fill("RM: 7\nLT: 3");
  await page.getByRole("button", { name: "Crea il click day" }).click();
  await expect(page.getByRole("status")).toHaveText("Click day creato.");
  await expect(page.getByRole("row", { name: /Finestra per provincia e2e/ })).toContainText("Per provincia (comuneSede)");
  expect(await seriousViolations(page)).toEqual([]);
});

test("Laura reads a ranking per province with each province's quota line; Sofia reads her rank in her province", async ({ page, browser }) => {
  // Two sent demo applications ranked at a click day already open (the sending itself is clickday.spec.ts).
  const sql = db();
  const [procedure] = await sql`select id from procedures where title = 'Contributo per nuove assunzioni 2026'`;
  const sent = await sql`select id, applicant_user_id, number from applications where procedure_id = ${procedure!.id} and number is not null order by number limit 2`;
  expect(sent).toHaveLength(2);
  const [day] = await sql`
    insert into click_days (procedure_id, label, opens_at, quota, last_rank, group_by, group_field, group_quotas, group_last_ranks)
    values (${procedure!.id}, 'Click day per provincia e2e', date_trunc('second', now()) - interval '1 hour', 2, 2, 'province', 'comuneSede', '{"RM": 1, "LT": 1}', '{"RM": 2}')
    returning id`;
  for (const [i, a] of sent.entries())
    // Acknowledged with their numbers and completed (ADR 64), as the completion job leaves them.
    await sql`insert into click_day_entries (application_id, click_day_id, applicant_user_id, ready_at, rank, received_at, within_quota, group_key, group_rank, number, completed_at)
              values (${a.id}, ${day!.id}, ${a.applicant_user_id}, now() - interval '2 hours', ${i + 1}, now() - interval '1 hour' + make_interval(secs => ${i}), ${i === 0}, 'RM', ${i + 1}, ${a.number}, now())`;
  await sql.end();

  await page.setViewportSize({ width: 1280, height: 800 });
  await signInAs(page, "Laura");
  await openFromMenu(page, "Graduatorie click day");
  await page.getByRole("link", { name: "Click day per provincia e2e" }).click();
  const quotas = page.getByRole("table", { name: "Quote per provincia" });
  // Province, quota, received, in quota, fuori quota.
  await expect(quotas.getByRole("row", { name: /^LT/ })).toHaveText(/^\s*LT\s*1\s*0\s*0\s*0\s*$/);
  await expect(quotas.getByRole("row", { name: /^RM/ })).toHaveText(/^\s*RM\s*1\s*2\s*1\s*1\s*$/);
  await expect(page.getByRole("heading", { name: "RM: quota 1, ricevute 2" })).toBeVisible();
  await expect(page.getByTestId("quota-line")).toHaveCount(1);
  expect(await seriousViolations(page)).toEqual([]);
  await desktopAndPhoneShots(page, "graduatoria-per-provincia");
  const csv = await (await page.request.get((await page.getByRole("link", { name: "Esporta la graduatoria (CSV)" }).getAttribute("href")) ?? "")).text();
  expect(csv).toMatch(/^\uFEFFPosizione;Provincia;Posizione nel gruppo;Numero;Richiedente;Codice fiscale;Ricevuta il;Esito\r?\n1;RM;1;DOM-\d{4}-\d{6};[^;]+;[A-Z0-9]{16};[^;]+;In quota\r?\n2;RM;2;/);

  const sofia = await (await browser.newContext()).newPage();
  await sofia.setViewportSize({ width: 1280, height: 800 });
  await signInAs(sofia, "Sofia");
  await sofia.goto(`/click-day/${day!.id}`);
  await expect(sofia.getByText("quota: 2 domande (per provincia: LT 1, RM 1)")).toBeVisible();
  await expect(sofia.getByTestId("group-rank")).toHaveCount(2);
  expect((await sofia.getByTestId("group-rank").allTextContents()).sort()).toEqual(["RM: posizione 1 nel gruppo", "RM: posizione 2 nel gruppo"]);
  expect(await seriousViolations(sofia)).toEqual([]);
  await desktopAndPhoneShots(sofia, "clickday-inviata-per-provincia");
});
