import { csvLine, CSV_BOM } from "~/lib/csv";
import type { getUploadForViewer } from "~db/queries/uploads";

type UploadRow = NonNullable<Awaited<ReturnType<typeof getUploadForViewer>>>;

/** The outcome object of docs/upload-format.md. */
export function outcomeObject({ upload, gestoreFiscalCode }: UploadRow) {
  const accepted = upload.status === "accepted";
  return {
    id: upload.id,
    status: upload.status,
    sha256: upload.sha256,
    gestore: gestoreFiscalCode,
    submissionId: upload.submissionId,
    referenceDate: upload.referenceDate,
    receivedAt: upload.receivedAt.toISOString(),
    completedAt: upload.completedAt?.toISOString() ?? null,
    records: upload.records,
    applied: {
      created: accepted ? upload.created : 0,
      transitioned: accepted ? upload.transitioned : 0,
      updated: accepted ? upload.updated : 0,
      unchanged: accepted ? upload.unchanged : 0,
    },
    errorCount: upload.errorCount,
    errors: upload.errors,
    // "failed": an internal error, nothing applied; quote this to support (docs/decisions/0046).
    supportReference: upload.status === "failed" ? upload.failureRef : null,
  };
}

/** The errors as CSV text for Excel (BOM, semicolons): the web, the API and SFTP's /out/esiti. */
export function errorsCsvText(outcome: { errors: UploadRow["upload"]["errors"]; errorCount: number }) {
  const lines = [csvLine(["riga", "campo", "codice", "messaggio"])];
  for (const e of outcome.errors) lines.push(csvLine([e.line, e.field ?? "", e.code, e.message]));
  if (outcome.errorCount > outcome.errors.length)
    lines.push(csvLine(["", "", "", `… e altri ${outcome.errorCount - outcome.errors.length} errori non elencati`]));
  return CSV_BOM + lines.join("");
}

export function errorsCsv(row: UploadRow) {
  return new Response(errorsCsvText(row.upload), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="errori-${row.upload.id}.csv"`,
    },
  });
}
