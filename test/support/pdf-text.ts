import zlib from "node:zlib";

/**
 * The text drawn in a PDF made with the standard fonts: every content stream inflated, and the
 * strings of its text operators (hex `<…> Tj` as pdf-lib writes them, or literal `(…) Tj`) decoded.
 */
export function pdfText(bytes: Uint8Array): string {
  const raw = Buffer.from(bytes).toString("latin1");
  const out: string[] = [];
  const re = /stream\r?\n/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(raw))) {
    const start = m.index + m[0].length;
    const end = raw.indexOf("endstream", start);
    if (end < 0) break;
    const chunk = Buffer.from(raw.slice(start, end), "latin1");
    let content: string;
    try {
      content = zlib.inflateSync(chunk).toString("latin1");
    } catch {
      content = chunk.toString("latin1");
    }
    for (const t of content.matchAll(/<([0-9A-Fa-f]+)>\s*Tj|\(((?:\\.|[^\\)])*)\)\s*Tj/g)) {
      out.push(t[1] ? Buffer.from(t[1], "hex").toString("latin1") : t[2]!);
    }
    re.lastIndex = end;
  }
  return out.join("\n");
}
