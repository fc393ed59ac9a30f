import type { IncomingMessage } from "node:http";
import { MAX_FILE_BYTES } from "~/uploads/errors";

const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * The most a request body may hold, by route, checked before anything parses it
 * (docs/decisions/0041). Files up to 200 MB only where files are sent; SAML bindings are a few KB.
 */
export function bodyLimitFor(path: string, contentType: string): number {
  if (path === "/api/v1/uploads" || path === "/caricamenti/invia") return MAX_FILE_BYTES + 64 * KiB;
  if (path.startsWith("/auth/")) return 256 * KiB;
  if (/^multipart\/form-data/i.test(contentType)) return 12 * MiB; // documents and attachments: 10 MB each
  return 1 * MiB;
}

export class BodyTooLarge extends Error {
  constructor() {
    super("request body over its limit");
  }
}

/**
 * The request body as a web stream that errors as soon as more than `limit` bytes arrived,
 * chunked or not: nothing upstream ever holds more than that. `tripped()` says whether it did.
 */
export function cappedBody(req: IncomingMessage, limit: number) {
  let seen = 0;
  let tripped = false;
  let finished = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        req.on("data", (chunk: Buffer) => {
          if (finished) return;
          seen += chunk.length;
          if (seen > limit) {
            tripped = true;
            finished = true;
            req.pause();
            controller.error(new BodyTooLarge());
            return;
          }
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 1) <= 0) req.pause();
        });
        req.on("end", () => {
          if (finished) return;
          finished = true;
          controller.close();
        });
        req.on("error", (e) => {
          if (finished) return;
          finished = true;
          controller.error(e);
        });
      },
      pull() {
        req.resume();
      },
      cancel() {
        finished = true;
        req.resume();
      },
    },
    { highWaterMark: 256 * KiB, size: (chunk) => chunk.byteLength },
  );
  return { stream, tripped: () => tripped };
}
