import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { E2E_SFTP_PORT } from "../../playwright.config";
import { seriousViolations } from "./axe";
import { signInAs } from "./helpers";

const GESTORE = "01234567897";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gp-e2e-sftp-"));
const keyFile = path.join(dir, "gestionale");
execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "gestionale-e2e", "-f", keyFile]);

/** Debian's OpenSSH `sftp` in batch mode, as a gestore's software would run it. */
function sftp(username: string, commands: string[]) {
  fs.writeFileSync(path.join(dir, "batch"), `${commands.join("\n")}\n`);
  return spawnSync(
    "sftp",
    ["-b", path.join(dir, "batch"), "-P", String(E2E_SFTP_PORT), "-i", keyFile, "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", `${username}@127.0.0.1`],
    { encoding: "utf8", timeout: 30_000 },
  );
}

test.afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test("the referente creates an SFTP account, the gestore's software sends a file with OpenSSH sftp, the referente revokes it", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signInAs(page, "Marco");
  await page.goto(`/enti/${GESTORE}`);
  const shown = await page.getByTestId("host-fingerprint").textContent();
  // The fingerprint on the page is the one OpenSSH sees on the wire.
  const scanned = execFileSync("sh", ["-c", `ssh-keyscan -t ed25519 -p ${E2E_SFTP_PORT} 127.0.0.1 2>/dev/null | ssh-keygen -lf -`], { encoding: "utf8" });
  expect(scanned).toContain(shown!);
  await page.getByRole("link", { name: "Utenze SFTP e operazioni registrate" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Accesso SFTP");
  await expect(page.getByRole("table", { name: "Utenze SFTP dell'ente" })).toContainText(`g${GESTORE}-01`);
  expect(await seriousViolations(page)).toEqual([]);

  // A key that is not ed25519 or RSA ≥ 3072 is refused next to its field, and nothing is created.
  await page.getByLabel("Titolare (obbligatorio)").selectOption({ label: "Bianchi Giulia" });
  await page.getByLabel("Chiavi pubbliche").fill("ssh-dss AAAAB3NzaC1kc3MAAACBAP");
  await page.getByLabel("Indirizzi IP pubblici statici ammessi").fill("127.0.0.1");
  await page.getByRole("button", { name: "Crea utenza" }).click();
  await expect(page.getByRole("alert")).toContainText("Chiave pubblica non leggibile");
  await expect(page.getByLabel("Chiavi pubbliche")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("table", { name: "Utenze SFTP dell'ente" }).locator("tbody tr")).toHaveCount(1);
  expect(await seriousViolations(page)).toEqual([]);

  await page.getByLabel("Chiavi pubbliche").fill(fs.readFileSync(`${keyFile}.pub`, "utf8"));
  await page.locator("label[for=withPassword]").click();
  await expect(page.getByLabel("Genera anche una password (mostrata una sola volta)")).toBeChecked();
  await page.getByRole("button", { name: "Crea utenza" }).click();
  await expect(page.getByRole("status").filter({ hasText: "creata" })).toContainText(`Utenza g${GESTORE}-02 creata.`);
  await expect(page.getByTestId("new-password")).toHaveText(/^[A-Za-z0-9_-]{24}$/);
  await page.screenshot({ path: "test-results/sftp-accounts-desktop.png", fullPage: true });

  // Another gestore's header: rejected by the ingestion, so no other spec's accepted file is affected.
  const fixture = path.join(dir, "da-gestionale.txt");
  fs.writeFileSync(fixture, fs.readFileSync("test/fixtures/uploads/valid-first.txt", "utf8").replace("T|1|01234567897|30/06/2020|2020-06-A", "T|1|02345678904|30/06/2020|E2E-SFTP"));
  const sent = sftp(`g${GESTORE}-02`, [`put ${fixture} /in/da-gestionale.txt`, "put /etc/hostname /in/../fuori.txt"]);
  expect(sent.stdout).toContain("put");
  expect(sent.stderr).toMatch(/Permission denied/);

  await page.reload();
  const events = page.getByRole("table", { name: "Ultime 50 operazioni SFTP dell'ente" });
  await expect(events).toContainText("/in/da-gestionale.txt");
  await expect(events).toContainText("percorso con «..»");
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(1);
  await page.screenshot({ path: "test-results/sftp-accounts-390.png", fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });

  await page.getByRole("button", { name: `Revoca l'utenza g${GESTORE}-02` }).click();
  const modal = page.getByRole("dialog", { name: "Revocare l'utenza?" });
  await modal.getByRole("button", { name: "Revoca l'utenza" }).click();
  await expect(page.getByRole("status").filter({ hasText: "revocata" })).toContainText(`Utenza g${GESTORE}-02 revocata`);
  const refused = sftp(`g${GESTORE}-02`, ["ls /in"]);
  expect(refused.status).not.toBe(0);
  expect(refused.stderr).toMatch(/Permission denied \(publickey/);
});

test("the SFTP page is the referente's only; an operator turns off the outcome mails on the profile page", async ({ page }) => {
  await signInAs(page, "Giulia");
  const response = await page.goto(`/enti/${GESTORE}/sftp`);
  expect(response?.status()).toBe(403);
  await page.goto("/profilo");
  const box = page.getByLabel("Ricevi per e-mail l'esito di ogni file che invii (sito, API o SFTP)");
  await expect(box).toBeChecked();
  await page.locator("label[for=outcomeMail]").click();
  await page.getByRole("button", { name: "Salva la scelta" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Non riceverai più" })).toBeVisible();
  await expect(box).not.toBeChecked();
  expect(await seriousViolations(page)).toEqual([]);
  await page.locator("label[for=outcomeMail]").click();
  await page.getByRole("button", { name: "Salva la scelta" }).click();
  await expect(box).toBeChecked();
});
