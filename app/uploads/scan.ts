import { ErrorList, MAX_DETAIL_RECORDS, quoted, uploadError, type UploadError } from "./errors";
import { readLines } from "./lines";
import {
  checkControlCharacters,
  checkFieldCount,
  hasControlCharacter,
  recordType,
  splitFields,
  validateDetail,
  validateHeader,
  validateTrailer,
  type Detail,
  type Header,
  type ValidationContext,
} from "./records";

export type ScanResult = {
  header: Header | null;
  errors: ErrorList;
  details: number;
  cleanDetails: number;
  lines: number;
  stoppedEarly: boolean;
};

/**
 * Reads a whole upload once, streaming, applying every rule of the format that needs no stored
 * practice; detail records go to `onDetail`, which judges them against the stored practices and
 * may add its errors to the same `errors`.
 */
export async function scanUpload(
  chunks: AsyncIterable<Uint8Array>,
  ctx: ValidationContext,
  onDetail: (d: Detail | { line: number; code: string; clean: false }) => void | Promise<void>,
  onProgress?: (lines: number) => void,
  errors = new ErrorList(),
): Promise<ScanResult> {
  const lineErrors: UploadError[] = [];
  const flush = () => {
    for (const e of lineErrors) errors.add(e);
    lineErrors.length = 0;
  };
  let header: Header | null = null;
  let headerSeen = false;
  let details = 0;
  let cleanDetails = 0;
  let requestedSum: number | null = 0;
  let lines = 0;
  const emptyLines: number[] = [];
  let trailer: {
    line: number;
    fields: string[];
    controlled: boolean;
    detailsBefore: number;
    sumBefore: number | null;
  } | null = null;
  let stoppedEarly = false;

  reading: for await (const batch of readLines(chunks)) {
    for (const line of batch) {
      lines = line.number;
      if (onProgress && lines % 50_000 === 0) onProgress(lines);
      if ("invalidAt" in line) {
        errors.add(uploadError(line.number, null, "ENCODING", `riga ${line.number}, byte ${line.invalidAt}`));
        stoppedEarly = true;
        break reading;
      }
      if (line.text === "") {
        emptyLines.push(line.number);
        continue;
      }
      // An empty line followed by a record is never "the final empty line".
      for (const n of emptyLines.splice(0)) errors.add(uploadError(n, null, "EMPTY_LINE"));
      if (trailer) {
        errors.add(uploadError(trailer.line, null, "TRAILER", "la coda deve essere l'ultimo record del file"));
        trailer = null;
      }
      const fields = splitFields(line.text);
      const type = recordType(fields);
      if (!type) {
        errors.add(uploadError(line.number, "tipo_record", "RECORD_TYPE", quoted(fields[0] ?? "")));
        if (line.number === 1) errors.add(uploadError(1, null, "HEADER", "il primo record deve essere la testata T"));
        continue;
      }
      const controlled = hasControlCharacter(line.text);
      if (line.number === 1 && type !== "T") errors.add(uploadError(1, null, "HEADER", "il primo record deve essere la testata T"));
      if (type === "T") {
        if (headerSeen || line.number !== 1) {
          errors.add(uploadError(line.number, null, "HEADER", "testata doppia o non in prima riga"));
          continue;
        }
        headerSeen = true;
        if (checkFieldCount(line.number, "T", fields, lineErrors)) {
          const validate = () => void (header = validateHeader(line.number, fields, ctx, lineErrors));
          if (controlled) checkControlCharacters(line.number, "T", fields, lineErrors, validate);
          else validate();
        }
        flush();
      } else if (type === "D") {
        details += 1;
        if (details > MAX_DETAIL_RECORDS) {
          errors.add(uploadError(line.number, null, "FILE_TOO_LARGE", "oltre 1.000.000 di record D"));
          stoppedEarly = true;
          break reading;
        }
        if (!checkFieldCount(line.number, "D", fields, lineErrors)) {
          requestedSum = null;
          flush();
          continue;
        }
        let checked!: ReturnType<typeof validateDetail>;
        const validate = () => void (checked = validateDetail(line.number, fields, ctx, header, lineErrors));
        if (!controlled) validate();
        else if (checkControlCharacters(line.number, "D", fields, lineErrors, validate)) checked = { ...checked, detail: null };
        const { detail, requestedCents } = checked;
        flush();
        if (requestedCents === null) requestedSum = null;
        else if (requestedSum !== null) requestedSum += requestedCents;
        if (detail) {
          cleanDetails += 1;
          const wait = onDetail(detail);
          if (wait) await wait;
        } else if (fields[1]) {
          // Staged anyway so a repeated practice code is found even when its first line is wrong.
          const wait = onDetail({
            line: line.number,
            code: fields[1],
            clean: false,
          });
          if (wait) await wait;
        }
      } else {
        trailer = {
          line: line.number,
          fields,
          controlled,
          detailsBefore: details,
          sumBefore: requestedSum,
        };
      }
    }
  }
  if (!stoppedEarly) {
    if (emptyLines.length > 1) for (const n of emptyLines.slice(0, -1)) errors.add(uploadError(n, null, "EMPTY_LINE"));
    if (lines === 0) errors.add(uploadError(1, null, "HEADER", "il file è vuoto"));
    if (!trailer) errors.add(uploadError(Math.max(lines, 1), null, "TRAILER", "manca la coda C: il file potrebbe essere troncato"));
    else if (checkFieldCount(trailer.line, "C", trailer.fields, lineErrors)) {
      const { line, fields, controlled } = trailer;
      const validate = () => validateTrailer(line, fields, { details: trailer!.detailsBefore, requestedCents: trailer!.sumBefore }, lineErrors);
      if (controlled) checkControlCharacters(line, "C", fields, lineErrors, validate);
      else validate();
    }
    flush();
  }
  return { header, errors, details, cleanDetails, lines, stoppedEarly };
}
