/**
 * Strings keyed by a code, for a million entries at about the size of their UTF-8 bytes
 * (docs/decisions/0128): each entry's code and value are written one after the other into a
 * byte arena of 1 MiB chunks, and an open-addressing table of entry numbers (linear probing,
 * at most half full) finds an entry by its code. A `Map` of strings cost about three times as
 * much (object headers, one string per code and per value, the map's own entries), all of it
 * on the heap the garbage collector walks; typed arrays it never looks into.
 *
 * Entries are numbered 0, 1, 2… in the order they are added; a value is decoded only when asked for.
 */
const CHUNK_BITS = 20;
const CHUNK = 1 << CHUNK_BITS;
/** Longest code + value in bytes (a value is at most a few kB: 200 + 500 characters and short fields). */
const MAX_ENTRY = 0xffff;

const BAR = 124; // |
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** FNV-1a over bytes. */
function hashBytes(bytes: Uint8Array, start: number, length: number) {
  let h = 0x811c9dc5;
  for (let i = start; i < start + length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

export class CodeTable {
  private chunks: Uint8Array[] = [];
  /** Position of the free space: chunk number × CHUNK + offset in the chunk. */
  private end = 0;
  /** Per entry: where it starts in the arena, its code's and its value's byte lengths, its code's hash. */
  private starts: Uint32Array;
  private codeLengths: Uint16Array;
  private valueLengths: Uint16Array;
  private hashes: Uint32Array;
  /** Entry number + 1 per bucket, 0 when the bucket is free; a power of two long. */
  private table: Uint32Array;
  private scratch = new Uint8Array(256);
  size = 0;

  constructor(capacity = 0) {
    const n = Math.max(capacity, 16);
    this.starts = new Uint32Array(n);
    this.codeLengths = new Uint16Array(n);
    this.valueLengths = new Uint16Array(n);
    this.hashes = new Uint32Array(n);
    this.table = new Uint32Array(bucketsFor(n));
  }

  /** Adds an entry for a code not in the table yet (the caller knows: codes are unique where they come from); returns its number. */
  add(code: string, value: string) {
    const entry = this.size;
    if (entry === this.starts.length) this.growEntries();
    if ((entry + 1) * 2 > this.table.length) this.rehash(this.table.length * 2);
    // At most 3 bytes per UTF-16 unit: room for the worst case, written straight into the arena.
    const room = 3 * (code.length + value.length);
    if (room > MAX_ENTRY * 2) throw new Error("entry too long for the code table");
    const at = this.reserve(room);
    const chunk = this.chunks[at >>> CHUNK_BITS]!;
    const offset = at & (CHUNK - 1);
    const codeLength = encoder.encodeInto(code, chunk.subarray(offset)).written;
    const valueLength = encoder.encodeInto(value, chunk.subarray(offset + codeLength)).written;
    if (codeLength > MAX_ENTRY || valueLength > MAX_ENTRY) throw new Error("entry too long for the code table");
    return this.added(entry, at, codeLength, valueLength);
  }

  /**
   * `add` for a code and a value already UTF-8 (read straight from PostgreSQL's COPY output):
   * `ranges` holds the start and end in `bytes` of the code, then of each part of the value,
   * which are stored joined by `|`. Only bytes are copied, no string is made.
   */
  addEncoded(bytes: Uint8Array, ranges: Int32Array) {
    const entry = this.size;
    if (entry === this.starts.length) this.growEntries();
    if ((entry + 1) * 2 > this.table.length) this.rehash(this.table.length * 2);
    const codeLength = ranges[1]! - ranges[0]!;
    let valueLength = ranges.length / 2 - 2;
    for (let r = 2; r < ranges.length; r += 2) valueLength += ranges[r + 1]! - ranges[r]!;
    if (codeLength > MAX_ENTRY || valueLength > MAX_ENTRY) throw new Error("entry too long for the code table");
    const at = this.reserve(codeLength + valueLength);
    const chunk = this.chunks[at >>> CHUNK_BITS]!;
    let o = at & (CHUNK - 1);
    for (let r = 0; r < ranges.length; r += 2) {
      if (r > 2) chunk[o++] = BAR;
      // Byte by byte: the parts are short, and a subarray per part would cost more than the copy.
      for (let i = ranges[r]!; i < ranges[r + 1]!; i++) chunk[o++] = bytes[i]!;
    }
    return this.added(entry, at, codeLength, valueLength);
  }

  private added(entry: number, at: number, codeLength: number, valueLength: number) {
    this.end = at + codeLength + valueLength;
    const hash = hashBytes(this.chunks[at >>> CHUNK_BITS]!, at & (CHUNK - 1), codeLength);
    this.starts[entry] = at;
    this.codeLengths[entry] = codeLength;
    this.valueLengths[entry] = valueLength;
    this.hashes[entry] = hash;
    this.place(entry, hash);
    this.size++;
    return entry;
  }

  /** The entry number of `code`, or -1. */
  find(code: string) {
    // Codes are ASCII as a rule (the file format allows letters, digits, . _ / -): their UTF-16
    // units are their bytes, so they are hashed and compared without being encoded.
    let hash = 0x811c9dc5;
    for (let i = 0; i < code.length; i++) {
      const c = code.charCodeAt(i);
      if (c >= 0x80) return this.findBytes(code);
      hash = Math.imul(hash ^ c, 0x01000193);
    }
    hash >>>= 0;
    const mask = this.table.length - 1;
    for (let b = hash & mask; ; b = (b + 1) & mask) {
      const slot = this.table[b]!;
      if (slot === 0) return -1;
      const entry = slot - 1;
      if (this.hashes[entry] === hash && this.codeLengths[entry] === code.length && this.codeIsAscii(entry, code)) return entry;
    }
  }

  private findBytes(code: string) {
    if (code.length * 3 > this.scratch.length) this.scratch = new Uint8Array(code.length * 3);
    const bytes = this.scratch;
    const length = encoder.encodeInto(code, bytes).written;
    const hash = hashBytes(bytes, 0, length);
    const mask = this.table.length - 1;
    for (let b = hash & mask; ; b = (b + 1) & mask) {
      const slot = this.table[b]!;
      if (slot === 0) return -1;
      const entry = slot - 1;
      if (this.hashes[entry] === hash && this.codeLengths[entry] === length && this.codeIs(entry, bytes, length)) return entry;
    }
  }

  /** The value stored with entry `entry`, decoded. */
  value(entry: number) {
    const at = this.starts[entry]!;
    const offset = (at & (CHUNK - 1)) + this.codeLengths[entry]!;
    return decoder.decode(this.chunks[at >>> CHUNK_BITS]!.subarray(offset, offset + this.valueLengths[entry]!));
  }

  /** Bytes held by the arena and the arrays (for the benchmark). */
  get byteSize() {
    return this.chunks.length * CHUNK + this.starts.length * 12 + this.table.byteLength;
  }

  private codeIs(entry: number, bytes: Uint8Array, length: number) {
    const at = this.starts[entry]!;
    const chunk = this.chunks[at >>> CHUNK_BITS]!;
    const offset = at & (CHUNK - 1);
    for (let i = 0; i < length; i++) if (chunk[offset + i] !== bytes[i]) return false;
    return true;
  }

  private codeIsAscii(entry: number, code: string) {
    const at = this.starts[entry]!;
    const chunk = this.chunks[at >>> CHUNK_BITS]!;
    const offset = at & (CHUNK - 1);
    for (let i = 0; i < code.length; i++) if (chunk[offset + i] !== code.charCodeAt(i)) return false;
    return true;
  }

  /** Where `room` bytes fit in one chunk: at the free space, or at the start of a new chunk. */
  private reserve(room: number) {
    if (Math.floor(this.end / CHUNK) < this.chunks.length && (this.end % CHUNK) + room <= CHUNK) return this.end;
    if (this.chunks.length >= 2 ** (32 - CHUNK_BITS)) throw new Error("code table full");
    this.chunks.push(new Uint8Array(CHUNK));
    return (this.end = (this.chunks.length - 1) * CHUNK);
  }

  private place(entry: number, hash: number) {
    const mask = this.table.length - 1;
    let b = hash & mask;
    while (this.table[b] !== 0) b = (b + 1) & mask;
    this.table[b] = entry + 1;
  }

  private growEntries() {
    const n = this.starts.length * 2;
    const grown = <T extends Uint32Array | Uint16Array>(a: T, make: (n: number) => T) => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.starts = grown(this.starts, (k) => new Uint32Array(k));
    this.codeLengths = grown(this.codeLengths, (k) => new Uint16Array(k));
    this.valueLengths = grown(this.valueLengths, (k) => new Uint16Array(k));
    this.hashes = grown(this.hashes, (k) => new Uint32Array(k));
  }

  private rehash(buckets: number) {
    this.table = new Uint32Array(buckets);
    for (let e = 0; e < this.size; e++) this.place(e, this.hashes[e]!);
  }
}

/** A power of two at least twice `n`: the table stays at most half full. */
function bucketsFor(n: number) {
  let b = 32;
  while (b < n * 2) b *= 2;
  return b;
}
