import { italianDate } from "~/lib/dates";
import { acceptedMoves } from "~workflows/practice-runner";
import type { PracticeState } from "~workflows/practice.machine";
import { CodeTable } from "./code-table";
import { copyColumns, unescapeCopyColumn } from "./copy-rows";
import { uploadError, type UploadError } from "./errors";
import { centsToDecimal, type Detail } from "./records";

/** The fields a file may change without a change of state, in the order of `fieldsKey`. */
const MUTABLE = ["denominazione", "comune_istat", "data_presentazione", "importo_richiesto", "importo_deliberato", "importo_erogato", "note"] as const;
const AMOUNT_FIELDS = new Set<string>(["importo_richiesto", "importo_deliberato", "importo_erogato"]);

/**
 * The mutable fields of a record, as one comparable string joined by `|` (no field may hold one).
 * `addKnownRow` builds the same string, after the beneficiary, from a stored practice's columns.
 */
export function fieldsKey(d: Detail) {
  const approved = d.approvedCents === null ? "" : centsToDecimal(d.approvedCents);
  const disbursed = d.disbursedCents === null ? "" : centsToDecimal(d.disbursedCents);
  return `${d.beneficiaryName}|${d.comuneCode}|${d.submittedOn}|${centsToDecimal(d.requestedCents)}|${approved}|${disbursed}|${d.notes}`;
}

/**
 * The columns of a stored practice `addKnownRow` reads, in its order: as they are, so that
 * PostgreSQL only writes each value's text (building the `cf|fields` string in SQL tripled the
 * server's time of the read, docs/decisions/0077). Read with `datestyle` ISO: dates as YYYY-MM-DD.
 */
export const STORED_PRACTICE_COLUMNS = `code, id, state, state_date, measure_id, beneficiary_fiscal_code, beneficiary_name, comune_code,
  submitted_on, amount_requested, amount_approved, amount_disbursed, notes`;
/** Code, id, state, state date, measure, then the beneficiary and the mutable fields of `fieldsKey`. */
const STORED_PRACTICE_COLUMN_COUNT = 13;
const FIRST_STORED_FIELD = 5;
const NULL_BYTES = [92, 78]; // \N

/**
 * A dictionary number for each distinct value of a column, found by the value's bytes: a
 * column of few distinct values (states, dates, measures) costs a hash of a few bytes per row,
 * and one decoded string per distinct value.
 */
class ByteWords<T extends string> {
  private readonly numbers = new Map<number, { bytes: Uint8Array; n: number }[]>();
  private static readonly decoder = new TextDecoder();
  constructor(private readonly add: (value: T) => number) {}

  number(bytes: Uint8Array, start: number, end: number) {
    let h = 0x811c9dc5;
    for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
    let same = this.numbers.get(h);
    if (same) {
      for (const w of same) if (sameBytes(w.bytes, bytes, start, end)) return w.n;
    } else this.numbers.set(h, (same = []));
    const copy = bytes.slice(start, end);
    const n = this.add(ByteWords.decoder.decode(copy) as T);
    same.push({ bytes: copy, n });
    return n;
  }
}

function sameBytes(a: Uint8Array, bytes: Uint8Array, start: number, end: number) {
  if (a.length !== end - start) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== bytes[start + i]) return false;
  return true;
}

export type Verdict =
  | { kind: "refused" }
  /** Possibly a repeat of a new code: only a pass that remembers every code can tell. */
  | { kind: "maybe-repeated" }
  | { kind: "new" }
  | { kind: "unchanged" }
  | { kind: "transition" | "update"; practiceId: number; from: PracticeState; changes: string | null };


/** Interns the few distinct values of a column (states, dates, measures) as small numbers. */
class Dictionary<T extends string> {
  readonly values: T[] = [];
  private readonly numbers = new Map<string, number>();
  number(v: T) {
    let n = this.numbers.get(v);
    if (n === undefined) {
      n = this.values.length;
      this.values.push(v);
      this.numbers.set(v, n);
    }
    return n;
  }
}

/**
 * The codes seen so far, as a Bloom filter: no false "new", rare false "maybe seen". Remembering
 * a million new codes exactly costs more than reading the file again in the rare case it is needed.
 */
class CodeFilter {
  private bits: Uint32Array | null = null;
  private readonly mask: number;

  constructor(expectedCodes: number) {
    let size = 1 << 16;
    while (size < expectedCodes * 256 && size < 1 << 28) size *= 2;
    this.mask = size - 1;
  }

