/** One line of an upload, decoded, or the byte offset of the first invalid UTF-8 sequence in it. */
export type Line = { number: number; text: string } | { number: number; invalidAt: number };

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
 * Splits a byte stream into lines on LF (a CR before it is dropped), streaming, a batch of lines
 * per chunk: memory holds one chunk at a time. A leading BOM is skipped. The empty piece after a
 * final LF is not a line. After a line with invalid UTF-8 no more lines follow.
 */
export async function* readLines(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Line[]> {
  let pending: Uint8Array = new Uint8Array(0);
  let base = 0; // byte offset, in the file, of pending[0]
  let number = 0;
  let first = true;
  // Slow path, for text that did not decode: line by line, to find the bad sequence.
  const oneByOne = (bytes: Uint8Array, offset: number, out: Line[]) => {
    for (let start = 0; ; ) {
      const nl = bytes.indexOf(0x0a, start);
      const end = nl === -1 ? bytes.length : nl;
      let body = bytes.subarray(start, end);
      if (body.length && body[body.length - 1] === 0x0d) body = body.subarray(0, body.length - 1);
      number += 1;
      try {
        out.push({ number, text: decoder.decode(body) });
      } catch {
        out.push({
          number,
          invalidAt: offset + start + firstInvalidSequence(body),
        });
        return;
      }
      if (nl === -1) return;
      start = nl + 1;
    }
  };
  // The lines of `bytes`, which end where a LF was (or the file ends): always at least one.
  const decodeLines = (bytes: Uint8Array, offset: number): Line[] => {
    if (first && bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
      bytes = bytes.subarray(3);
      offset += 3;
    }
    first = false;
    const out: Line[] = [];
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      oneByOne(bytes, offset, out);
      return out;
    }
    let start = 0;
    for (let nl = text.indexOf("\n"); nl !== -1; nl = text.indexOf("\n", start)) {
      number += 1;
      out.push({
        number,
        text: nl > start && text.charCodeAt(nl - 1) === 13 ? text.slice(start, nl - 1) : text.slice(start, nl),
      });
      start = nl + 1;
    }
    number += 1;
    const last = text.slice(start);
    out.push({ number, text: last.endsWith("\r") ? last.slice(0, -1) : last });
    return out;
  };
  for await (const chunk of chunks) {
    const data = pending.length ? concat(pending, chunk) : chunk;
    const lastNl = data.lastIndexOf(0x0a);
    if (lastNl === -1) {
      pending = data === chunk ? chunk.slice() : data;
      continue;
    }
    const lines = decodeLines(data.subarray(0, lastNl), base);
    yield lines;
    if (lines.length && "invalidAt" in lines[lines.length - 1]!) return;
    base += lastNl + 1;
    pending = data.slice(lastNl + 1);
  }
  if (pending.length) yield decodeLines(pending, base);
}

function concat(a: Uint8Array, b: Uint8Array) {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
