import { unstable_parseMultipartFormData } from "@remix-run/node";
import { apiError } from "~/auth/api-tokens.server";
import { requireInScope, type Actor } from "~/auth/guards.server";
import { clientIp } from "~/lib/request.server";
import { getDb } from "~db/client";
import { getUploadForViewer } from "~db/queries/uploads";
import { isGestoreRole } from "~db/scope";
import { MAX_FILE_BYTES } from "./errors";
import { gestori } from "~db/schema";
import { eq } from "drizzle-orm";
import { GESTORE_INACTIVE_MESSAGE, GestoreInactiveError, receiveUpload, type Received } from "./receive.server";
import { FileTooLargeError, readChunks } from "./storage.server";
import { DryRunFailed, dryRunUpload, type DryRunOutcome } from "./dry-run.server";

export class UploadRefused extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Whether the gestore may still send files (a deactivated one may not, docs/decisions/0029). */
export async function gestoreIsActive(gestoreId: string) {
  const [g] = await getDb().select({ active: gestori.active }).from(gestori).where(eq(gestori.id, gestoreId));
  return Boolean(g?.active);
}

/** The percent-encoded X-File-Name header; broken encoding or control characters are the client's error. */
function fileNameFrom(header: string | null) {
  let name: string;
  try {
    name = decodeURIComponent(header ?? "");
  } catch {
    throw new UploadRefused(400, "BAD_FILE_NAME", "Intestazione X-File-Name non valida: il nome del file va codificato in percento (UTF-8)");
  }
  if (/[\u0000-\u001f\u007f]/.test(name))
    throw new UploadRefused(400, "BAD_FILE_NAME", "Intestazione X-File-Name non valida: il nome del file contiene caratteri di controllo");
  return name || "flusso.txt";
}

type RequestFile = { fileName: string; declaredSize: number | null; body: AsyncIterable<Uint8Array> };

/**
 * Takes a file from a request body — raw text/plain, or the `file` field of a multipart form —
 * and hands it, streaming, to `take`. Used by the API and by the web page alike.
 */
async function fromRequest<T>(request: Request, actor: Actor, take: (file: RequestFile, gestoreId: string) => Promise<T>): Promise<T> {
  if (!isGestoreRole(actor.role) || !actor.gestoreId)
    throw new UploadRefused(403, "FORBIDDEN", "Solo gli operatori di un ente gestore possono inviare flussi");
  const gestoreId = actor.gestoreId;
  // Checked before reading the body (and again, under lock, where the file is stored).
  if (!(await gestoreIsActive(gestoreId))) throw new UploadRefused(403, "GESTORE_INACTIVE", GESTORE_INACTIVE_MESSAGE);
  const length = Number(request.headers.get("content-length") ?? "");
  if (length > MAX_FILE_BYTES + 64 * 1024)
    throw new UploadRefused(413, "FILE_TOO_LARGE", "File troppo grande: al massimo 200 MB");
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  try {
    if (type.startsWith("text/plain")) {
      if (!request.body) throw new UploadRefused(400, "EMPTY", "Corpo della richiesta vuoto");
      const fileName = fileNameFrom(request.headers.get("x-file-name"));
      return await take({ fileName, declaredSize: length || null, body: request.body as unknown as AsyncIterable<Uint8Array> }, gestoreId);
    }
    if (type.startsWith("multipart/form-data")) {
      let taken: { value: T } | null = null;
      await unstable_parseMultipartFormData(request, async ({ name, data, filename }) => {
        if (name !== "file") {
          for await (const _ of data) void _;
          return undefined;
        }
        taken = { value: await take({ fileName: filename ?? "flusso.txt", declaredSize: null, body: data }, gestoreId) };
        return "taken";
      });
      if (!taken) throw new UploadRefused(400, "NO_FILE", "Nessun file nel campo «file»");
      return (taken as { value: T }).value;
    }
  } catch (e) {
    if (e instanceof GestoreInactiveError) throw new UploadRefused(403, "GESTORE_INACTIVE", GESTORE_INACTIVE_MESSAGE);
    if (e instanceof FileTooLargeError) throw new UploadRefused(413, "FILE_TOO_LARGE", "File troppo grande: al massimo 200 MB");
    if (e instanceof DryRunFailed) throw new UploadRefused(500, "DRY_RUN_FAILED", e.message);
    throw e;
  }
  throw new UploadRefused(415, "UNSUPPORTED_MEDIA_TYPE", "Inviare il file come text/plain; charset=utf-8 o come campo «file» multipart/form-data");
}

/** Stores the request's file and queues its processing. */
export function receiveFromRequest(request: Request, actor: Actor, channel: "web" | "api"): Promise<Received> {
  const who = { actor, ip: clientIp(request) };
  return fromRequest(request, actor, (file, gestoreId) => receiveUpload({ ...file, gestoreId, userId: actor.userId, channel, who }));
}

/** Checks the request's file as its processing would, storing nothing (docs/decisions/0102). */
export function dryRunFromRequest(request: Request, actor: Actor, channel: "web" | "api"): Promise<DryRunOutcome> {
  return fromRequest(request, actor, (file, gestoreId) => dryRunUpload({ ...file, gestoreId, viewer: actor, channel }));
}

/** An upload the actor may see, or the refusal as an API error. */
export async function uploadForApi(request: Request, actor: Actor, id: string) {
  try {
    return await requireInScope(request, actor, () => getUploadForViewer(getDb(), actor, id), "Caricamento non trovato");
  } catch (e) {
    if (e instanceof Response && e.status === 403) throw apiError(403, "FORBIDDEN", "Caricamento di un altro ente gestore");
    if (e instanceof Response && e.status === 404) throw apiError(404, "NOT_FOUND", "Caricamento non trovato");
    throw e;
  }
}

export function originalFileResponse(row: { upload: { id: string; fileName: string; sha256: string; sizeBytes: number } }) {
  const chunks = readChunks(row.upload.id);
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
  });
  const name = row.upload.fileName.replace(/[^\w.\- ]/g, "_") || "flusso.txt";
  return new Response(stream, {
    headers: {
      "Content-Type": "text/plain; charset=utf-8",
      "Content-Length": String(row.upload.sizeBytes),
      "Content-Disposition": `attachment; filename="${name}"`,
      "X-Content-SHA256": row.upload.sha256,
    },
  });
}
