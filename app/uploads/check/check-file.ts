import { ErrorList, type UploadError } from "../errors";
import { PracticeIndex } from "../practice-index";
import type { MeasureInfo, ValidationContext } from "../records";
import { scanUpload } from "../scan";

/**
 * What the validator outside the server knows (docs/decisions/0103): reference data, not stored
 * practices. `measures` null: measure codes are not checked; `accredited` null: the measure is
 * open but the gestore's accreditation is unknown.
 */
export type CheckData = {
  gestoreFiscalCode: string | null;
  measures: { code: string; accredited: boolean | null }[] | null;
  comuni: string[];
  /** Where the data came from, for the report (e.g. "https://… il 28/11/2026"). */
  source: string;
};

export type CheckResult = {
  status: "accepted" | "rejected";
  records: number;
  errorCount: number;
  errors: UploadError[];
  submissionId: string | null;
  referenceDate: string | null;
};

/** Codes of the rules that need the gestore's stored practices or earlier files: only the server applies them. */
export const SERVER_ONLY_CODES = ["STALE_FILE", "DUPLICATE_SUBMISSION", "IMMUTABLE_FIELD", "TRANSITION_NOT_ALLOWED"] as const;

const ANY_MEASURE = { get: (code: string): MeasureInfo => ({ id: code, open: true, accredited: true }) } as unknown as Map<string, MeasureInfo>;

/** Today in Rome as ISO `AAAA-MM-GG`, with no library: the check's "future date" line. */
export function todayInRome(now = new Date()) {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Rome", year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

export function validationContextFrom(data: CheckData, today = todayInRome()): ValidationContext {
  return {
    gestoreFiscalCode: data.gestoreFiscalCode,
    today,
    measures: data.measures
      ? new Map(data.measures.map((m) => [m.code, { id: m.code, open: true, accredited: m.accredited ?? true }]))
      : ANY_MEASURE,
    comuni: new Set(data.comuni),
  };
}

/**
 * Checks a file with the server's own rules code (the same scan and record rules, and the same
 * practice index for codes repeated in the file), for a gestore with no stored practice.
 */
export async function checkFile(chunks: AsyncIterable<Uint8Array>, ctx: ValidationContext): Promise<CheckResult> {
  const index = new PracticeIndex(0);
  index.startPass({ exact: true });
  const judged: UploadError[] = [];
  const errors = new ErrorList();
  // As the ingestion does: a record's judgement joins the list right after its own line's errors.
  const scan = await scanUpload(
    chunks,
    ctx,
    (d) => {
      index.judge(d, judged);
      for (const e of judged.splice(0)) errors.add(e);
    },
    undefined,
    errors,
  );
  const { header } = scan;
  return {
    status: errors.count > 0 ? "rejected" : "accepted",
    records: scan.details,
    errorCount: errors.count,
    errors: errors.listed,
    submissionId: header?.submissionId || null,
    referenceDate: header?.referenceDate ?? null,
  };
}