  /** Adds `code`; true when it may have been added before. */
  add(code: string) {
    // Allocated at the first new code: a file that only moves known practices needs none.
    this.bits ??= new Uint32Array((this.mask + 1) / 32);
    let h1 = 0x811c9dc5;
    let h2 = 0x9747b28c;
    for (let i = 0; i < code.length; i++) {
      const c = code.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
    }
    let seen = true;
    for (let k = 0; k < 4; k++) {
      const bit = (h1 + Math.imul(k, h2 | 1)) & this.mask;
      const word = bit >>> 5;
      const flag = 1 << (bit & 31);
      if ((this.bits[word]! & flag) === 0) {
        seen = false;
        this.bits[word]! |= flag;
      }
    }
    return seen;
  }
}

/**
 * A gestore's practices as the database holds them, compact enough for a million of them: codes
 * with their beneficiary and mutable fields as UTF-8 bytes in a `CodeTable`, the rest in typed
 * arrays and interned values (docs/decisions/0128), about 120 bytes a practice outside the
 * collected heap. Each record of a file is judged against it; a practice's fields are decoded
 * only then.
 *
 * New codes are remembered exactly only in an exact pass; otherwise a filter answers, and its
 * "maybe repeated" sends the file to an exact pass.
 */
export class PracticeIndex {
  /** Code → slot, with the beneficiary and mutable fields as one string (`cf|fields`). */
  private readonly codes: CodeTable;
  private ids: Float64Array;
  private states: Uint8Array;
  private stateDates: Uint32Array;
  private measures: Uint32Array;
  private readonly stateNames = new Dictionary<PracticeState>();
  private readonly dates = new Dictionary<string>();
  private readonly measureIds = new Dictionary<string>();
  /** Line of the file where each stored practice was first seen, 0 when not (yet) seen. */
  private firstLines: Uint32Array;
  private newCodes: Map<string, number> | null = null;
  private filter: CodeFilter | null = null;
  private readonly moves = acceptedMoves();
  /** The same dictionaries' numbers, found by a value's bytes in COPY output. */
  private readonly stateWords = new ByteWords((s) => this.stateNames.number(s as PracticeState));
  private readonly dateWords = new ByteWords((s) => this.dates.number(s));
  private readonly measureWords = new ByteWords((s) => this.measureIds.number(s));
  private readonly columns = new Int32Array(STORED_PRACTICE_COLUMN_COUNT + 1);
  /** Start and end of the code, then of each stored field, in a row being added. */
  private readonly ranges = new Int32Array(2 * (1 + STORED_PRACTICE_COLUMN_COUNT - FIRST_STORED_FIELD));
  known = 0;

  /** `capacity`: the practices expected (counted first); more are taken, at the cost of copying the arrays. */
  constructor(capacity: number) {
    this.codes = new CodeTable(capacity);
    this.ids = new Float64Array(capacity);
    this.states = new Uint8Array(capacity);
    this.stateDates = new Uint32Array(capacity);
    this.measures = new Uint32Array(capacity);
    this.firstLines = new Uint32Array(capacity);
  }

  /** A stored practice, its code not added before; `stored` is its beneficiary's fiscal code, `|` and its `fieldsKey`. */
  addKnown(code: string, id: number, state: PracticeState, stateDate: string, measureId: string, stored: string) {
    this.place(this.codes.add(code, stored), id, this.stateNames.number(state), this.dates.number(stateDate), this.measureIds.number(measureId));
  }

  /**
   * A stored practice as one row of `copy (select STORED_PRACTICE_COLUMNS …) to stdout` (text
   * format, bytes `start`–`end`, no newline): its code and its beneficiary and mutable fields,
   * joined by `|` as `addKnown` keeps them, go into the arena as bytes; the few distinct states,
   * dates and measures are looked up by their bytes. No string or object is made per practice
   * (docs/decisions/0077). The bytes may be rewritten.
   */
  addKnownRow(bytes: Uint8Array, start: number, end: number) {
    const at = this.columns;
    copyColumns(bytes, start, end, at);
    const ranges = this.ranges;
    for (let c = 0, r = 0; c < STORED_PRACTICE_COLUMN_COUNT; c++) {
      if (c > 0 && c < FIRST_STORED_FIELD) continue;
      const from = at[c]!;
      const to = at[c + 1]! - 1;
      // A null amount is kept as an empty field; text columns are never null.
      const isNull = to - from === 2 && bytes[from] === NULL_BYTES[0] && bytes[from + 1] === NULL_BYTES[1];
      ranges[r++] = from;
      ranges[r++] = isNull ? from : unescapeCopyColumn(bytes, from, to);
    }
    let id = 0;
    for (let i = at[1]!; i < at[2]! - 1; i++) {
      const digit = bytes[i]! - 48;
      if (digit < 0 || digit > 9) throw new Error("practice id is not a number in the COPY output");
      id = id * 10 + digit;
    }
    const slot = this.codes.addEncoded(bytes, ranges);
    const n = (words: ByteWords<string>, column: number) => words.number(bytes, at[column]!, at[column + 1]! - 1);
    this.place(slot, id, n(this.stateWords, 2), n(this.dateWords, 3), n(this.measureWords, 4));
  }

