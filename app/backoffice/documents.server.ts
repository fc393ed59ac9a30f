import { safeFileName } from "~/lib/text-safety";
import crypto from "node:crypto";
import type { TransactionSql } from "postgres";
import { InputError } from "~/lib/errors";
import { recordSignature } from "~/signatures/record.server";
import { CHUNK_BYTES } from "~/uploads/storage.server";

export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

export const DOCUMENT_TYPES = {
  integrazione: "Integrazione documentale",
  chiarimenti: "Risposta a chiarimenti",
  verbale: "Verbale",
  provvedimento: "Provvedimento",
  corrispondenza: "Corrispondenza",
  altro: "Altro",
} as const;
export type DocumentType = keyof typeof DOCUMENT_TYPES;

/** The formats a document may have, by extension, with the content type it is served as. */
export const ALLOWED_FORMATS: Record<string, string> = {
  pdf: "application/pdf",
  p7m: "application/pkcs7-mime",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  odt: "application/vnd.oasis.opendocument.text",
  ods: "application/vnd.oasis.opendocument.spreadsheet",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  txt: "text/plain",
  csv: "text/csv",
  xml: "application/xml",
};

const MAGIC: Record<string, (b: Buffer) => boolean> = {
  pdf: (b) => b.subarray(0, 5).toString("latin1") === "%PDF-",
  png: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  jpg: (b) => b[0] === 0xff && b[1] === 0xd8,
  jpeg: (b) => b[0] === 0xff && b[1] === 0xd8,
  // Office Open XML and OpenDocument files are ZIP archives.
  docx: (b) => b.subarray(0, 2).toString("latin1") === "PK",
  xlsx: (b) => b.subarray(0, 2).toString("latin1") === "PK",
  odt: (b) => b.subarray(0, 2).toString("latin1") === "PK",
  ods: (b) => b.subarray(0, 2).toString("latin1") === "PK",
};

export type IncomingFile = { name: string; bytes: Buffer };

/** Type, size and format checks, before anything is written. Throws InputError in Italian. */
export function checkDocument(file: IncomingFile, docType: string): { ext: string; contentType: string; fileName: string } {
  if (!(docType in DOCUMENT_TYPES)) throw new InputError("Tipo di documento non valido.", "docType");
  const fileName = safeFileName(file.name.replace(/[\\/]/g, "_"), "").slice(0, 200);
  if (!fileName) throw new InputError("Il file non ha un nome.", "file");
  if (file.bytes.length === 0) throw new InputError("Il file è vuoto.", "file");
  if (file.bytes.length > MAX_DOCUMENT_BYTES) throw new InputError("Il file supera la dimensione massima di 10 MB.", "file");
  const ext = fileName.includes(".") ? fileName.split(".").pop()!.toLowerCase() : "";
  const contentType = ALLOWED_FORMATS[ext];
  if (!contentType) {
    throw new InputError(`Formato non ammesso: sono accettati ${Object.keys(ALLOWED_FORMATS).join(", ")}.`, "file");
  }
  const magic = MAGIC[ext];
  if (magic && !magic(file.bytes)) throw new InputError(`Il contenuto del file non corrisponde al formato .${ext}.`, "file");
  return { ext, contentType, fileName };
}

/**
 * Stores a document (or a new version of one, same `seriesId`) with its SHA-256, bytes in
 * 1 MiB chunks, inside the caller's transaction. Nothing is ever overwritten.
 */
export async function storeDocument(
  tx: TransactionSql,
  input: {
    file: IncomingFile;
    docType: string;
    gestoreId: string;
    practiceId: number | null;
    threadId?: string | null;
    messageId?: string | null;
    side: "ufficio" | "gestore";
    uploadedBy: string;
    seriesId?: string | null;
  },
) {
  const { contentType, fileName } = checkDocument(input.file, input.docType);
  const sha256 = crypto.createHash("sha256").update(input.file.bytes).digest("hex");
  let seriesId = input.seriesId ?? null;
  let version = 1;
  if (seriesId) {
    const [last] = await tx<{ version: number; gestore_id: string; practice_id: string | null }[]>`
      select version, gestore_id, practice_id from documents where series_id = ${seriesId} order by version desc limit 1 for update`;
    if (!last || last.gestore_id !== input.gestoreId || Number(last.practice_id) !== input.practiceId) {
      throw new InputError("Documento da aggiornare non trovato.", "seriesId");
    }
    version = last.version + 1;
  } else {
    seriesId = crypto.randomUUID();
  }
  const [row] = await tx<{ id: string }[]>`
    insert into documents (series_id, version, gestore_id, practice_id, thread_id, message_id, doc_type, file_name, content_type, size_bytes, sha256, side, uploaded_by)
    values (${seriesId}, ${version}, ${input.gestoreId}, ${input.practiceId}, ${input.threadId ?? null}, ${input.messageId ?? null}, ${input.docType},
            ${fileName}, ${contentType}, ${input.file.bytes.length}, ${sha256}, ${input.side}, ${input.uploadedBy})
    returning id`;
  for (let seq = 0, off = 0; off < input.file.bytes.length; seq++, off += CHUNK_BYTES) {
    const data = input.file.bytes.subarray(off, off + CHUNK_BYTES);
    await tx`insert into document_chunks (document_id, seq, data) values (${row!.id}, ${seq}, ${data})`;
  }
  // A .p7m or signed PDF is checked now; a broken signature is stored and flagged, never refused.
  await recordSignature(tx, row!.id, fileName, input.file.bytes);
  return { id: row!.id, seriesId, version, sha256, fileName, sizeBytes: input.file.bytes.length };
}

/** The stored bytes of a document. */
export async function documentBytes(sql: TransactionSql | import("postgres").Sql, id: string) {
  const rows = await sql<{ data: Buffer }[]>`select data from document_chunks where document_id = ${id} order by seq`;
  return Buffer.concat(rows.map((r) => r.data));
}
