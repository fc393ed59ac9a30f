import { afterAll, describe, expect, it } from "vitest";
import { MAX_MAIL_ATTEMPTS, deliverMail } from "~/mail/deliver.server";
import { queueMail } from "~/mail/outbox.server";
import { getSql } from "~db/client";
import { startSmtpServer } from "../support/smtp";

// A relay that refuses every recipient, known before the configuration is first read.
const refusing = await startSmtpServer({ refuse: true });
process.env.SMTP_URL = refusing.url;
afterAll(() => refusing.close());

describe("mail delivery failures", () => {
  it("records each refused attempt and marks the message failed after the last", async () => {
    const queued = await getSql().begin((tx) => queueMail(tx, { to: "f@example.it", template: "test-message", data: { name: "F", platform: "Demo" } }));
    const row = async () =>
      (await getSql()<{ state: string; attempts: number; last_error: string | null }[]>`select state, attempts, last_error from mail_outbox where id = ${queued!.id}`)[0]!;
    await expect(deliverMail(queued!.id)).rejects.toThrow(/550/);
    expect(await row()).toMatchObject({ state: "queued", attempts: 1 });
    expect((await row()).last_error).toMatch(/550/);
    for (let i = 2; i < MAX_MAIL_ATTEMPTS; i++) await expect(deliverMail(queued!.id)).rejects.toThrow(/550/);
    // The last attempt marks the message failed instead of asking for another retry.
    await deliverMail(queued!.id);
    expect(await row()).toMatchObject({ state: "failed", attempts: MAX_MAIL_ATTEMPTS });
    expect(refusing.received).toHaveLength(0);
  });
});
