import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from "pdf-lib";

/** Characters the standard PDF fonts (WinAnsi) cannot draw are replaced, not fatal. */
export const winAnsi = (s: string) => s.replace(/→/g, "->").replace(/[^\x20-\x7e\u00a0-\u00ff€]/g, "?");

/**
 * An A4 PDF of lines of text with pdf-lib's standard fonts (the dossier, the receipts): a new
 * page when one is full, and a footer drawn on every page at the end.
 */
export async function textPdf(meta: { title: string; producer: string; now: Date }) {
  const pdf = await PDFDocument.create();
  pdf.setTitle(meta.title);
  pdf.setProducer(meta.producer);
  pdf.setCreationDate(meta.now);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  let page: PDFPage = pdf.addPage([595, 842]);
  let y = 800;
  const draw = (text: string, f: PDFFont, size: number) => {
    if (y < 60) {
      page = pdf.addPage([595, 842]);
      y = 800;
    }
    page.drawText(text, { x: 50, y, size, font: f, color: rgb(0.1, 0.1, 0.1) });
  };
  return {
    bold,
    /** One line (cut at 110 characters), or wrapped over several with `wrap`. */
    line(text: string, opts: { f?: PDFFont; size?: number; gap?: number; wrap?: boolean } = {}) {
      const size = opts.size ?? 10;
      const chunks = opts.wrap ? (winAnsi(text).match(/.{1,95}(\s|$)|.{1,95}/g) ?? [""]).map((c) => c.trimEnd()) : [winAnsi(text).slice(0, 110)];
      chunks.forEach((chunk, i) => {
        draw(chunk, opts.f ?? font, size);
        y -= i === chunks.length - 1 ? (opts.gap ?? size + 6) : size + 6;
      });
    },
    skip(points: number) {
      y -= points;
    },
    async finish(footer: (page: number, pages: number) => string) {
      const pages = pdf.getPages();
      pages.forEach((pg, i) => pg.drawText(winAnsi(footer(i + 1, pages.length)), { x: 50, y: 30, size: 8, font }));
      return pdf.save();
    },
  };
}
