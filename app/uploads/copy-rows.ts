/**
 * PostgreSQL's COPY text output (`copy … to stdout`), read as bytes: rows end with a newline,
 * columns are separated by tabs, and a newline, tab or backslash inside a value is written as a
 * backslash escape — so a raw newline or tab always ends a row or a column. Nothing here decodes
 * text: the practice index copies the bytes of a row's columns straight into its arena
 * (docs/decisions/0077).
 */

const NEWLINE = 10;
const TAB = 9;
const BACKSLASH = 92;

/** Splits chunks of COPY text output into rows, a row cut between two chunks joined again. */
export class CopyTextRows {
  private carry: Uint8Array | null = null;
  rows = 0;

  /** `onRow` gets the bytes and the row's range in them, without its newline; it must not keep them. */
  constructor(private readonly onRow: (bytes: Uint8Array, start: number, end: number) => void) {}

  push(chunk: Uint8Array) {
    let start = 0;
    if (this.carry) {
      const nl = chunk.indexOf(NEWLINE);
      if (nl < 0) {
        this.carry = concat(this.carry, chunk, chunk.length);
        return;
      }
      const row = concat(this.carry, chunk, nl);
      this.carry = null;
      this.row(row, 0, row.length);
      start = nl + 1;
    }
    for (let nl = chunk.indexOf(NEWLINE, start); nl >= 0; nl = chunk.indexOf(NEWLINE, start)) {
      this.row(chunk, start, nl);
      start = nl + 1;
    }
    // Copied: the rest of a large chunk is not kept alive for a few bytes.
    if (start < chunk.length) this.carry = chunk.slice(start);
  }

  /** The output is over: a row without its newline means it was cut. */
  end() {
    if (this.carry) throw new Error("COPY output ended inside a row");
  }

  private row(bytes: Uint8Array, start: number, end: number) {
    this.rows++;
    this.onRow(bytes, start, end);
  }
}

function concat(a: Uint8Array, b: Uint8Array, bLength: number) {
  const joined = new Uint8Array(a.length + bLength);
  joined.set(a);
  joined.set(b.subarray(0, bLength), a.length);
  return joined;
}

/**
 * Where the columns of a row start: `starts[i]` for column i, `starts[i + 1] - 1` its end (the
 * tab after it, or the row's end + 1 for the last); throws when the row has another number of columns.
 */
export function copyColumns(bytes: Uint8Array, start: number, end: number, starts: Int32Array) {
  const n = starts.length - 1;
  starts[0] = start;
  for (let i = 1; i < n; i++) {
    const tab = bytes.indexOf(TAB, starts[i - 1]);
    if (tab < 0 || tab >= end) throw new Error(`COPY row with ${i} columns instead of ${n}`);
    starts[i] = tab + 1;
  }
  const extra = bytes.indexOf(TAB, starts[n - 1]);
  if (extra >= 0 && extra < end) throw new Error(`COPY row with more than ${n} columns`);
  starts[n] = end + 1;
}

const ESCAPED: Record<number, number> = { 98: 8, 102: 12, 110: 10, 114: 13, 116: 9, 118: 11 };

/**
 * Undoes the backslash escapes of one column in place (the text only gets shorter) and returns its
 * new end. `\N` (null) is not expected here: the columns read this way are never null.
 */
export function unescapeCopyColumn(bytes: Uint8Array, start: number, end: number) {
  let i = start;
  while (i < end && bytes[i] !== BACKSLASH) i++;
  if (i === end) return end;
  let out = i;
  while (i < end) {
    const b = bytes[i++]!;
    if (b !== BACKSLASH) {
      bytes[out++] = b;
      continue;
    }
    const next = bytes[i++];
    if (next === undefined || i > end) throw new Error("COPY value ends with a backslash");
    if (next === 78) throw new Error("unexpected null in COPY output");
    // \b \f \n \r \t \v are control characters; any other escaped byte (\\ above all) is itself.
    bytes[out++] = ESCAPED[next] ?? next;
  }
  return out;
}
