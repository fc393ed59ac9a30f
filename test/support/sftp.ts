import net from "node:net";

/** A TCP connection to the SFTP server from a chosen loopback address, so a test can play a client from elsewhere. */
export const socketFrom = (port: number, localAddress: string) =>
  new Promise<net.Socket>((resolve, reject) => {
    const s = net.connect({ host: "127.0.0.1", port, localAddress }, () => resolve(s));
    s.once("error", reject);
  });

/** Polls until `probe` answers, for effects the SFTP server writes after answering the client. */
export async function until<T>(probe: () => Promise<T | null | undefined | false>, what: string): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const v = await probe();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}