  private place(slot: number, id: number, state: number, stateDate: number, measure: number) {
    if (slot >= this.ids.length) this.grow(Math.max(16, slot * 2));
    this.known = slot + 1;
    this.ids[slot] = id;
    this.states[slot] = state;
    this.stateDates[slot] = stateDate;
    this.measures[slot] = measure;
  }

  private grow(n: number) {
    const grown = <T extends Float64Array | Uint32Array | Uint8Array>(a: T, b: T) => (b.set(a), b);
    this.ids = grown(this.ids, new Float64Array(n));
    this.states = grown(this.states, new Uint8Array(n));
    this.stateDates = grown(this.stateDates, new Uint32Array(n));
    this.measures = grown(this.measures, new Uint32Array(n));
    this.firstLines = grown(this.firstLines, new Uint32Array(n));
  }

  /** Starts reading a file (again): nothing seen yet. */
  startPass(opts: { exact: true } | { exact: false; expectedCodes: number }) {
    this.firstLines.fill(0);
    this.newCodes = opts.exact ? new Map() : null;
    this.filter = opts.exact ? null : new CodeFilter(opts.expectedCodes);
  }

  /**
   * Judges one detail record of the file (or only its code, when the record has other errors)
   * with the machine's accepted moves; the spec's errors that need stored practices are pushed to `errors`.
   */
  judge(d: Detail | { line: number; code: string; clean: false }, errors: UploadError[]): Verdict {
    const slot = this.codes.find(d.code);
    if (slot < 0) {
      if (this.newCodes) {
        const first = this.newCodes.get(d.code);
        if (first !== undefined) {
          errors.push(uploadError(d.line, "codice_pratica", "DUPLICATE_PRACTICE", `già presente alla riga ${first}`));
          return { kind: "refused" };
        }
        this.newCodes.set(d.code, d.line);
      } else if (this.filter!.add(d.code)) return { kind: "maybe-repeated" };
      return "clean" in d ? { kind: "refused" } : { kind: "new" };
    }
    const first = this.firstLines[slot]!;
    if (first !== 0) {
      errors.push(uploadError(d.line, "codice_pratica", "DUPLICATE_PRACTICE", `già presente alla riga ${first}`));
      return { kind: "refused" };
    }
    this.firstLines[slot] = d.line;
    if ("clean" in d) return { kind: "refused" };
    const id = this.ids[slot]!;
    const from = this.stateNames.values[this.states[slot]!]!;
    const fromDate = this.dates.values[this.stateDates[slot]!]!;
    const errorsBefore = errors.length;
    if (d.measureId !== this.measureIds.values[this.measures[slot]!]) errors.push(uploadError(d.line, "codice_misura", "IMMUTABLE_FIELD", "la misura della pratica non può cambiare"));
    const stored = this.codes.value(slot);
    const cut = stored.indexOf("|");
    if (d.beneficiaryFiscalCode !== stored.slice(0, cut)) errors.push(uploadError(d.line, "cf_beneficiario", "IMMUTABLE_FIELD", "il beneficiario della pratica non può cambiare"));
    if (d.state !== from && !this.moves.has(`${from}>${d.state}`)) errors.push(uploadError(d.line, "stato", "TRANSITION_NOT_ALLOWED", `da ${from} a ${d.state}`));
    if (d.stateDate < fromDate) errors.push(uploadError(d.line, "data_stato", "DATE_ORDER", `precede la data dell'ultimo passaggio registrato (${italianDate(fromDate)})`));
    if (errors.length > errorsBefore) return { kind: "refused" };

    const key = fieldsKey(d);
    const before = stored.slice(cut + 1);
    if (d.state === from && d.stateDate === fromDate && key === before) return { kind: "unchanged" };
    const changes: string[] = [];
    if (d.state === from && d.stateDate !== fromDate) changes.push(`"data_stato":${JSON.stringify([fromDate, d.stateDate])}`);
    if (key !== before) {
      const was = before.split("|");
      const now = key.split("|");
      MUTABLE.forEach((name, i) => {
        if (was[i] === now[i]) return;
        const json = (v: string) => (AMOUNT_FIELDS.has(name) ? v || "null" : JSON.stringify(v));
        changes.push(`"${name}":[${json(was[i]!)},${json(now[i]!)}]`);
      });
    }
    return { kind: d.state === from ? "update" : "transition", practiceId: id, from, changes: changes.length ? `{${changes.join(",")}}` : null };
  }
}
