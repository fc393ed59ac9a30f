import { execFile } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { getSql } from "~db/client";
import { seedDemo } from "../support/actors";

/** Runs the real command line against this file's database. */
function admin(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["--import", "tsx", "app/bin/admin.ts", ...args], { env: { ...process.env } }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

const measure = async () =>
  (await getSql()<Record<string, unknown>[]>`
    select obligation_cadence, obligation_day, obligation_starts_on::text, obligation_ends_on::text, reminder_every_days,
           escalate_after_reminders, max_days_istruttoria, max_days_sospesa, (select code from org_units o where o.id = m.org_unit_id) as org_unit
    from measures m where code = 'INNOVA-PMI'`)[0]!;

beforeAll(seedDemo);

describe("obligation commands", () => {
  it("sets a measure's obligation, reminders, limits and org unit", async () => {
    const result = await admin(
      "measure:obligation", "--code", "INNOVA-PMI", "--cadence", "monthly", "--day", "20", "--starts-on", "2026-01-01",
      "--reminder-every", "5", "--escalate-after", "2", "--max-istruttoria", "90", "--max-sospesa", "60", "--org-unit", "DIR-SVILUPPO",
    );
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain("Obbligo di invio della misura INNOVA-PMI: mensile, entro il giorno 20 del mese successivo dal 2026-01-01");
    expect(await measure()).toEqual({
      obligation_cadence: "monthly",
      obligation_day: 20,
      obligation_starts_on: "2026-01-01",
      obligation_ends_on: null,
      reminder_every_days: 5,
      escalate_after_reminders: 2,
      max_days_istruttoria: 90,
      max_days_sospesa: 60,
      org_unit: "DIR-SVILUPPO",
    });
  });

  it("refuses a bad day in Italian and changes nothing", async () => {
    const before = await measure();
    const result = await admin("measure:obligation", "--code", "INNOVA-PMI", "--cadence", "monthly", "--day", "dieci", "--starts-on", "2026-01-01");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Errore: day: giorno: indicare un numero");
    expect(await measure()).toEqual(before);
  });

  it("adds an extra holiday and refuses it twice", async () => {
    expect((await admin("holiday:add", "--date", "05-04", "--name", "San Ciriaco")).stdout).toContain("Festività registrata: San Ciriaco");
    const again = await admin("holiday:add", "--date", "05-04", "--name", "Altro");
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("Festività già registrata per questa data: San Ciriaco");
    const rows = await getSql()`select name from extra_holidays`;
    expect(rows.map((r) => r.name)).toEqual(["San Ciriaco"]);
  });
});
