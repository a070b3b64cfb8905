/** A4 report PDFs in Chinese: pdfkit with Noto Sans SC, and the heading/paragraph helpers both reports use. */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';
import { renderOffThread } from './pdf-thread.ts';
import type { ReportDoc } from './report-doc.ts';

// Noto Sans SC from npm (@embedpdf/fonts-sc, OFL-1.1), pinned by the lock file; the package exports only
// its index, so the fonts are found beside it.
const FONTS = join(dirname(createRequire(import.meta.url).resolve('@embedpdf/fonts-sc')), '..', 'fonts');
const FONT = join(FONTS, 'NotoSansHans-Regular.otf');
const BOLD = join(FONTS, 'NotoSansHans-Bold.otf');

/** A time as Beijing time, minutes precision (`2026-11-25 10:10`): both reports date themselves so. */
export const beijing = (iso: string): string => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

/** An open report: helpers for headings, paragraphs and small print, and the bytes once ended (drawn off the main thread). */
export interface Report {
  heading: (text: string) => void;
  /** A bold line heading an item within a section. */
  strong: (text: string) => void;
  para: (text: string) => void;
  small: (text: string) => void;
  /** Ends the document and resolves to its bytes. */
  finish: () => Promise<Buffer>;
}

/** Starts a report with a centred title and a subtitle line; `finish` has it drawn on the PDF thread. */
export function startReport(title: string, subtitle: string): Report {
  const doc: ReportDoc = { title, subtitle, blocks: [] };
  return {
    heading: (t) => void doc.blocks.push(['heading', t]),
    strong: (t) => void doc.blocks.push(['strong', t]),
    para: (t) => void doc.blocks.push(['para', t]),
    small: (t) => void doc.blocks.push(['small', t]),
    finish: () => renderOffThread(doc),
  };
}

/** Draws a report with pdfkit and Noto Sans SC (on whichever thread calls it: the PDF worker's). */
export function drawReport(r: ReportDoc): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: r.title, Producer: 'Gatekeeper 守门人' } });
  doc.registerFont('body', FONT);
  doc.registerFont('bold', BOLD);
  const chunks: Buffer[] = [];
  doc.on('data', (b: Buffer) => chunks.push(b));
  const done = new Promise<Buffer>((resolve) => {
    doc.on('end', () => {
      resolve(Buffer.concat(chunks));
    });
  });
  doc.font('bold').fontSize(18).text(r.title, { align: 'center' });
  doc.font('body').fontSize(9).fillColor('#555').text(r.subtitle, { align: 'center' }).fillColor('black');
  for (const [kind, t] of r.blocks) {
    if (kind === 'heading') doc.moveDown(0.6).font('bold').fontSize(13).text(t).moveDown(0.2).font('body').fontSize(10);
    else if (kind === 'strong') doc.font('bold').fontSize(11).text(t);
    else if (kind === 'para') doc.font('body').fontSize(10).text(t, { lineGap: 2 });
    else doc.font('body').fontSize(8).text(t, { lineGap: 1 });
  }
  doc.end();
  return done;
}
