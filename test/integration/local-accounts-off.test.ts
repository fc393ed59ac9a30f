import { count } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as signIn from "~/routes/accedi";
import * as adminPage from "~/routes/admin.account-locali";
import * as enrolPage from "~/routes/accesso-locale.attiva-otp";
import * as codePage from "~/routes/accesso-locale.codice";
import * as signInPage from "~/routes/accesso-locale.accedi";
import * as registerPage from "~/routes/accesso-locale.registrazione";
import * as securityPage from "~/routes/accesso-locale.sicurezza";
import * as verifyPage from "~/routes/accesso-locale.verifica";
import { getDb } from "~db/client";
import { localAccounts, mailOutbox, users } from "~db/schema";
import { statusOf } from "../support/actors";

// LOCAL_ACCOUNTS is not set in this file: the default must be "no local accounts at all".
describe("local accounts when LOCAL_ACCOUNTS is off (the default)", () => {
  it("every page and action answers 404 and registration writes nothing", async () => {
    expect(process.env.LOCAL_ACCOUNTS).toBeUndefined();
    const rows = async () => [
      (await getDb().select({ n: count() }).from(users))[0]!.n,
      (await getDb().select({ n: count() }).from(localAccounts))[0]!.n,
      (await getDb().select({ n: count() }).from(mailOutbox))[0]!.n,
    ];
    const before = await rows();
    const form = { csrf: "x", name: "Sofia", surname: "Locale", fiscalCode: "RSSMRA80A01H501U", email: "off@example.it", password: "tre gatti sul tetto di Ancona", passwordConfirm: "tre gatti sul tetto di Ancona" };
    const pages = [
      [registerPage, "/accesso-locale/registrazione"],
      [verifyPage, "/accesso-locale/verifica?t=abc"],
      [signInPage, "/accesso-locale/accedi"],
      [enrolPage, "/accesso-locale/attiva-otp"],
      [codePage, "/accesso-locale/codice"],
      [securityPage, "/accesso-locale/sicurezza"],
      [adminPage, "/admin/account-locali"],
    ] as const;
    for (const [page, path] of pages) {
      expect((await statusOf(page.loader, { path })).status, path).toBe(404);
      expect((await statusOf(page.action, { path, form })).status, path).toBe(404);
    }
    expect(await rows()).toEqual(before);
    const accedi = await statusOf(signIn.loader, { path: "/accedi" });
    expect(accedi.data).toMatchObject({ localAccounts: false });
  });
});
