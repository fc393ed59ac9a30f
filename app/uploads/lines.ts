/** One line of an upload, decoded, or the position of the first invalid UTF-8 sequence in it. */
export type Line = { number: number; text: string; byteOffset: number } | { number: number; invalidAt: number };

const decoder = new TextDecoder("utf-8", { fatal: true });

/** Byte offset, within `bytes`, of the first sequence that is not valid UTF-8. */
function firstInvalidSequence(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    try {
      decoder.decode(bytes.subarray(i, i + need + 1));
    } catch {
      return i;
    }
    i += need + 1;
  }
  return i;
}

/**
 * Splits a byte stream into lines on LF (a CR before it is dropped), streaming: memory holds one
 * line at a time. A leading BOM is skipped. The empty piece after a final LF is not a line.
 */
export async function* readLines(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Line> {
  let pending: Uint8Array = new Uint8Array(0);
  let pendingOffset = 0;
  let number = 0;
  let first = true;
  const emit = (bytes: Uint8Array, offset: number): Line => {
    number += 1;
    let body = bytes;
    if (first && body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) {
      body = body.subarray(3);
      offset += 3;
    }
    first = false;
    if (body.length && body[body.length - 1] === 0x0d) body = body.subarray(0, body.length - 1);
    try {
      return { number, text: decoder.decode(body), byteOffset: offset };
    } catch {
      return { number, invalidAt: offset + firstInvalidSequence(body) };
    }
  };
  for await (const chunk of chunks) {
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      if (chunk[i] !== 0x0a) continue;
      const piece = chunk.subarray(start, i);
      const line = pending.length ? concat(pending, piece) : piece;
      yield emit(line, pendingOffset);
      pendingOffset += line.length + 1;
      pending = new Uint8Array(0);
      start = i + 1;
    }
    if (start < chunk.length) pending = concat(pending, chunk.subarray(start));
  }
  if (pending.length) yield emit(pending, pendingOffset);
}

function concat(a: Uint8Array, b: Uint8Array) {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
