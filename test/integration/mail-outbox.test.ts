import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverMail } from "~/mail/deliver.server";
import { queueMail } from "~/mail/outbox.server";
import { TemplateError } from "~/mail/render.server";
import { getSql } from "~db/client";
import { startSmtpServer } from "../support/smtp";

// The SMTP server must be known before the configuration is first read.
const smtp = await startSmtpServer();
process.env.SMTP_URL = smtp.url;
process.env.MAIL_FROM = "piattaforma@regione.example.it";
afterAll(() => smtp.close());

const outbox = (id: string) => getSql()<{ state: string; attempts: number; last_error: string | null; message_id: string | null }[]>`
  select state, attempts, last_error, message_id from mail_outbox where id = ${id}`.then((r) => r[0]!);
const count = () => getSql()<{ n: number }[]>`select count(*)::int as n from mail_outbox`.then((r) => r[0]!.n);

describe("mail outbox", () => {
  beforeAll(async () => {
    await getSql()`delete from mail_outbox`;
  });

  it("queues a rendered message in the caller's transaction, HTML-escaped", async () => {
    const queued = await getSql().begin((tx) => queueMail(tx, { to: "a@example.it", template: "test-message", data: { name: "Ada <b>", platform: "Demo" } }));
    const [row] = await getSql()<{ subject: string; html: string; text: string; state: string }[]>`select subject, html, text, state from mail_outbox where id = ${queued!.id}`;
    expect(row!.state).toBe("queued");
    expect(row!.subject).toBe("Messaggio di prova per Ada <b>");
    expect(row!.html).toContain("Gentile Ada &lt;b&gt;,");
    expect(row!.text).toContain("Gentile Ada <b>,");
  });

  it("writes nothing when the transaction that caused the mail rolls back", async () => {
    const before = await count();
    await expect(
      getSql().begin(async (tx) => {
        await queueMail(tx, { to: "b@example.it", template: "test-message", data: { name: "B", platform: "Demo" } });
        throw new Error("the event failed");
      }),
    ).rejects.toThrow("the event failed");
    expect(await count()).toBe(before);
  });

  it("refuses a template with a missing variable or an unknown template, writing nothing", async () => {
    const before = await count();
    await expect(getSql().begin((tx) => queueMail(tx, { to: "c@example.it", template: "test-message", data: { name: "C" } }))).rejects.toThrow(TemplateError);
    await expect(getSql().begin((tx) => queueMail(tx, { to: "c@example.it", template: "non-esiste", data: {} }))).rejects.toThrow(/manca subject.hbs/);
    await expect(getSql().begin((tx) => queueMail(tx, { to: "c@example.it", template: "../segreti", data: {} }))).rejects.toThrow(/non valido/);
    expect(await count()).toBe(before);
  });

  it("queues a message with a dedupe key once", async () => {
    const mail = { to: "d@example.it", template: "test-message", data: { name: "D", platform: "Demo" }, dedupeKey: "test:d:1" };
    const first = await getSql().begin((tx) => queueMail(tx, mail));
    const second = await getSql().begin((tx) => queueMail(tx, mail));
    expect(first).not.toBeNull();
    expect(second).toBeNull();
    const [{ n }] = await getSql()<{ n: number }[]>`select count(*)::int as n from mail_outbox where dedupe_key = 'test:d:1'`;
    expect(n).toBe(1);
  });

  it("delivers through SMTP with the outbox id as Message-ID, once even if delivered twice", async () => {
    const queued = await getSql().begin((tx) => queueMail(tx, { to: "e@example.it", template: "test-message", data: { name: "Elena", platform: "Demo" } }));
    await deliverMail(queued!.id);
    await deliverMail(queued!.id);
    const mine = smtp.received.filter((m) => m.to.includes("e@example.it"));
    expect(mine).toHaveLength(1);
    expect(mine[0]!.from).toBe("piattaforma@regione.example.it");
    expect(mine[0]!.raw).toContain(`Message-ID: <${queued!.id}@localhost>`);
    expect(mine[0]!.raw).toMatch(/Subject: Messaggio di prova per Elena/);
    const row = await outbox(queued!.id);
    expect(row.state).toBe("sent");
    expect(row.attempts).toBe(1);
  });
});
