/** A4 report PDFs in Chinese: pdfkit with Noto Sans SC, and the heading/paragraph helpers both reports use. */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';

// Noto Sans SC from npm (@embedpdf/fonts-sc, OFL-1.1), pinned by the lock file; the package exports only
// its index, so the fonts are found beside it.
const FONTS = join(dirname(createRequire(import.meta.url).resolve('@embedpdf/fonts-sc')), '..', 'fonts');
const FONT = join(FONTS, 'NotoSansHans-Regular.otf');
const BOLD = join(FONTS, 'NotoSansHans-Bold.otf');

/** An open report: the document, helpers for headings, paragraphs and monospace-ish small print, and the bytes once ended. */
export interface Report {
  doc: PDFKit.PDFDocument;
  heading: (text: string) => void;
  para: (text: string) => void;
  small: (text: string) => void;
  /** Ends the document and resolves to its bytes. */
  finish: () => Promise<Buffer>;
}

/** Starts a report with a centred title and a subtitle line. */
export function startReport(title: string, subtitle: string): Report {
  const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: title, Producer: 'Gatekeeper 守门人' } });
  doc.registerFont('body', FONT);
  doc.registerFont('bold', BOLD);
  const chunks: Buffer[] = [];
  doc.on('data', (b: Buffer) => chunks.push(b));
  const done = new Promise<Buffer>((resolve) => {
    doc.on('end', () => {
      resolve(Buffer.concat(chunks));
    });
  });
  doc.font('bold').fontSize(18).text(title, { align: 'center' });
  doc.font('body').fontSize(9).fillColor('#555').text(subtitle, { align: 'center' }).fillColor('black');
  return {
    doc,
    heading: (t) => void doc.moveDown(0.6).font('bold').fontSize(13).text(t).moveDown(0.2).font('body').fontSize(10),
    para: (t) => void doc.font('body').fontSize(10).text(t, { lineGap: 2 }),
    small: (t) => void doc.font('body').fontSize(8).text(t, { lineGap: 1 }),
    finish: () => {
      doc.end();
      return done;
    },
  };
}
