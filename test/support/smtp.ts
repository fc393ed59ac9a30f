import { SMTPServer } from "smtp-server";
import { freePort } from "./free-port";

export type Received = { from: string; to: string[]; raw: string };

/**
 * A real SMTP server in this process (the `smtp-server` package), on loopback. `refuse` makes
 * it answer every recipient with a permanent error, as a misconfigured relay would.
 */
export async function startSmtpServer(opts: { refuse?: boolean } = {}) {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(address, _session, cb) {
      if (opts.refuse) return cb(Object.assign(new Error("Destinatario rifiutato"), { responseCode: 550 }));
      cb();
    },
    onData(stream, session, cb) {
      const parts: Buffer[] = [];
      stream.on("data", (b: Buffer) => parts.push(b));
      stream.on("end", () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(parts).toString("utf8"),
        });
        cb();
      });
    },
  });
  // A client killed mid-session (a worker stopped) resets its connection: not this server's failure.
  server.on("error", () => {});
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
