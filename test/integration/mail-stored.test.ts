import { describe, expect, it } from "vitest";
import { deliverMail } from "~/mail/deliver.server";
import { queueMail } from "~/mail/outbox.server";
import { getSql } from "~db/client";

// No SMTP_URL: the embedded default, where the outbox is the only destination.
describe("mail without an SMTP server", () => {
  it("marks the message stored, readable in the outbox", async () => {
    delete process.env.SMTP_URL;
    const queued = await getSql().begin((tx) => queueMail(tx, { to: "g@example.it", template: "test-message", data: { name: "G", platform: "Demo" } }));
    await deliverMail(queued!.id);
    const [row] = await getSql()<{ state: string; sent_at: Date | null }[]>`select state, sent_at from mail_outbox where id = ${queued!.id}`;
    expect(row!.state).toBe("stored");
    expect(row!.sent_at).not.toBeNull();
  });
});
