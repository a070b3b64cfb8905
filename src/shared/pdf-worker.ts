/** The PDF thread's module: draws each report it is sent and returns its bytes. */
import { parentPort } from 'node:worker_threads';
import { drawReport } from './pdf.ts';
import type { ReportDoc } from './report-doc.ts';

const port = parentPort;
if (!port) throw new Error('pdf-worker runs in a worker thread');
port.on('message', (m: { id: number; doc: ReportDoc }) => {
  drawReport(m.doc).then(
    (b) => {
      const bytes = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
      port.postMessage({ id: m.id, bytes });
    },
    (e: unknown) => {
      port.postMessage({ id: m.id, error: e instanceof Error ? e.name : 'thrown value' });
    },
  );
});
