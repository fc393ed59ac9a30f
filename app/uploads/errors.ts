import { shownValue } from "~/lib/text-safety";

/** Error codes of docs/upload-format.md with the Italian message a gestore can act on. */
export const UPLOAD_ERROR_MESSAGES = {
  ENCODING: "Il file non è in UTF-8: sequenza di byte non valida",
  EMPTY_LINE: "Riga vuota: sono ammesse solo righe con un record (una sola riga vuota finale)",
  FIELD_COUNT: "Numero di campi errato per il tipo di record",
  RECORD_TYPE: "Tipo di record sconosciuto: usare T (testata), D (dettaglio) o C (coda)",
  FORMAT_AMOUNT: "Importo non valido: usare la virgola per i decimali, al massimo 2 decimali, senza separatore delle migliaia né segno (es. 15000,50)",
  FORMAT_DATE: "Data non valida: usare il formato GG/MM/AAAA con una data esistente",
  FILE_TOO_LARGE: "File troppo grande: al massimo 200 MB e 1.000.000 di record D",
  HEADER: "Testata mancante, doppia o fuori posto: il file deve iniziare con un solo record T",
  TRAILER: "Coda mancante, doppia o fuori posto: il file deve terminare con un solo record C",
  VERSION: "Versione del tracciato non supportata: usare 1",
  CF_INVALID: "Codice fiscale non valido",
  GESTORE_MISMATCH: "Il codice fiscale dell'ente gestore non corrisponde all'ente per cui si sta inviando",
  DATE_FUTURE: "La data non può essere futura",
  STALE_FILE: "La data di riferimento è precedente a quella dell'ultimo file accettato",
  FORMAT: "Formato non valido",
  DUPLICATE_SUBMISSION: "Esiste già un file accettato con questo identificativo di invio",
  DUPLICATE_PRACTICE: "Pratica ripetuta nel file",
  MEASURE_UNKNOWN: "Misura sconosciuta o non aperta sulla piattaforma",
  MEASURE_NOT_ALLOWED: "L'ente gestore non è accreditato per questa misura",
  REQUIRED: "Campo obbligatorio",
  TOO_LONG: "Testo troppo lungo",
  COMUNE_UNKNOWN: "Codice ISTAT del comune sconosciuto",
  STATE_UNKNOWN: "Stato della pratica sconosciuto",
  DATE_ORDER: "Data incoerente con le altre date della pratica",
  AMOUNT_INCONSISTENT: "Importi incoerenti con lo stato o tra loro",
  IMMUTABLE_FIELD: "Il campo non può cambiare dopo la prima segnalazione della pratica",
  TRANSITION_NOT_ALLOWED: "Passaggio di stato non ammesso",
  TRAILER_MISMATCH: "La coda non corrisponde al contenuto: numero di record D o totale importo richiesto diversi (file troncato o alterato?)",
} as const;

export type UploadErrorCode = keyof typeof UPLOAD_ERROR_MESSAGES;

export type UploadError = { line: number; field: string | null; code: UploadErrorCode; message: string };

export const MAX_LISTED_ERRORS = 1000;
export const MAX_FILE_BYTES = 200 * 1024 * 1024;
export const MAX_DETAIL_RECORDS = 1_000_000;

/** A value of the file inside a message: always storable, never the whole of a huge field. */
export const quoted = (value: string) => `«${shownValue(value)}»`;

export function uploadError(line: number, field: string | null, code: UploadErrorCode, detail?: string): UploadError {
  return { line, field, code, message: detail ? `${UPLOAD_ERROR_MESSAGES[code]}: ${detail}` : UPLOAD_ERROR_MESSAGES[code] };
}

/** Keeps the first errors in line order and counts them all, whatever the file's size. */
export class ErrorList {
  readonly listed: UploadError[] = [];
  count = 0;
  add(e: UploadError) {
    this.count += 1;
    if (this.listed.length < MAX_LISTED_ERRORS || e.line < this.listed[this.listed.length - 1]!.line) {
      this.listed.push(e);
      if (this.listed.length > MAX_LISTED_ERRORS || this.listed.length > 1 && e.line < this.listed[this.listed.length - 2]!.line) {
        this.listed.sort((a, b) => a.line - b.line);
        if (this.listed.length > MAX_LISTED_ERRORS) this.listed.length = MAX_LISTED_ERRORS;
      }
    }
  }
}
